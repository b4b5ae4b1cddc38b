package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"onramp/backend/mail/mailtest"
)

// A relay that is not this computer gets STARTTLS and AUTH PLAIN, and is
// refused when it offers no encryption or a certificate nobody trusts; a
// wrong password is a permanent failure.
func TestRemoteRelayNeedsSTARTTLS(t *testing.T) {
	name := mailtest.OtherAddress(t)
	if Loopback(name) {
		t.Fatalf("%s counts as this computer", name)
	}
	cert, pool := mailtest.SelfSigned(t, name)
	msg := Message{ID: MessageID("tls-test"), From: Address{Email: "onramp@example.org"}, To: []Address{{Email: "team@example.org"}},
		Subject: "Über TLS", Text: "hello", Date: time.Now()}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	relay := mailtest.StartRelay(t, name, &cert, "relay-user", "relay-pass-ü")
	good := Relay{Host: name, Port: relay.Port, Username: "relay-user", Password: "relay-pass-ü", RootCAs: &tls.Config{RootCAs: pool}}
	if err := Send(ctx, good, msg); err != nil {
		t.Fatalf("send over STARTTLS: %v", err)
	}
	if got, overTLS := relay.Delivered(); len(got) != 1 || !overTLS || relay.Logins() != 1 || !strings.Contains(strings.ToLower(got[0]), "message-id: <tls-test@onramp.invalid>") {
		t.Errorf("delivered %d, over TLS %v, %d sign-ins", len(got), overTLS, relay.Logins())
	}

	bad := good
	bad.Password = "wrong"
	var me *Error
	if err := Send(ctx, bad, msg); !errors.As(err, &me) || me.Code != 535 || me.Temp {
		t.Errorf("wrong password: %v", err)
	}

	untrusted := good
	untrusted.RootCAs = &tls.Config{RootCAs: x509.NewCertPool()}
	if err := Send(ctx, untrusted, msg); !errors.As(err, &me) || me.Temp || !strings.Contains(err.Error(), "can't be trusted") {
		t.Errorf("a certificate nobody trusts was accepted: %v", err)
	}

	plain := mailtest.StartRelay(t, name, nil, "relay-user", "relay-pass-ü")
	noTLS := good
	noTLS.Port = plain.Port
	if err := Send(ctx, noTLS, msg); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("a relay without STARTTLS was used: %v", err)
	}
	if got, _ := plain.Delivered(); len(got) != 0 || plain.Logins() != 0 {
		t.Error("mail crossed the network in the clear")
	}
}
