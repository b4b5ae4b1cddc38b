package windows

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// versionBlock encodes one VS_VERSIONINFO block as resource compilers do:
// header, NUL-terminated UTF-16 key, value and children, each 4-aligned.
func versionBlock(key string, value []byte, text bool, children ...[]byte) []byte {
	var b bytes.Buffer
	b.Write(make([]byte, 6)) // wLength, wValueLength, wType: filled in below
	for _, u := range utf16.Encode([]rune(key + "\x00")) {
		binary.Write(&b, binary.LittleEndian, u)
	}
	pad := func() { b.Write(make([]byte, align4(b.Len())-b.Len())) }
	pad()
	b.Write(value)
	for _, c := range children {
		pad()
		b.Write(c)
	}
	out := b.Bytes()
	valueLen := len(value)
	if text {
		valueLen /= 2
	}
	binary.LittleEndian.PutUint16(out, uint16(len(out)))
	binary.LittleEndian.PutUint16(out[2:], uint16(valueLen))
	if text {
		binary.LittleEndian.PutUint16(out[4:], 1)
	}
	return out
}

func utf16z(s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s + "\x00")) {
		binary.Write(&b, binary.LittleEndian, u)
	}
	return b.Bytes()
}

// rsrcSection lays out a .rsrc section at RVA base holding one resource
// of type typ (name 1, language 0x409) with the given data.
func rsrcSection(base, typ uint32, data []byte) []byte {
	le := binary.LittleEndian
	dir := func(entryID, target uint32) []byte {
		b := make([]byte, 24)
		le.PutUint16(b[14:], 1) // one ID entry
		le.PutUint32(b[16:], entryID)
		le.PutUint32(b[20:], target)
		return b
	}
	var s []byte
	s = append(s, dir(typ, 0x80000000|24)...)  // type → name directory at 24
	s = append(s, dir(1, 0x80000000|48)...)    // name → language directory at 48
	s = append(s, dir(0x409, 72)...)           // language → data entry at 72
	entry := make([]byte, 16)                  // at 72
	le.PutUint32(entry, base+88)               // data right after it
	le.PutUint32(entry[4:], uint32(len(data))) //
	s = append(s, entry...)
	return append(s, data...)
}

// TestReadVersionInfo: the resource walk and the VS_VERSIONINFO decoding
// read back what a hand-built resource holds, and refuse broken ones. It
// runs without the Windows build, so the reader is checked on every
// `go test ./...`.
func TestReadVersionInfo(t *testing.T) {
	fixed := make([]byte, 52)
	binary.LittleEndian.PutUint32(fixed, 0xFEEF04BD)
	binary.LittleEndian.PutUint32(fixed[8:], 1<<16|2)  // 1.2
	binary.LittleEndian.PutUint32(fixed[12:], 3<<16|4) // .3.4
	good := versionBlock("VS_VERSION_INFO", fixed, false,
		versionBlock("StringFileInfo", nil, true,
			versionBlock("040904b0", nil, true,
				versionBlock("ProductVersion", utf16z("1.2.3"), true),
				versionBlock("ProductName", utf16z("Onramp"), true))),
		versionBlock("VarFileInfo", nil, true,
			versionBlock("Translation", []byte{0x09, 0x04, 0xb0, 0x04}, false)))
	badSig := bytes.Clone(good)
	copy(badSig[bytes.Index(badSig, fixed):], []byte{0, 0, 0, 0})

	const base = 0x5000
	tests := []struct {
		name    string
		rsrc    []byte
		wantErr string
	}{
		{"a version resource", rsrcSection(base, rtVersion, good), ""},
		{"only an icon", rsrcSection(base, 3, good), "no resource of type 16"},
		{"a wrong signature", rsrcSection(base, rtVersion, badSig), "signature"},
		{"cut short", rsrcSection(base, rtVersion, good)[:150], "outside .rsrc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := decodeVersionInfo(tt.rsrc, base)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.FileVersion != "1.2.3.4" || info.Strings["ProductVersion"] != "1.2.3" || info.Strings["ProductName"] != "Onramp" {
				t.Errorf("read %+v", info)
			}
		})
	}
}
