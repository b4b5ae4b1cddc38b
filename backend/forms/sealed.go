package forms

import "strings"

// SealedMask is what a sealed field that is not a secret (the CAQH user
// name, the date of birth) shows off this computer: in the data the
// network stores, packets and email. Secrets keep their own masks
// (formfill's secretMask), which start with the same dot.
const SealedMask = "••••••••"

// IsMask reports whether v is a mask, not a value: the server refuses a
// sealed field whose data carries anything else.
func IsMask(v string) bool { return strings.HasPrefix(v, "•") }
