package windows

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// versionInfo is what Windows shows on a file's Details tab: the numeric
// file version of VS_FIXEDFILEINFO and the StringFileInfo strings
// (ProductVersion, ProductName, …).
type versionInfo struct {
	FileVersion string // a.b.c.d
	Strings     map[string]string
}

const rtVersion = 16 // RT_VERSION

// readVersionInfo finds the RT_VERSION resource in the .rsrc section and
// decodes it. debug/pe reads headers, sections and imports but not
// resources, so the resource directory is walked here.
func readVersionInfo(f *pe.File) (versionInfo, error) {
	sec := f.Section(".rsrc")
	if sec == nil {
		return versionInfo{}, errors.New("no .rsrc section (no resources at all)")
	}
	rsrc, err := sec.Data()
	if err != nil {
		return versionInfo{}, fmt.Errorf("read .rsrc: %w", err)
	}
	return decodeVersionInfo(rsrc, sec.VirtualAddress)
}

// decodeVersionInfo reads the version resource from the bytes of a .rsrc
// section loaded at RVA base.
func decodeVersionInfo(rsrc []byte, base uint32) (versionInfo, error) {
	raw, err := firstResource(rsrc, base, rtVersion)
	if err != nil {
		return versionInfo{}, err
	}
	root, err := parseVersionNode(raw)
	if err != nil {
		return versionInfo{}, fmt.Errorf("VS_VERSIONINFO: %w", err)
	}
	if root.key != "VS_VERSION_INFO" || len(root.value) < 52 {
		return versionInfo{}, fmt.Errorf("VS_VERSIONINFO: key %q, %d bytes of fixed info", root.key, len(root.value))
	}
	le := binary.LittleEndian
	if sig := le.Uint32(root.value); sig != 0xFEEF04BD {
		return versionInfo{}, fmt.Errorf("VS_FIXEDFILEINFO signature %#x", sig)
	}
	ms, ls := le.Uint32(root.value[8:]), le.Uint32(root.value[12:])
	info := versionInfo{
		FileVersion: fmt.Sprintf("%d.%d.%d.%d", ms>>16, ms&0xffff, ls>>16, ls&0xffff),
		Strings:     map[string]string{},
	}
	for _, c := range root.children {
		if c.key != "StringFileInfo" {
			continue
		}
		for _, table := range c.children {
			for _, s := range table.children {
				info.Strings[s.key] = decodeUTF16(s.value)
			}
		}
	}
	return info, nil
}

// firstResource returns the data of the first resource of a type (any
// name, any language). The directory has three levels (type, name,
// language); an entry whose offset has the high bit set points at a
// subdirectory, otherwise at a data entry whose address is an RVA.
func firstResource(rsrc []byte, base uint32, typ uint32) ([]byte, error) {
	const subdir = 0x80000000
	le := binary.LittleEndian
	entries := func(off uint32) ([][2]uint32, error) {
		if uint64(off)+16 > uint64(len(rsrc)) {
			return nil, fmt.Errorf("resource directory at %#x is outside .rsrc", off)
		}
		n := int(le.Uint16(rsrc[off+12:])) + int(le.Uint16(rsrc[off+14:]))
		if uint64(off)+16+8*uint64(n) > uint64(len(rsrc)) {
			return nil, fmt.Errorf("resource directory at %#x overruns .rsrc", off)
		}
		out := make([][2]uint32, n)
		for i := range out {
			e := off + 16 + 8*uint32(i)
			out[i] = [2]uint32{le.Uint32(rsrc[e:]), le.Uint32(rsrc[e+4:])}
		}
		return out, nil
	}
	types, err := entries(0)
	if err != nil {
		return nil, err
	}
	next := uint32(0)
	for _, e := range types {
		if e[0] == typ && e[1]&subdir != 0 {
			next = e[1] &^ subdir
		}
	}
	if next == 0 {
		return nil, fmt.Errorf("no resource of type %d", typ)
	}
	for level := 0; level < 2; level++ { // name, then language: take the first
		es, err := entries(next)
		if err != nil {
			return nil, err
		}
		if len(es) == 0 {
			return nil, fmt.Errorf("empty resource directory at %#x", next)
		}
		next = es[0][1]
		if level == 0 && next&subdir == 0 || level == 1 && next&subdir != 0 {
			return nil, fmt.Errorf("resource directory at %#x is not three levels deep", next)
		}
		next &^= subdir
	}
	if uint64(next)+16 > uint64(len(rsrc)) {
		return nil, fmt.Errorf("resource data entry at %#x is outside .rsrc", next)
	}
	rva, size := le.Uint32(rsrc[next:]), le.Uint32(rsrc[next+4:])
	if rva < base || uint64(rva-base)+uint64(size) > uint64(len(rsrc)) {
		return nil, fmt.Errorf("resource data at RVA %#x (%d bytes) is outside .rsrc", rva, size)
	}
	return rsrc[rva-base : rva-base+size], nil
}

// versionNode is one block of a VS_VERSIONINFO tree: wLength, wValueLength,
// wType, a NUL-terminated UTF-16 key, the value, then child blocks, each
// start aligned to 4 bytes.
type versionNode struct {
	key      string
	value    []byte
	children []versionNode
}

func parseVersionNode(b []byte) (versionNode, error) {
	le := binary.LittleEndian
	if len(b) < 6 {
		return versionNode{}, errors.New("block shorter than its header")
	}
	length, valueLen, text := int(le.Uint16(b)), int(le.Uint16(b[2:])), le.Uint16(b[4:]) == 1
	if length < 6 || length > len(b) {
		return versionNode{}, fmt.Errorf("block length %d of %d bytes", length, len(b))
	}
	b = b[:length]
	pos := 6
	var key []uint16
	for {
		if pos+2 > length {
			return versionNode{}, errors.New("key not terminated")
		}
		c := le.Uint16(b[pos:])
		pos += 2
		if c == 0 {
			break
		}
		key = append(key, c)
	}
	pos = align4(pos)
	if text {
		valueLen *= 2 // a text value's length counts UTF-16 units
	}
	end := min(pos+valueLen, length)
	n := versionNode{key: string(utf16.Decode(key)), value: b[min(pos, length):end]}
	for pos = align4(end); pos+6 <= length; {
		child, err := parseVersionNode(b[pos:])
		if err != nil {
			return versionNode{}, fmt.Errorf("%s: %w", n.key, err)
		}
		n.children = append(n.children, child)
		pos = align4(pos + int(le.Uint16(b[pos:])))
	}
	return n, nil
}

func align4(n int) int { return (n + 3) &^ 3 }

func decodeUTF16(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return strings.TrimRight(string(utf16.Decode(u)), "\x00")
}
