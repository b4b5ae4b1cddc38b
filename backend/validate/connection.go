package validate

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Settings screen's checks: the mail relay's host, port and user name,
// and the addresses the app sends from and to. Callers trim the values
// first (and take the brackets off an IPv6 host): what is checked is what
// is saved.

// Host checks a mail relay host: a DNS name or an IP address, nothing else.
func Host(h string) error {
	switch {
	case strings.Contains(h, "://"):
		return errors.New("Enter only the host name, like smtp.example.org, without smtp:// in front.")
	case net.ParseIP(h) != nil:
		return nil
	case strings.Contains(h, ":"):
		return errors.New("Put the port in the Port field, not after the host name.")
	case strings.IndexFunc(h, unicode.IsSpace) >= 0:
		return errors.New("A host name has no spaces.")
	case len(h) > 253:
		return errors.New("This host name is too long (253 characters at most).")
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return errors.New("This isn't a host name. Enter one like smtp.example.org.")
		}
		for _, r := range label {
			if !(r == '-' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
				return errors.New("A host name has only letters, digits, dots and hyphens, like smtp.example.org.")
			}
		}
	}
	return nil
}

// Port reads a mail relay port, 1 to 65535; empty means def (the
// submission port, 587, on the Settings screen). On an error the port is 0.
func Port(p string, def int) (int, error) {
	if p == "" {
		return def, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return 0, errors.New("Enter the port as a number from 1 to 65535 (usually 587).")
	}
	return n, nil
}

// Username checks a mail relay user name: anything up to 256 characters
// but control characters, which would break the sign-in exchange. Empty is
// fine (a relay without sign-in).
func Username(u string) error {
	switch {
	case utf8.RuneCountInString(u) > 256:
		return errors.New("This user name is too long (256 characters at most).")
	case strings.IndexFunc(u, unicode.IsControl) >= 0:
		return errors.New("A user name can't contain line breaks or tabs.")
	}
	return nil
}

// Mailbox checks an address the app sends from or to; what names it in the
// message for an empty one ("Enter " + what + "."). Besides what Email
// takes it takes name@localhost, the mail sink's on this computer (make
// run), which Email rightly refuses for people.
func Mailbox(v, what string) error {
	if v == "" {
		return errors.New("Enter " + what + ".")
	}
	if local, ok := strings.CutSuffix(v, "@localhost"); ok {
		v = local + "@localhost.localdomain"
	}
	return Email(v)
}
