package main

import (
	"bufio"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"onramp/backend/packet"
)

func (c cli) build(args []string) error {
	fs := c.flags("build")
	dataPath := fs.String("data", "", "data.json to pack")
	keyPath := fs.String("key", "", "signing key file (from keygen)")
	out := fs.String("out", "", "packet file to write")
	var attach listFlag
	fs.Var(&attach, "attach", "an attachment file data.json lists (repeatable)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *dataPath == "" || *keyPath == "" || *out == "" || len(rest) > 0 {
		return usagef("build needs --data, --key and --out, and files only through --attach")
	}
	dataJSON, err := readFile(*dataPath, packet.MaxDataBytes)
	if err != nil {
		return err
	}
	d, err := packet.DecodeData(dataJSON)
	if err != nil {
		return fmt.Errorf("%s: %w", *dataPath, err)
	}
	if err := packet.CheckSealed(d); err != nil {
		return fmt.Errorf("%s: %w", *dataPath, err)
	}
	keyRaw, err := readFile(*keyPath, 64<<10)
	if err != nil {
		return err
	}
	key, err := packet.ParsePrivateKey(keyRaw)
	if err != nil {
		return fmt.Errorf("%s: %w", *keyPath, err)
	}
	files, err := matchAttachments(d, attach)
	if err != nil {
		return err
	}
	doc := packet.NewDoc(d, dataJSON, key.Public().(ed25519.PublicKey), files)
	pdf, err := packet.RenderPDF(doc)
	if err != nil {
		return fmt.Errorf("rendering the PDF: %w", err)
	}
	byPath := map[string][]byte{}
	for _, a := range d.Attachments {
		byPath[a.Path] = files[a.SHA256]
	}
	in := packet.Contents{DataJSON: dataJSON, PDF: pdf, Attachments: byPath}
	if err := writePacket(*out, in, key); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Wrote %s\nOK %s %s (signed by %s)\n", *out, packet.ShortFingerprint(doc.Fingerprint), *out, packet.ShortFingerprint(doc.KeyFingerprint))
	return nil
}

// matchAttachments reads the --attach files and matches each to an
// attachment data.json lists, by SHA-256. It names every listed attachment
// not given and every file given that is not listed.
func matchAttachments(d packet.Data, paths []string) (map[string][]byte, error) {
	listed := map[string]bool{}
	for _, a := range d.Attachments {
		listed[a.SHA256] = true
	}
	files := map[string][]byte{}
	var errs []error
	var total int64
	for _, path := range paths {
		b, err := readFile(path, packet.MaxUnpackedBytes-total)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		total += int64(len(b))
		sum := sha256.Sum256(b)
		sha := hex.EncodeToString(sum[:])
		if !listed[sha] {
			errs = append(errs, fmt.Errorf("%s is not one of the attachments data.json lists (its SHA-256 is %s)", path, sha))
			continue
		}
		files[sha] = b
	}
	for _, a := range d.Attachments {
		if _, ok := files[a.SHA256]; !ok {
			errs = append(errs, fmt.Errorf("attachment %q (SHA-256 %s) is not given: add --attach with its file", a.Name, a.SHA256))
		}
	}
	return files, errors.Join(errs...)
}

// writePacket writes the packet to a temporary file beside out, reads it
// back through the reader, and only then renames it into place: a packet
// is never left half-written, nor written unverifiable.
func writePacket(out string, in packet.Contents, key ed25519.PrivateKey) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".onramp-packet-*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write beside %s: %w", out, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	bw := bufio.NewWriter(tmp)
	err = packet.Write(bw, in, key)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	if _, problems := packet.OpenFile(tmp.Name(), packet.Options{Trusted: []string{keyFingerprint(key)}}); len(problems) > 0 {
		return fmt.Errorf("the packet written does not verify: %s", problems[0].Message)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return nil
}

// readFile reads a whole file, refusing one over limit bytes.
func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is over the limit of %d bytes", path, limit)
	}
	return b, nil
}

func keyFingerprint(key ed25519.PrivateKey) string {
	return packet.KeyFingerprint(key.Public().(ed25519.PublicKey))
}
