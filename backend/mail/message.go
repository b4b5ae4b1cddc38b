// Package mail builds Onramp's emails as proper MIME (UTF-8 names and
// subjects, attachments) and delivers them over SMTP: STARTTLS required for
// any relay off this computer, AUTH PLAIN when credentials are set, 4xx
// answers retried, 5xx answers failed.
package mail

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	gomail "github.com/emersion/go-message/mail"
)

// Address is a name and an email address.
type Address struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Data []byte `json:"data"`
}

// Message is one email. ID becomes the Message-ID, so a resend of the same
// queued item is recognisably the same message.
type Message struct {
	ID          string       `json:"id"`
	From        Address      `json:"from"`
	To          []Address    `json:"to"`
	ReplyTo     []Address    `json:"replyTo,omitempty"` // where a reply goes, when not to From
	Subject     string       `json:"subject"`
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Date        time.Time    `json:"date"`
}

// MessageID makes a stable Message-ID from an idempotency key.
func MessageID(key string) string {
	clean := strings.Map(func(r rune) rune {
		if r < 33 || r > 126 || strings.ContainsRune("<>@\\\"()[],;:", r) {
			return '.'
		}
		return r
	}, key)
	return clean + "@onramp.invalid"
}

// Build writes the message as RFC 5322 with MIME parts.
func (m Message) Build() ([]byte, error) {
	if len(m.To) == 0 {
		return nil, fmt.Errorf("message %s has no recipient", m.ID)
	}
	var h gomail.Header
	h.SetDate(m.Date)
	h.SetSubject(m.Subject)
	h.SetMessageID(m.ID)
	h.SetAddressList("From", []*gomail.Address{{Name: m.From.Name, Address: m.From.Email}})
	h.SetAddressList("To", addressList(m.To))
	if len(m.ReplyTo) > 0 {
		h.SetAddressList("Reply-To", addressList(m.ReplyTo))
	}
	var buf bytes.Buffer
	if len(m.Attachments) == 0 {
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		w, err := gomail.CreateSingleInlineWriter(&buf, h)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(w, m.Text); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	w, err := gomail.CreateWriter(&buf, h)
	if err != nil {
		return nil, err
	}
	var th gomail.InlineHeader
	th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	tw, err := w.CreateSingleInline(th)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(tw, m.Text); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		var ah gomail.AttachmentHeader
		ah.SetContentType(a.Type, nil)
		ah.SetFilename(a.Name)
		aw, err := w.CreateAttachment(ah)
		if err != nil {
			return nil, err
		}
		if _, err := aw.Write(a.Data); err != nil {
			return nil, err
		}
		if err := aw.Close(); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func addressList(as []Address) []*gomail.Address {
	out := make([]*gomail.Address, len(as))
	for i, a := range as {
		out[i] = &gomail.Address{Name: a.Name, Address: a.Email}
	}
	return out
}
