package packet

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
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

	// maxInflatedBytes bounds what Open inflates in all. A packet deflates
	// only its JSON (Write stores the PDF and the attachments), so this is
	// the most a real one ever needs; everything else Open reads is stored
	// bytes, each read once.
	maxInflatedBytes = maxManifestBytes + maxSignatureBytes + MaxDataBytes
	// maxAttachments is what MaxFiles leaves for attachments besides the
	// manifest, its signature, data.json and the PDF.
	maxAttachments = MaxFiles - 4
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
//
// Its work is bounded by the input, not by what the input claims: it reads
// each byte of the archive's members at most once (members that share or
// run past the archive's bytes are refused unread), inflates at most
// maxInflatedBytes in all, hashes each member once, and keeps every list it
// walks within MaxFiles, so no small archive can make it slow.
func Open(r io.ReaderAt, size int64, opt Options) (*Packet, []Problem) {
	o := &opening{}
	p := o.open(r, size, opt)
	if len(o.list) > 0 {
		return nil, o.list
	}
	return p, nil
}

// opening is the state of one Open.
type opening struct {
	problems
	order   []string             // names of the entries fit to read, in archive order
	entries map[string]*zip.File // by name
	content map[string][]byte    // the entries read, by name
	hashes  map[string]string    // SHA-256 of the entries read, by name, once each
}

func (o *opening) open(r io.ReaderAt, size int64, opt Options) *Packet {
	zr := o.openZip(r, size)
	if zr == nil || !o.scan(zr.File, size) {
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

// scan checks every entry's name, type, declared sizes and place in the
// archive without reading its content, and keeps those fit to read. It
// returns false when the declared totals make reading anything unsafe.
func (o *opening) scan(files []*zip.File, size int64) bool {
	o.entries = map[string]*zip.File{}
	seen := map[string]string{} // lower-cased name → name as first seen
	var packed, unpacked, inflated uint64
	var spans []span
	for _, f := range files {
		packed = addCapped(packed, f.CompressedSize64)
		unpacked = addCapped(unpacked, f.UncompressedSize64)
		if f.Method == zip.Deflate {
			inflated = addCapped(inflated, f.UncompressedSize64)
		}
		if o.entryProblem(f, seen) {
			continue
		}
		s, ok := o.locate(f, size)
		if !ok {
			continue
		}
		o.entries[f.Name] = f
		o.order = append(o.order, f.Name)
		spans = append(spans, s)
	}
	o.dropOverlaps(spans)
	switch {
	case unpacked > MaxUnpackedBytes:
		o.add(CodeTooLarge, "", "the archive would unpack to %s; a packet unpacks to at most %s, so nothing was unpacked",
			megabytes(unpacked), megabytes(MaxUnpackedBytes))
	case inflated > maxInflatedBytes:
		o.add(CodeTooLarge, "", "the archive's compressed members would unpack to %s; a packet compresses only its JSON, at most %s, so nothing was unpacked",
			megabytes(inflated), megabytes(maxInflatedBytes))
	case overRatio(unpacked, packed):
		o.add(CodeRatio, "", "the archive would unpack to more than %d times its size, as a zip bomb does, so nothing was unpacked", MaxRatio)
	default:
		return true
	}
	return false
}

// span is where an entry's packed bytes lie in the archive.
type span struct {
	name       string
	start, end uint64
}

// locate finds where the entry's packed bytes lie and refuses an entry
// whose declared packed size runs past the end of the archive: its packed
// size would pass the ratio checks while its data, a few bytes of deflate,
// unpacks to all of its declared size.
func (o *opening) locate(f *zip.File, size int64) (span, bool) {
	at, err := f.DataOffset()
	if err != nil {
		o.readProblem(f.Name, err)
		return span{}, false
	}
	start := uint64(at)
	if at < 0 || start > uint64(size) || f.CompressedSize64 > uint64(size)-start {
		o.add(CodeTruncated, f.Name, "%q runs past the end of the archive: the archive is cut off or damaged", f.Name)
		return span{}, false
	}
	return span{f.Name, start, start + f.CompressedSize64}, true
}

// dropOverlaps refuses, unread, every entry whose packed bytes overlap an
// earlier one's. A ZIP's directory can point many entries at one stored
// file, so that a few hundred kilobytes are read and checked hundreds of
// times; in a packet each member has bytes of its own.
func (o *opening) dropOverlaps(spans []span) {
	slices.SortStableFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var last span
	dropped := map[string]bool{}
	for _, s := range spans {
		if s.start < last.end && s.end > s.start {
			o.add(CodeUnreadable, s.name, "%q shares its bytes in the archive with %q; in a packet each file has its own", s.name, last.name)
			dropped[s.name] = true
			delete(o.entries, s.name)
			continue
		}
		if s.end > last.end {
			last = s
		}
	}
	if len(dropped) > 0 {
		o.order = slices.DeleteFunc(o.order, func(name string) bool { return dropped[name] })
	}
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
	switch {
	case f.Method != zip.Store && f.Method != zip.Deflate:
		report(CodeCompression, "%q uses compression method %d; a packet uses only store (0) and deflate (8)", name, f.Method)
	case f.Method == zip.Store && f.UncompressedSize64 > f.CompressedSize64:
		report(CodeTruncated, "%q ends before its declared size: the archive is cut off or damaged", name)
	case f.Method == zip.Store && f.UncompressedSize64 < f.CompressedSize64:
		report(CodeSizeMismatch, "%q holds more data than the archive declares for it", name)
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
// ends there and passes its CRC-32 check. The declared size is safe to
// allocate: scan checked that a stored entry's is its packed size, which
// lies inside the archive, and that deflated entries declare at most
// maxInflatedBytes in all.
func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	want := f.UncompressedSize64
	var buf bytes.Buffer
	buf.Grow(int(want) + 1 + bytes.MinRead) // room to read one byte past the end without growing
	_, err = buf.ReadFrom(io.LimitReader(rc, int64(want)+1))
	b := buf.Bytes()
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
