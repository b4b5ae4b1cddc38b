package packet

import (
	"errors"
	"strings"
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

// Version 2 names the app version that made the packet; version 1 packets
// (made before it) still read, and the field is checked like the app's
// version report.
func TestDecodeDataVersions(t *testing.T) {
	const head = `{"format":"onramp-packet-data","packetId":"p","createdAt":"2025-03-14T15:09:26Z","provider":{"legalName":"x"},"forms":[],"attachments":[]`
	for _, c := range []struct {
		name, fields string
		ok           bool
	}{
		{"version 1 without appVersion", `,"version":1`, true},
		{"version 2 with appVersion", `,"version":2,"appVersion":"0.1.0"`, true},
		{"version 2 without appVersion", `,"version":2`, true},
		{"version 1 with appVersion", `,"version":1,"appVersion":"0.1.0"`, false},
		{"version 3", `,"version":3,"appVersion":"0.1.0"`, false},
		{"version 0", `,"version":0`, false},
		{"appVersion with a space", `,"version":2,"appVersion":"1.0 beta"`, false},
		{"appVersion too long", `,"version":2,"appVersion":"` + strings.Repeat("9", 65) + `"`, false},
	} {
		d, err := DecodeData([]byte(head + c.fields + "}"))
		if c.ok && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if !c.ok && !errors.Is(err, ErrBadData) {
			t.Errorf("%s: read as %+v, %v", c.name, d, err)
		}
	}
	d := Data{Format: DataFormat, Version: DataVersion, PacketID: "p", AppVersion: "1.2.3", Provider: Provider{LegalName: "x"}}
	back, err := DecodeData(d.Encode())
	if err != nil || back.AppVersion != "1.2.3" || back.Version != 2 {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}
