package seal

import "testing"

// Boxes and public keys come from outside (the wire, the database): no
// input may panic, and only a box sealed for the field opens.
func FuzzOpen(f *testing.F) {
	pub, priv, err := GenerateKey()
	if err != nil {
		f.Fatal(err)
	}
	box, _ := Seal(pub, "credentialing/ssn", []byte("219-09-8765"))
	f.Add(box, "credentialing/ssn")
	f.Add("", "")
	f.Add("AAAA", "x")
	f.Fuzz(func(t *testing.T, sealed, name string) {
		v, err := Open(priv, name, sealed)
		if err == nil && (sealed != box || name != "credentialing/ssn" || string(v) != "219-09-8765") {
			t.Fatalf("opened %q for %q", v, name)
		}
		if err == nil && !WellFormed(sealed) {
			t.Fatal("opened a box WellFormed refuses")
		}
		ParsePublicKey(sealed)
	})
}
