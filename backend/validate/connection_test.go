package validate

import (
	"strings"
	"testing"
)

// The cases of backend/onboarding's settings tests, where these checks
// come from, and the edges around them.
func TestHost(t *testing.T) {
	for _, h := range []string{"mail.network.example", "smtp.example.org", "smtp.example.org.", "localhost", "MAIL-1.Example.ORG",
		"192.0.2.25", "127.0.0.1", "2001:db8::25", "::1", strings.Repeat("a", 63) + ".example"} {
		if err := Host(h); err != nil {
			t.Errorf("Host(%q) = %v", h, err)
		}
	}
	for h, want := range map[string]string{
		"smtp://mail.network.example":          "without smtp:// in front",
		"mail.network.example:587":             "Port field",
		"[2001:db8::25]":                       "Port field", // brackets are the caller's to take off
		"mail network":                         "no spaces",
		"mail\tnetwork":                        "no spaces",
		"mail_1.example":                       "letters, digits, dots and hyphens",
		"mäil.example":                         "letters, digits, dots and hyphens",
		strings.Repeat("a", 64) + ".example":   "isn't a host name",
		"-mail.example":                        "isn't a host name",
		"mail-.example":                        "isn't a host name",
		"mail..example":                        "isn't a host name",
		"":                                     "isn't a host name",
		".":                                    "isn't a host name",
		strings.Repeat("abcdefghi.", 26) + "x": "too long",
	} {
		if err := Host(h); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Host(%q) = %v, want %q", h, err, want)
		}
	}
}

func TestPort(t *testing.T) {
	for p, want := range map[string]int{"": 587, "587": 587, "2587": 2587, "1": 1, "65535": 65535, "25": 25, "0587": 587} {
		if got, err := Port(p, 587); got != want || err != nil {
			t.Errorf("Port(%q) = %d, %v; want %d", p, got, err, want)
		}
	}
	if got, _ := Port("", 25); got != 25 {
		t.Errorf("Port(\"\", 25) = %d: empty is the given default", got)
	}
	for _, p := range []string{"0", "70000", "65536", "-1", "submission", "587 ", "5 87", "+587"} {
		got, err := Port(p, 587)
		if p == "+587" && err == nil { // strconv.Atoi takes a sign, as the settings check always did
			continue
		}
		if err == nil || got != 0 || !strings.Contains(err.Error(), "number from 1 to 65535") {
			t.Errorf("Port(%q) = %d, %v", p, got, err)
		}
	}
}

func TestUsername(t *testing.T) {
	for _, u := range []string{"", "clinic", "onramp@example.org", "DOMAIN\\user", "名前", strings.Repeat("é", 256)} {
		if err := Username(u); err != nil {
			t.Errorf("Username(%q) = %v", u, err)
		}
	}
	for u, want := range map[string]string{
		"a\nb":                   "line breaks",
		"a\tb":                   "line breaks",
		"a\x00b":                 "line breaks",
		strings.Repeat("é", 257): "too long",
	} {
		if err := Username(u); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Username(%q) = %v, want %q", u, err, want)
		}
	}
}

func TestMailbox(t *testing.T) {
	for _, v := range []string{"onramp@network.example", "help@network.example", "onramp@localhost", "support@network.localhost", "a.b+c@example.org"} {
		if err := Mailbox(v, "the address"); err != nil {
			t.Errorf("Mailbox(%q) = %v", v, err)
		}
	}
	for _, c := range []struct{ v, what, want string }{
		{"", "the address Onramp's email comes from", "Enter the address Onramp's email comes from."},
		{"", "support's email address", "Enter support's email address."},
		{"support", "x", "one @"},
		{"cred team@network.example", "x", "spaces"},
		{"@localhost", "x", "doesn't look like an email address"},
		{"onramp@localhost.", "x", "doesn't look like an email address"},
		{"onramp@example", "x", "needs a dot"},
	} {
		if err := Mailbox(c.v, c.what); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Mailbox(%q, %q) = %v, want %q", c.v, c.what, err, c.want)
		}
	}
	// Email still refuses localhost for people.
	if Email("onramp@localhost") == nil {
		t.Error("Email takes name@localhost")
	}
}
