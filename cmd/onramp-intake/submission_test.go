package main

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/testenv"
)

// serve --submission-addr tells enrolling apps the route, takes their email
// there and relays it through --smtp.
func TestServeRunsMailSubmission(t *testing.T) {
	inbox, sink, dbPath, code := invitedWithSink(t)
	url, _, _ := startServe(t, dbPath, serveConfig{addr: "127.0.0.1:0", smtp: "smtp://" + sink.Addr(), mailFrom: "Network onboarding <onboarding@network.example>",
		submissionAddr: "127.0.0.1:0", supportEmail: "support@network.example", credentialingEmail: "Credentialing <cred@network.example>"})
	ctx := context.Background()
	c, _ := intake.NewClient(url, "", 10*time.Second)
	resp, err := c.EnrollRequest(ctx, intake.EnrollRequest{InvitationCode: code, Installation: "i1", Name: "Zoë", Email: "zoe@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Mail
	if r == nil || r.Username != "provider-1" || r.From != "onboarding@network.example" || r.FromName != "Network onboarding" ||
		r.Support != "support@network.example" || r.Credentialing != "cred@network.example" || strings.HasSuffix(r.Addr, ":0") {
		t.Fatalf("route: %+v", r)
	}
	host, port, _ := net.SplitHostPort(r.Addr)
	relay := mail.Relay{Host: host, Username: r.Username, Password: resp.Token}
	relay.Port, _ = strconv.Atoi(port)
	msg := mail.Message{ID: "receipt-1@onramp.invalid", From: mail.Address{Email: r.From}, To: []mail.Address{{Email: "zoe@example.org"}},
		Subject: "Received", Text: "hello", Date: time.Now()}
	if err := mail.Send(ctx, relay, msg); err != nil {
		t.Fatal(err)
	}
	// The invitation's welcome email goes out through the same loop.
	relayed := func(id string) bool {
		for _, m := range inbox.Messages() {
			if strings.Contains(m, "Message-Id: <"+id) {
				return true
			}
		}
		return false
	}
	testenv.Eventually(t, "the email relayed", func() bool { return relayed("receipt-1@onramp.invalid>") })
	testenv.Eventually(t, "the welcome email relayed", func() bool { return relayed("intake/welcome/") })
	if n := len(inbox.Messages()); n != 2 {
		t.Errorf("%d messages relayed, want the receipt and the welcome", n)
	}
}

func TestServeSubmissionFlags(t *testing.T) {
	tests := []struct {
		name string
		cfg  serveConfig
		want string
	}{
		{"off loopback without a certificate", serveConfig{submissionAddr: "192.0.2.1:587"}, "--tls-cert"},
		{"no port", serveConfig{submissionAddr: "127.0.0.1"}, "HOST:PORT"},
		{"any address without a name", serveConfig{submissionAddr: "0.0.0.0:587", cert: "c", key: "k"}, "--submission-name"},
		{"bad support address", serveConfig{submissionAddr: "127.0.0.1:0", supportEmail: "not an address", credentialingEmail: "c@x.example"}, "--support-email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.addr, tt.cfg.mailFrom = "127.0.0.1:0", "a@x.example"
			if _, err := tt.cfg.parseSubmission(mail.Address{Email: "a@x.example"}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

// serve's --tls-cert and --tls-key are the submission service's STARTTLS
// certificate: off loopback, the app's own client (mail.Send's STARTTLS
// path) gets through with it, and AUTH in the clear is refused.
func TestServeSubmissionOverSTARTTLS(t *testing.T) {
	ip := mailtest.OtherAddress(t)
	inbox, sink, dbPath, code := invitedWithSink(t)
	dir := t.TempDir()
	cert, pool := mailtest.SelfSigned(t, "127.0.0.1", ip)
	certFile, keyFile := mailtest.WritePEM(t, dir, cert)
	url, _, _ := startServe(t, dbPath, serveConfig{addr: "127.0.0.1:0", cert: certFile, key: keyFile, smtp: "smtp://" + sink.Addr(),
		mailFrom: "onboarding@network.example", submissionAddr: net.JoinHostPort(ip, "0"),
		supportEmail: "support@network.example", credentialingEmail: "cred@network.example"})
	ctx := context.Background()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := hc.Post(url+"/v1/enroll", "application/json", strings.NewReader(`{"invitationCode": "`+code+`", "installation": "i1", "name": "Zoë"}`))
	if err != nil {
		t.Fatal(err)
	}
	var enrolled intake.EnrollResponse
	json.NewDecoder(resp.Body).Decode(&enrolled)
	resp.Body.Close()
	if enrolled.Mail == nil || !strings.HasPrefix(enrolled.Mail.Addr, ip+":") {
		t.Fatalf("enrollment: %+v", enrolled)
	}

	plain, err := textproto.Dial("tcp", enrolled.Mail.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	plain.ReadResponse(220)
	plain.Cmd("EHLO test")
	plain.ReadResponse(250)
	plain.Cmd("AUTH PLAIN %s", base64.StdEncoding.EncodeToString([]byte("\x00"+enrolled.Mail.Username+"\x00"+enrolled.Token)))
	if code, _, _ := plain.ReadResponse(0); code != 530 {
		t.Errorf("AUTH in the clear off loopback: %d, want 530", code)
	}

	host, port, _ := net.SplitHostPort(enrolled.Mail.Addr)
	relay := mail.Relay{Host: host, Username: enrolled.Mail.Username, Password: enrolled.Token, RootCAs: &tls.Config{RootCAs: pool}}
	relay.Port, _ = strconv.Atoi(port)
	msg := mail.Message{ID: "tls-1@onramp.invalid", From: mail.Address{Email: enrolled.Mail.From}, To: []mail.Address{{Email: "support@network.example"}},
		Subject: "Help request", Text: "hello", Date: time.Now()}
	if err := mail.Send(ctx, relay, msg); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "the email relayed", func() bool { return len(inbox.Messages()) == 1 })
}
