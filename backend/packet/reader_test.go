package packet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func open(b []byte, opt Options) (*Packet, []Problem) {
	return Open(bytes.NewReader(b), int64(len(b)), opt)
}

func has(problems []Problem, code, path string) bool {
	return slices.ContainsFunc(problems, func(p Problem) bool {
		return p.Code == code && (path == "" || p.Path == path)
	})
}

// refused checks Open refuses the archive with the code (on path, unless
// path is ""), that nothing can be extracted from it, and that trying
// leaves nothing behind.
func refused(t *testing.T, archive []byte, opt Options, code, path string) []Problem {
	t.Helper()
	p, problems := open(archive, opt)
	if p != nil || len(problems) == 0 {
		t.Fatalf("accepted; want %s", code)
	}
	if !has(problems, code, path) {
		t.Errorf("problems %v; want %s on %q", problems, code, path)
	}
	for _, pr := range problems {
		t.Logf("%s %q: %s", pr.Code, pr.Path, pr.Message)
	}
	for _, pr := range problems {
		if pr.Code == "" || pr.Message == "" {
			t.Errorf("problem without a code or message: %+v", pr)
		}
	}
	base := t.TempDir()
	if err := p.Extract(filepath.Join(base, "in", "out")); err == nil {
		t.Error("extracted a refused packet")
	}
	entries, _ := os.ReadDir(base)
	if len(entries) > 0 {
		t.Errorf("extracting a refused packet left %v", entries)
	}
	return problems
}

func TestTamperedMember(t *testing.T) {
	archive := testArchive(t, testKey(t))
	ms := unpack(t, archive)
	for _, m := range ms {
		t.Run(m.name, func(t *testing.T) {
			b := bytes.Clone(m.data)
			want := CodeHashMismatch
			switch m.name {
			case ManifestFile:
				// a digit of a hash, so the JSON still reads
				i := bytes.Index(b, []byte(`"sha256": "`)) + len(`"sha256": "`)
				if b[i] == '0' {
					b[i] = '1'
				} else {
					b[i] = '0'
				}
				want = CodeBadSignature
			case SignatureFile:
				b[len(b)/2] ^= 0x01
				want = CodeBadSignature
			default:
				b[len(b)/2] ^= 0x01
			}
			refused(t, pack(t, replaced(ms, m.name, b)), Options{}, want, "")
		})
	}
}

func TestFlippedArchiveByte(t *testing.T) {
	archive := testArchive(t, testKey(t))
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		t.Run(f.Name, func(t *testing.T) {
			at, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			b := bytes.Clone(archive)
			b[at+int64(f.CompressedSize64)/2] ^= 0x01
			if p, problems := open(b, Options{}); p != nil || len(problems) == 0 {
				t.Error("accepted a packet with a flipped byte")
			}
		})
	}
}

func TestMissingMember(t *testing.T) {
	ms := unpack(t, testArchive(t, testKey(t)))
	for _, m := range ms {
		t.Run(m.name, func(t *testing.T) {
			refused(t, pack(t, without(ms, m.name)), Options{}, CodeMissingFile, m.name)
		})
	}
}

func TestExtraMember(t *testing.T) {
	ms := unpack(t, testArchive(t, testKey(t)))
	for _, name := range []string{"notes.txt", "attachments/more.png"} {
		refused(t, pack(t, append(ms, member{name: name, data: []byte("x")})), Options{}, CodeExtraFile, name)
	}
}

// resigned re-signs a changed manifest with another key, with or without
// swapping that key into the manifest.
func resigned(t *testing.T, ms []member, swapKey bool, change func(m *Manifest)) []member {
	t.Helper()
	var m Manifest
	if err := json.Unmarshal(find(ms, ManifestFile), &m); err != nil {
		t.Fatal(err)
	}
	change(&m)
	attacker := testKey(t)
	if swapKey {
		pub := attacker.Public().(ed25519.PublicKey)
		m.Signer = Signer{PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: KeyFingerprint(pub)}
	}
	raw, _ := json.MarshalIndent(m, "", "  ")
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(attacker, raw))
	return replaced(replaced(ms, ManifestFile, raw), SignatureFile, []byte(sig))
}

func TestResignedManifest(t *testing.T) {
	key := testKey(t)
	ms := unpack(t, testArchive(t, key))
	original := Options{Trusted: []string{KeyFingerprint(key.Public().(ed25519.PublicKey))}}
	fakePDF := []byte("%PDF-1.4 forged")
	forge := func(m *Manifest) {
		for i, f := range m.Files {
			if f.Path == PDFFile {
				m.Files[i] = ManifestEntry{Path: PDFFile, Size: int64(len(fakePDF)), SHA256: sha256Hex(fakePDF)}
			}
		}
	}

	keptKey := pack(t, replaced(resigned(t, ms, false, forge), PDFFile, fakePDF))
	refused(t, keptKey, Options{}, CodeBadSignature, SignatureFile)

	swapped := pack(t, replaced(resigned(t, ms, true, forge), PDFFile, fakePDF))
	problems := refused(t, swapped, original, CodeUntrustedKey, SignatureFile)
	if len(problems) != 1 {
		t.Errorf("a forged packet signed with a valid other key: %v; want only untrusted-key", problems)
	}
	if p, problems := open(swapped, Options{}); p == nil {
		t.Errorf("without a trusted list any valid signature is accepted, got %v", problems)
	}
}

func TestTruncated(t *testing.T) {
	archive := testArchive(t, testKey(t))
	for _, at := range []int{0, 1, 3, 10, 100, len(archive) / 3, len(archive) / 2, len(archive) - 30, len(archive) - 1} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			want := CodeTruncated
			if at < 2 {
				want = CodeNotZip // too short to tell
			}
			if p, problems := open(archive[:at], Options{}); p != nil || !has(problems, want, "") {
				t.Errorf("cut at %d: %v; want %s", at, problems, want)
			}
		})
	}
	refused(t, []byte("%PDF-1.4 not an archive at all"), Options{}, CodeNotZip, "")
}

func TestHostileArchive(t *testing.T) {
	ms := unpack(t, testArchive(t, testKey(t)))
	plus := func(extra ...member) []byte { return pack(t, append(slices.Clone(ms), extra...)) }
	evil := func(name string) member { return member{name: name, data: []byte("pwned")} }
	packedZeros := deflated(make([]byte, 1<<20))

	tests := []struct {
		name    string
		archive []byte
		code    string
		path    string
	}{
		{"parent", plus(evil("../evil")), CodeUnsafePath, "../evil"},
		{"absolute", plus(evil("/tmp/abs")), CodeUnsafePath, "/tmp/abs"},
		{"climbs", plus(evil("a/../../x")), CodeUnsafePath, "a/../../x"},
		{"drive letter", plus(evil(`C:\x`)), CodeUnsafePath, `C:\x`},
		{"drive slash", plus(evil("C:/x")), CodeUnsafePath, "C:/x"},
		{"backslash", plus(evil(`attachments\..\..\x`)), CodeUnsafePath, `attachments\..\..\x`},
		{"empty part", plus(evil("attachments//x")), CodeUnsafePath, "attachments//x"},
		{"NUL", plus(evil("packet.pdf\x00.txt")), CodeUnsafePath, "packet.pdf\x00.txt"},
		{"symlink", plus(member{name: "attachments/link", data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777}), CodeSymlink, "attachments/link"},
		{"named pipe", plus(member{name: "attachments/fifo", mode: fs.ModeNamedPipe | 0o644}), CodeSpecialFile, "attachments/fifo"},
		{"folder", plus(member{name: "attachments/", mode: fs.ModeDir | 0o755}), CodeExtraFile, "attachments/"},
		{"duplicate", plus(member{name: DataFile, data: find(ms, DataFile)}), CodeDuplicate, DataFile},
		{"case duplicate", plus(member{name: "Packet.pdf", data: []byte("%PDF-1.4 other")}), CodeDuplicate, "Packet.pdf"},
		{"encrypted", plus(member{name: "secret", data: []byte("x"), raw: &zip.FileHeader{Name: "secret", Flags: 0x1, CompressedSize64: 1, UncompressedSize64: 1}}), CodeEncrypted, "secret"},
		{"bzip2", plus(member{name: "b.bz2", data: []byte("BZh"), raw: &zip.FileHeader{Name: "b.bz2", Method: 12, CompressedSize64: 3, UncompressedSize64: 9}}), CodeCompression, "b.bz2"},
		{"entry ratio", plus(member{name: "zeros", data: packedZeros, raw: &zip.FileHeader{Name: "zeros", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(make([]byte, 1<<20)),
			CompressedSize64: uint64(len(packedZeros)), UncompressedSize64: 1 << 20}}), CodeRatio, "zeros"},
		{"says less than it holds", pack(t, replacedRaw(ms, PDFFile, packedZeros, zip.Deflate, 100)), CodeSizeMismatch, PDFFile},
		{"says more than it holds", pack(t, replacedRaw(ms, PDFFile, []byte("%PDF"), zip.Store, 4000)), CodeTruncated, PDFFile},
		{"too many files", pack(t, manyFiles(MaxFiles+1)), CodeTooManyFiles, ""},
		{"empty archive", pack(t, nil), CodeMissingFile, ManifestFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refused(t, tt.archive, Options{}, tt.code, tt.path)
		})
	}
}

// replacedRaw swaps a member for packed bytes that declare size unpacked.
func replacedRaw(ms []member, name string, packed []byte, method uint16, size uint64) []member {
	out := slices.Clone(ms)
	for i, m := range out {
		if m.name == name {
			out[i] = member{name: name, data: packed, raw: &zip.FileHeader{Name: name, Method: method, CompressedSize64: uint64(len(packed)), UncompressedSize64: size}}
		}
	}
	return out
}

func manyFiles(n int) []member {
	ms := make([]member, n)
	for i := range ms {
		ms[i] = member{name: fmt.Sprintf("f%d", i)}
	}
	return ms
}

func deflated(b []byte) []byte {
	var out bytes.Buffer
	fw, _ := flate.NewWriter(&out, flate.BestCompression)
	fw.Write(b)
	fw.Close()
	return out.Bytes()
}

// zeroBomb is an archive whose one entry unpacks to size bytes of zeros.
// It is built from copies of one deflated MiB, never holding the whole.
func zeroBomb(t testing.TB, name string, size int64) []byte {
	t.Helper()
	var chunk bytes.Buffer
	fw, _ := flate.NewWriter(&chunk, flate.BestCompression)
	zeros := make([]byte, 1<<20)
	fw.Write(zeros)
	fw.Flush() // ends on a byte boundary with no final block, so copies chain
	var stream bytes.Buffer
	crc := crc32.NewIEEE()
	for range size >> 20 {
		stream.Write(chunk.Bytes())
		crc.Write(zeros)
	}
	stream.Write([]byte{0x03, 0x00}) // an empty final block
	return pack(t, []member{{name: name, data: stream.Bytes(), raw: &zip.FileHeader{
		Name: name, Method: zip.Deflate, CRC32: crc.Sum32(), CompressedSize64: uint64(stream.Len()), UncompressedSize64: uint64(size),
	}}})
}

func TestZipBomb(t *testing.T) {
	bomb := zeroBomb(t, DataFile, 300<<20)
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes packed", len(bomb))
	}
	zr, _ := zip.NewReader(bytes.NewReader(bomb), int64(len(bomb)))
	rc, _ := zr.File[0].Open()
	head := make([]byte, 3<<20)
	if n, err := rc.Read(head); err != nil || n == 0 {
		t.Fatalf("the bomb does not unpack: %v", err)
	}
	rc.Close()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	problems := refused(t, bomb, Options{}, CodeTooLarge, "")
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if !has(problems, CodeRatio, DataFile) {
		t.Errorf("problems %v; want the entry's ratio too", problems)
	}
	if took > 5*time.Second {
		t.Errorf("refusing the bomb took %v", took)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("refusing the bomb allocated %d MB", grew>>20)
	}
}

func TestBombBehindAFalseSize(t *testing.T) {
	bomb := zeroBomb(t, PDFFile, 300<<20)
	zr, _ := zip.NewReader(bytes.NewReader(bomb), int64(len(bomb)))
	f := zr.File[0]
	packed, _ := f.OpenRaw()
	raw := make([]byte, f.CompressedSize64)
	if _, err := io.ReadFull(packed, raw); err != nil {
		t.Fatal(err)
	}
	ms := unpack(t, testArchive(t, testKey(t)))
	lying := pack(t, replacedRaw(ms, PDFFile, raw, zip.Deflate, 1000))

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	refused(t, lying, Options{}, CodeSizeMismatch, PDFFile)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("refusing the lying entry allocated %d MB", grew>>20)
	}
}

func TestTooLargeArchive(t *testing.T) {
	refused(t, nil, Options{}, CodeNotZip, "")
	p, problems := Open(bytes.NewReader(nil), MaxArchiveBytes+1, Options{})
	if p != nil || !has(problems, CodeTooLarge, "") {
		t.Errorf("a 200 MB + 1 archive: %v", problems)
	}
}

func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.onramp")
	if err := os.WriteFile(path, testArchive(t, testKey(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, problems := OpenFile(path, Options{}); len(problems) > 0 {
		t.Errorf("OpenFile: %v", problems)
	}
	for _, bad := range []string{dir, filepath.Join(dir, "nope.onramp")} {
		if p, problems := OpenFile(bad, Options{}); p != nil || !has(problems, CodeUnreadable, "") {
			t.Errorf("%s: %v", bad, problems)
		}
	}
}

func TestExtract(t *testing.T) {
	archive := testArchive(t, testKey(t))
	p, problems := open(archive, Options{})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	dir := filepath.Join(t.TempDir(), "new", "out")
	if err := p.Extract(dir); err != nil {
		t.Fatal(err)
	}
	var found []string
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		found = append(found, rel)
		b, _ := os.ReadFile(path)
		if !bytes.Equal(b, p.Files[rel]) {
			t.Errorf("%s differs from the packet", rel)
		}
		if info, _ := e.Info(); info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", rel, info.Mode())
		}
		return nil
	})
	if len(found) != len(p.Files) {
		t.Errorf("extracted %v", found)
	}
	if err := p.Extract(dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("extracting into a non-empty folder: %v", err)
	}
}

func TestExtractRefusesUnsafePaths(t *testing.T) {
	for _, name := range []string{"../evil", "/abs", "a/../../x", `C:\x`, "a//b"} {
		p := &Packet{Files: map[string][]byte{name: []byte("pwned")}, verified: true}
		base := t.TempDir()
		if err := p.Extract(filepath.Join(base, "out")); err == nil {
			t.Errorf("%q extracted", name)
		}
		filepath.WalkDir(base, func(path string, e fs.DirEntry, err error) error {
			if path != base && path != filepath.Join(base, "out") {
				t.Errorf("%q left %s", name, path)
			}
			return nil
		})
	}
	if err := (&Packet{Files: map[string][]byte{"a": nil}}).Extract(t.TempDir()); err == nil {
		t.Error("extracted a packet Open did not verify")
	}
}

func TestExtractDoesNotFollowSymlinks(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	os.Mkdir(outside, 0o700)
	dir := filepath.Join(base, "out")
	os.Mkdir(dir, 0o700)
	p := &Packet{Files: map[string][]byte{"attachments/x": []byte("pwned")}, verified: true}
	// A folder holding only a link is not empty, so Extract refuses it;
	// the root still guards if a link appears after that check.
	if err := os.Symlink(outside, filepath.Join(dir, "attachments")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := p.Extract(dir); err == nil {
		t.Error("extracted through a symbolic link")
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("wrote outside: %v", entries)
	}
}
