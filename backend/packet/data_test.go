package packet

import (
	"errors"
	"testing"
)

// data.json is read strictly: a stray closing brace after the value is
// refused like any trailing data.
func TestDecodeDataRefusesTrailingText(t *testing.T) {
	d := Data{Format: DataFormat, Version: DataVersion, PacketID: "PKT-2345-6789", Provider: Provider{LegalName: "Zoë Łukasiewicz"}}
	raw := d.Encode()
	if _, err := DecodeData(raw); err != nil {
		t.Fatalf("the encoded data does not read back: %v", err)
	}
	for _, tail := range []string{"}", "]", " {}", " x"} {
		if _, err := DecodeData(append(append([]byte{}, raw...), tail...)); !errors.Is(err, ErrBadData) {
			t.Errorf("data.json followed by %q: %v", tail, err)
		}
	}
}
