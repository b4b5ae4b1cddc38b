package validate

import (
	"crypto/rand"
	"errors"
	"io"
	"strings"
)

// InvitationAlphabet is the 32 characters invitation codes are made of:
// capital letters and digits without I, O, 0 and 1, which read alike.
const InvitationAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

const invitationLen = 12

// NormalizeInvitationCode upper-cases a code and strips spaces and dashes.
func NormalizeInvitationCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

// FormatInvitationCode writes a normalized code as XXXX-XXXX-XXXX.
func FormatInvitationCode(s string) string {
	s = NormalizeInvitationCode(s)
	if len(s) != invitationLen {
		return s
	}
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12]
}

// InvitationCode checks a network invitation code: 12 characters from
// InvitationAlphabet (dashes and spaces ignored), the last one a Luhn mod 32
// check character, so that a typo is caught even offline.
func InvitationCode(s string) error {
	code := NormalizeInvitationCode(s)
	if code == "" {
		return errors.New("Enter the invitation code from your welcome email.")
	}
	for _, r := range code {
		if strings.ContainsRune("IO01", r) {
			return errors.New("Invitation codes never use I, O, 0 or 1. Check the code in your welcome email.")
		}
		if !strings.ContainsRune(InvitationAlphabet, r) {
			return errors.New("An invitation code has only letters and digits, like ABCD-EFGH-JKLM.")
		}
	}
	if len(code) != invitationLen {
		return errors.New("An invitation code has 12 characters, like ABCD-EFGH-JKLM.")
	}
	if luhn32(code, false) != 0 {
		return errors.New("This invitation code has a typo: check each character against your welcome email.")
	}
	return nil
}

// NewInvitationCode makes a random, valid invitation code from r (nil means
// crypto/rand).
func NewInvitationCode(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	buf := make([]byte, invitationLen-1)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", err
	}
	body := make([]byte, len(buf))
	for i, b := range buf {
		body[i] = InvitationAlphabet[int(b)%len(InvitationAlphabet)]
	}
	check := (32 - luhn32(string(body), true)) % 32
	return FormatInvitationCode(string(body) + string(InvitationAlphabet[check])), nil
}

// luhn32 is the Luhn mod N sum over the alphabet. With forCheck, digits are
// weighted as if a check character were about to be appended.
func luhn32(code string, forCheck bool) int {
	const n = len(InvitationAlphabet)
	factor := 1
	if forCheck {
		factor = 2
	}
	sum := 0
	for i := len(code) - 1; i >= 0; i-- {
		addend := factor * strings.IndexByte(InvitationAlphabet, code[i])
		addend = addend/n + addend%n
		sum += addend
		factor = 3 - factor
	}
	return sum % n
}
