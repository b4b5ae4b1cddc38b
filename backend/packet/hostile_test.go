package packet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	mrand "math/rand/v2"
	"strings"
	"testing"

	"onramp/backend/forms"
)

// rawEntry is one central-directory record of a hand-built archive, for
// what archive/zip's writer refuses to write: records that share one local
// file, and sizes that do not match the data.
type rawEntry struct {
	name   string
	method uint16
	data   []byte // as stored in the archive (packed when method is deflate)
	crc    uint32
	size   uint64 // declared unpacked size
	packed uint64 // declared packed size; 0 means len(data)
	shares int    // index+1 of an earlier entry whose local file this record points at; 0 for its own
}

func (e rawEntry) packedSize() uint64 {
	if e.packed != 0 {
		return e.packed
	}
	return uint64(len(e.data))
}

// rawZip writes entries as a ZIP archive: a local file for each entry that
// shares none, then the central directory.
func rawZip(entries []rawEntry) []byte {
	var out bytes.Buffer
	le := func(v ...any) {
		for _, x := range v {
			binary.Write(&out, binary.LittleEndian, x)
		}
	}
	offsets := make([]uint32, len(entries))
	for i, e := range entries {
		if e.shares > 0 {
			offsets[i] = offsets[e.shares-1]
			continue
		}
		offsets[i] = uint32(out.Len())
		le(uint32(0x04034b50), uint16(20), uint16(0), e.method, uint32(0), e.crc,
			uint32(e.packedSize()), uint32(e.size), uint16(len(e.name)), uint16(0))
		out.WriteString(e.name)
		out.Write(e.data)
	}
	dirStart := out.Len()
	for i, e := range entries {
		le(uint32(0x02014b50), uint16(3<<8|20), uint16(20), uint16(0), e.method, uint32(0), e.crc,
			uint32(e.packedSize()), uint32(e.size), uint16(len(e.name)), uint16(0), uint16(0),
			uint16(0), uint16(0), uint32(0o100644<<16), offsets[i])
		out.WriteString(e.name)
	}
	le(uint32(0x06054b50), uint16(0), uint16(0), uint16(len(entries)), uint16(len(entries)),
		uint32(out.Len()-dirStart), uint32(dirStart), uint16(0))
	return out.Bytes()
}

func storedEntry(name string, b []byte) rawEntry {
	return rawEntry{name: name, method: zip.Store, data: b, crc: crc32.ChecksumIEEE(b), size: uint64(len(b))}
}

// flushed deflates b as one piece of a longer stream: on its own, ending
// on a byte boundary with no final block, so pieces can be chained and
// copies of one piece repeated, as zeroStream does.
func flushed(b []byte) []byte {
	var out bytes.Buffer
	fw, _ := flate.NewWriter(&out, flate.DefaultCompression) // as Write deflates
	fw.Write(b)
	fw.Flush()
	return out.Bytes()
}

// repeatedJSON is a deflated entry holding head, then chunk repeated up to
// size bytes, then tail; its stream is the pieces deflated apart, so that
// building megabytes costs what deflating one chunk does.
func repeatedJSON(name, head, chunk, tail string, size int) rawEntry {
	n := (size - len(head) - len(tail)) / len(chunk)
	raw := head + strings.Repeat(chunk, n) + tail
	var packed bytes.Buffer
	packed.Write(flushed([]byte(head)))
	packed.Write(bytes.Repeat(flushed([]byte(chunk)), n))
	packed.Write(flushed([]byte(tail)))
	packed.Write([]byte{0x03, 0x00}) // an empty final block
	return rawEntry{name: name, method: zip.Deflate, data: packed.Bytes(), crc: crc32.ChecksumIEEE([]byte(raw)), size: uint64(len(raw))}
}

// justUnderRatio returns the chunk of JSON build makes for the largest k
// at which it still deflates within MaxRatio, k spacing out the noise that
// keeps it from deflating further: the most a member can unpack per byte
// of archive without being refused as a bomb.
func justUnderRatio(t testing.TB, build func(k int) string) string {
	t.Helper()
	within := func(k int) bool {
		c := build(k)
		return !overRatio(uint64(len(c)), uint64(len(flushed([]byte(c)))))
	}
	if !within(1) {
		t.Fatal("the JSON deflates past MaxRatio however noisy")
	}
	lo, hi := 1, 4096 // within(lo); past 4096 the noise no longer matters
	for hi-lo > 1 {
		if mid := (lo + hi) / 2; within(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return build(lo)
}

// noisy is 64 KiB of unit, with a random character of noise after every k
// units so that it deflates less the smaller k is.
func noisy(unit, noise string, k int) string {
	r := mrand.New(mrand.NewChaCha8([32]byte{9}))
	var b strings.Builder
	for i := 1; b.Len() < 64<<10; i++ {
		b.WriteString(unit)
		if i%k == 0 {
			b.WriteByte(noise[r.IntN(len(noise))])
		}
	}
	return b.String()
}

const dataHead = `{"format":"onramp-packet-data","version":1,"packetId":"p","createdAt":"2025-03-14T15:09:26Z","provider":{"legalName":"x"},`

// hostileCase is an input that once made Open do far more work than its
// size: want is the problem code Open must now refuse it with.
type hostileCase struct {
	name    string
	archive []byte
	want    string
}

// hostileArchives are the worst inputs found while chasing the fuzzer's
// stalls. Before the fix each took seconds and hundreds of megabytes from a
// few hundred kilobytes; now each is refused after little work, but for the
// last, the most JSON decoding Open still does.
func hostileArchives(t testing.TB) []hostileCase {
	t.Helper()
	// One stored local file of 200 KiB that 997 central-directory records
	// point at: 200 MB to read and check from a 260 KB archive (2 s).
	shared := make([]byte, 200<<10)
	sharedEntries := []rawEntry{storedEntry("attachments/000", shared)}
	for i := 1; i < MaxFiles-2; i++ {
		e := storedEntry(fmt.Sprintf("attachments/%03d", i), shared)
		e.data, e.packed, e.shares = nil, uint64(len(shared)), 1
		sharedEntries = append(sharedEntries, e)
	}

	// One deflated MiB of zeros that 200 records point at, each declaring
	// a packed size that keeps every ratio at 100: 200 MB to inflate.
	const mib = 1 << 20
	bomb := rawEntry{name: "attachments/000", method: zip.Deflate, data: zeroStream(mib), crc: zeroCRC(mib), size: mib, packed: mib/MaxRatio + 1}
	inflateEntries := []rawEntry{bomb}
	for i := 1; i < 200; i++ {
		e := bomb
		e.name, e.data, e.shares = fmt.Sprintf("attachments/%03d", i), nil, 1
		inflateEntries = append(inflateEntries, e)
	}

	// One entry whose declared packed size runs past the end of the
	// archive, so that 200 MB of zeros pass the ratio checks: 200 KB of
	// deflate, 4 s and 500 MB.
	const big = 200 * mib
	pastEnd := []rawEntry{{name: PDFFile, method: zip.Deflate, data: zeroStream(big), crc: zeroCRC(big), size: big, packed: big / MaxRatio}}

	// JSON whose every value costs the decoder an allocation: 4 MB of
	// "{}," deflated just under the ratio limit, 3 s and 800 MB.
	emptyValues := justUnderRatio(t, func(k int) string { return noisy(",{}", " \t\r\n", k) })
	emptyAttachments := repeatedJSON(DataFile, dataHead+`"attachments":[{}`, emptyValues, "]}", MaxDataBytes)
	emptyFiles := repeatedJSON(ManifestFile, `{"format":"onramp-packet","version":1,"files":[{}`, emptyValues, "]}", maxManifestBytes)
	// The most JSON decoding Open does: data.json at its limit, one form
	// of long answers, which decodes (a repeated name keeps the form
	// under forms.MaxDataBytes) and is refused for what is missing.
	answers := justUnderRatio(t, func(k int) string {
		text := noisy("a", "bcdefghijk", k)
		var b strings.Builder
		for ; len(text) >= 9000; text = text[9000:] { // under the 10,000 characters a value may have
			b.WriteString(`,"a":"` + text[:9000] + `"`)
		}
		return b.String()
	})
	longAnswers := repeatedJSON(DataFile, dataHead+`"forms":[{"id":"general","data":{"fields":{"a":""`, answers, "}}}]}", MaxDataBytes)

	return []hostileCase{
		{"records sharing one stored file", rawZip(sharedEntries), CodeUnreadable},
		{"records sharing one deflated file", rawZip(inflateEntries), CodeTooLarge},
		{"packed size past the end", rawZip(pastEnd), CodeTruncated},
		{"data.json listing 15,000 attachments", manyAttachments(t, 15000), CodeBadData},
		{"data.json of 4 MB of empty values", rawZip([]rawEntry{emptyAttachments}), CodeBadData},
		{"manifest.json of 1 MB of empty values", rawZip([]rawEntry{emptyFiles}), CodeBadManifest},
		{"data.json of 4 MB of long answers", rawZip([]rawEntry{longAnswers}), CodeMissingFile},
	}
}

// zeroStream is a raw deflate stream of n zero bytes (under 1 MiB or a
// multiple of it), built from copies of one block so it costs no time.
func zeroStream(n int) []byte {
	var block bytes.Buffer
	fw, _ := flate.NewWriter(&block, flate.BestCompression)
	fw.Write(make([]byte, min(n, 1<<20)))
	fw.Flush() // ends on a byte boundary with no final block, so copies chain
	var s bytes.Buffer
	for range max(1, n>>20) {
		s.Write(block.Bytes())
	}
	s.Write([]byte{0x03, 0x00}) // an empty final block
	return s.Bytes()
}

func zeroCRC(n int) uint32 {
	crc := crc32.NewIEEE()
	zeros := make([]byte, min(n, 1<<20))
	for left := n; left > 0; left -= len(zeros) {
		crc.Write(zeros[:min(left, len(zeros))])
	}
	return crc.Sum32()
}

// manyAttachments is a packet whose data.json lists n attachments, none of
// them in the archive, with a manifest that decodes.
func manyAttachments(t testing.TB, n int) []byte {
	t.Helper()
	c := testContents(t)
	d, err := DecodeData(c.DataJSON)
	if err != nil {
		t.Fatal(err)
	}
	sha := sha256Hex([]byte("x"))
	d.Attachments = nil
	for i := range n {
		name := fmt.Sprintf("a%05d", i)
		d.Attachments = append(d.Attachments, Attachment{Name: name, SHA256: sha, Path: AttachmentPath(sha, name)})
	}
	dataJSON, _ := json.Marshal(d)
	ms := unpack(t, testArchive(t, testKey(t)))
	return pack(t, replaced(ms, DataFile, dataJSON))
}

// largestPacket is a valid, signed packet at every limit at once, written
// by Write: MaxFiles members (every attachment a packet can hold) and both
// forms at their size limit. Its data.json deflates about 40 to 1, as far
// as the attachments' hashes let it. It is the most work Open does for a
// packet it accepts.
func largestPacket(t testing.TB, key ed25519.PrivateKey) []byte {
	t.Helper()
	c := testContents(t)
	d, err := DecodeData(c.DataJSON)
	if err != nil {
		t.Fatal(err)
	}
	d.Attachments, c.Attachments = nil, map[string][]byte{}
	for i := range maxAttachments {
		b := fmt.Appendf(nil, "%%PDF-1.4 attachment %d", i)
		a := Attachment{Form: forms.FormCredentialing, Field: "cvDoc", Name: fmt.Sprintf("scan-%03d.pdf", i), Type: "application/pdf", Size: int64(len(b)), SHA256: sha256Hex(b)}
		a.Path = AttachmentPath(a.SHA256, a.Name)
		d.Attachments, c.Attachments[a.Path] = append(d.Attachments, a), b
	}
	// Long answers, under the 10,000 characters a value may have, fill
	// each form up to forms.MaxDataBytes.
	const answer = 9000
	d.Forms = nil
	for _, id := range []string{forms.FormGeneral, forms.FormCredentialing} {
		f := forms.NewData()
		for i := range (forms.MaxDataBytes - 1024) / (answer + 20) {
			f.Fields[fmt.Sprintf("answer%04d", i)] = strings.Repeat("a", answer)
		}
		d.Forms = append(d.Forms, Form{ID: id, SchemaVersion: 1, Version: 1, SubmittedAt: testCreated, SHA256: f.Hash(), Data: f})
	}
	c.DataJSON = d.Encode()
	var buf bytes.Buffer
	if err := Write(&buf, c, key); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
