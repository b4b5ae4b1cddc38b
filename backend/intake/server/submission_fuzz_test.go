package server

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSubmissionRead feeds arbitrary messages to the header checks of
// DATA: each is taken with a Message-ID and a From the provider may use,
// or refused with a 5xx answer; never a panic.
func FuzzSubmissionRead(f *testing.F) {
	f.Add(rawMessage("a@x", routeFrom, providerAddr, "hi"))
	f.Add([]byte("From: <" + routeFrom + ">\r\nMessage-ID: <>\r\n\r\n"))
	f.Add([]byte("From: =?utf-8?q?=C5=81?= <" + providerAddr + ">, <" + routeFrom + ">\r\nMessage-ID: <x y>\r\nSubject: =?bogus?q?x?=\r\n\r\n"))
	f.Add([]byte("\r\n\r\n"))
	svc := &MailSubmission{cfg: MailSubmissionConfig{From: routeFrom, Support: supportAddr, Credentialing: credAddr}}
	f.Fuzz(func(t *testing.T, msg []byte) {
		s := &session{svc: svc, provider: 1, own: ownAddresses{invitation: providerAddr}, from: routeFrom, to: []string{providerAddr}}
		m, refused := s.read(msg)
		if refused != nil {
			if refused.Code < 500 || !utf8.ValidString(refused.Message) {
				t.Fatalf("refused with %d %q", refused.Code, refused.Message)
			}
			return
		}
		if m.messageID == "" || len(m.messageID) > 250 || strings.ContainsAny(m.messageID, " \t\r\n") || m.provider != 1 || len(m.raw) != len(msg) {
			t.Fatalf("taken: %+v", m)
		}
	})
}
