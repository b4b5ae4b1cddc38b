package packet

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"
)

// Limits on what Open reads. A real packet is far below them: a few
// megabytes in a handful of files.
const (
	MaxArchiveBytes  = 200 << 20
	MaxUnpackedBytes = 200 << 20
	MaxRatio         = 100  // unpacked to packed size, per entry and in all
	MaxFiles         = 1000 // entries in the archive

	ratioFloor        = 64 << 10 // an entry smaller than this unpacks harmlessly, whatever its ratio
	maxManifestBytes  = 1 << 20
	maxSignatureBytes = 1 << 10
)

// Options tune Open.
type Options struct {
	// Trusted lists the key fingerprints (KeyFingerprint) accepted as
	// signers. Empty accepts any key whose signature is valid.
	Trusted []string
}

// Packet is a packet that Open verified: every file present, every hash
// right, the signature valid.
type Packet struct {
	Manifest          Manifest
	Data              Data
	DataJSON          []byte
	PDF               []byte
	Files             map[string][]byte // every member by archive path, manifest.json and manifest.sig included
	SignerFingerprint string            // KeyFingerprint of the signer
	Fingerprint       string            // the content fingerprint, Fingerprint(DataJSON)

	verified bool
}

// OpenFile opens and verifies the packet archive at path. See Open.
func OpenFile(path string, opt Options) (*Packet, []Problem) {
	fail := func(format string, args ...any) (*Packet, []Problem) {
		return nil, []Problem{{Code: CodeUnreadable, Message: fmt.Sprintf(format, args...)}}
	}
	// Stat first: opening a named pipe would wait for a writer.
	info, err := os.Stat(path)
	if err != nil {
		return fail("the file cannot be read: %v", err)
	}
	if !info.Mode().IsRegular() {
		return fail("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fail("the file cannot be read: %v", err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return fail("the file cannot be read: %v", err)
	}
	return Open(f, info.Size(), opt)
}

// Open reads and verifies a packet archive of size bytes. It returns the
// packet only when there is no problem; otherwise every problem it found.
// It writes nothing anywhere, reads no entry past its declared size, and
// reads no content at all from an archive whose declared sizes break the
// limits.
func Open(r io.ReaderAt, size int64, opt Options) (*Packet, []Problem) {
	o := &opening{}
	p := o.open(r, size, opt)
	if len(o.problems) > 0 {
		return nil, o.problems
	}
	return p, nil
}

// opening is the state of one Open.
type opening struct {
	problems
	order   []string             // names of the entries fit to read, in archive order
	entries map[string]*zip.File // by name
	content map[string][]byte    // the entries read, by name
}

func (o *opening) open(r io.ReaderAt, size int64, opt Options) *Packet {
	zr := o.openZip(r, size)
	if zr == nil || !o.scan(zr.File) {
		return nil
	}
	o.readAll()
	return o.verify(opt)
}

func (o *opening) openZip(r io.ReaderAt, size int64) *zip.Reader {
	if size > MaxArchiveBytes {
		o.add(CodeTooLarge, "", "the archive is %s; a packet is at most %s", megabytes(uint64(size)), megabytes(MaxArchiveBytes))
		return nil
	}
	if size <= 0 {
		o.add(CodeNotZip, "", "the file is empty")
		return nil
	}
	if n, ok := declaredEntries(r, size); ok && n > MaxFiles {
		o.add(CodeTooManyFiles, "", "the archive declares %d or more files; a packet has at most %d", n, MaxFiles)
		return nil
	}
	zr, err := zip.NewReader(r, size)
	switch {
	case err == nil, errors.Is(err, zip.ErrInsecurePath): // paths are checked one by one in scan
	case !errors.Is(err, zip.ErrFormat) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		o.add(CodeUnreadable, "", "the archive cannot be read: %v", err)
		return nil
	case startsLikeZip(r):
		o.add(CodeTruncated, "", "the archive is cut off or damaged: its table of contents cannot be read")
		return nil
	default:
		o.add(CodeNotZip, "", "the file is not a packet: it is not a ZIP archive")
		return nil
	}
	if len(zr.File) > MaxFiles {
		o.add(CodeTooManyFiles, "", "the archive holds %d files; a packet has at most %d", len(zr.File), MaxFiles)
		return nil
	}
	return zr
}

// scan checks every entry's name, type and declared sizes without reading
// its content, and keeps those fit to read. It returns false when the
// declared totals make reading anything unsafe.
func (o *opening) scan(files []*zip.File) bool {
	o.entries = map[string]*zip.File{}
	seen := map[string]string{} // lower-cased name → name as first seen
	var packed, unpacked uint64
	for _, f := range files {
		packed = addCapped(packed, f.CompressedSize64)
		unpacked = addCapped(unpacked, f.UncompressedSize64)
		if o.entryProblem(f, seen) {
			continue
		}
		if _, dup := o.entries[f.Name]; !dup {
			o.entries[f.Name] = f
			o.order = append(o.order, f.Name)
		}
	}
	if unpacked > MaxUnpackedBytes {
		o.add(CodeTooLarge, "", "the archive would unpack to %s; a packet unpacks to at most %s, so nothing was unpacked",
			megabytes(unpacked), megabytes(MaxUnpackedBytes))
		return false
	}
	if overRatio(unpacked, packed) {
		o.add(CodeRatio, "", "the archive would unpack to more than %d times its size, as a zip bomb does, so nothing was unpacked", MaxRatio)
		return false
	}
	return true
}

// entryProblem reports what is wrong with one entry from its header alone,
// and whether it must not be read.
func (o *opening) entryProblem(f *zip.File, seen map[string]string) (bad bool) {
	name := f.Name
	report := func(code, format string, args ...any) {
		o.add(code, name, format, args...)
		bad = true
	}
	folder := strings.HasSuffix(name, "/")
	if why := pathProblem(strings.TrimSuffix(name, "/")); why != "" {
		report(CodeUnsafePath, "%q %s", name, why)
	}
	mode := f.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		report(CodeSymlink, "%q is a symbolic link; a packet holds only plain files", name)
	case !mode.IsRegular() && !folder:
		report(CodeSpecialFile, "%q is not a plain file (%v); a packet holds only plain files", name, mode.Type())
	}
	if f.Flags&0x1 != 0 {
		report(CodeEncrypted, "%q is encrypted; a packet is never encrypted", name)
	}
	if f.Method != zip.Store && f.Method != zip.Deflate {
		report(CodeCompression, "%q uses compression method %d; a packet uses only store (0) and deflate (8)", name, f.Method)
	}
	lower := strings.ToLower(name)
	if first, ok := seen[lower]; !ok {
		seen[lower] = name
	} else if first == name {
		report(CodeDuplicate, "%q appears more than once in the archive", name)
	} else {
		report(CodeDuplicate, "%q differs from %q only in upper and lower case", name, first)
	}
	if f.UncompressedSize64 >= ratioFloor && overRatio(f.UncompressedSize64, f.CompressedSize64) {
		report(CodeRatio, "%q would unpack to more than %d times its packed size, as a zip bomb does", name, MaxRatio)
	}
	if folder && !bad {
		report(CodeExtraFile, "%q is a folder entry; a packet holds only files", name)
	}
	return bad
}

// readAll reads every entry fit to read, each up to its declared size.
func (o *opening) readAll() {
	o.content = map[string][]byte{}
	for _, name := range o.order {
		f := o.entries[name]
		if limit, ok := memberLimit(name); ok && f.UncompressedSize64 > limit {
			o.add(CodeTooLarge, name, "%q is %d bytes; it is at most %d", name, f.UncompressedSize64, limit)
			continue
		}
		b, err := readEntry(f)
		if err != nil {
			o.readProblem(name, err)
			continue
		}
		o.content[name] = b
	}
}

func memberLimit(name string) (uint64, bool) {
	switch name {
	case ManifestFile:
		return maxManifestBytes, true
	case SignatureFile:
		return maxSignatureBytes, true
	case DataFile:
		return MaxDataBytes, true
	}
	return 0, false
}

var errLonger = errors.New("more data than declared")

// readEntry reads the entry up to its declared size, then makes sure it
// ends there and passes its CRC-32 check. Memory grows with the bytes
// actually unpacked, not with what the header declares.
func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	want := f.UncompressedSize64 // within MaxUnpackedBytes: scan checked the total
	b, err := io.ReadAll(io.LimitReader(rc, int64(want)+1))
	switch {
	case errors.Is(err, zip.ErrFormat) || uint64(len(b)) > want:
		return nil, errLonger
	case err != nil:
		return nil, err
	case uint64(len(b)) < want:
		return nil, io.ErrUnexpectedEOF
	}
	return b, nil
}

func (o *opening) readProblem(name string, err error) {
	switch {
	case errors.Is(err, errLonger):
		o.add(CodeSizeMismatch, name, "%q holds more data than the archive declares for it", name)
	case errors.Is(err, zip.ErrChecksum):
		o.add(CodeHashMismatch, name, "%q fails the archive's CRC-32 check: it is damaged or was changed", name)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		o.add(CodeTruncated, name, "%q ends before its declared size: the archive is cut off or damaged", name)
	default:
		o.add(CodeUnreadable, name, "%q cannot be unpacked: %v", name, err)
	}
}

// declaredEntries reads the entry count from the end-of-central-directory
// record, so an archive declaring a huge directory is refused before
// archive/zip allocates it. A count of 65535 means "see the ZIP64 record":
// a packet never needs one, so it is taken at its word. ok is false when
// the record is not found; archive/zip then reports the damage.
func declaredEntries(r io.ReaderAt, size int64) (n uint64, ok bool) {
	const recordLen = 22
	tail := min(size, recordLen+math.MaxUint16)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	for i := len(buf) - recordLen; i >= 0; i-- {
		if !bytes.HasPrefix(buf[i:], []byte("PK\x05\x06")) {
			continue
		}
		commentLen := int(binary.LittleEndian.Uint16(buf[i+20:]))
		if i+recordLen+commentLen > len(buf) {
			return 0, false
		}
		return uint64(binary.LittleEndian.Uint16(buf[i+10:])), true
	}
	return 0, false
}

func startsLikeZip(r io.ReaderAt) bool {
	var sig [4]byte
	n, _ := r.ReadAt(sig[:], 0)
	return n >= 2 && bytes.HasPrefix([]byte("PK\x03\x04"), sig[:n])
}

func overRatio(unpacked, packed uint64) bool {
	return float64(unpacked) > MaxRatio*float64(packed)
}

func addCapped(a, b uint64) uint64 {
	if b > math.MaxUint64-a {
		return math.MaxUint64
	}
	return a + b
}
