package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Relay is the SMTP server the app sends through.
type Relay struct {
	Host     string
	Port     int
	Username string
	Password string
	// RootCAs verifies the relay's certificate; nil means the system's.
	RootCAs *tls.Config
	// ServerName is the name the relay's certificate is checked against;
	// empty means Host.
	ServerName string
}

// ParseRelay reads smtp://user:password@host:port (port 587 by default).
func ParseRelay(s string) (Relay, error) {
	// Errors never repeat the address as given: it may hold the password.
	u, err := url.Parse(s)
	if err != nil {
		return Relay{}, errors.New("not an SMTP relay address: write it as smtp://user:password@host:port")
	}
	if u.Scheme != "smtp" || u.Hostname() == "" {
		return Relay{}, fmt.Errorf("not an SMTP relay address (smtp://user:password@host:port): %q", u.Redacted())
	}
	r := Relay{Host: u.Hostname(), Port: 587}
	if p := u.Port(); p != "" {
		if r.Port, err = strconv.Atoi(p); err != nil {
			return Relay{}, fmt.Errorf("bad port in %q", u.Redacted())
		}
	}
	if u.User != nil {
		r.Username = u.User.Username()
		r.Password, _ = u.User.Password()
	}
	return r, nil
}

// Error is a failed delivery; Temporary says whether retrying may help.
type Error struct {
	Code int // SMTP reply code, 0 when there was none
	Msg  string
	Temp bool
	Err  error // the cause, when it was not an SMTP reply
}

func (e *Error) Error() string {
	if e.Code == 0 {
		return e.Msg
	}
	return fmt.Sprintf("%s (SMTP %d)", e.Msg, e.Code)
}

// Temporary reports whether a retry may succeed.
func (e *Error) Temporary() bool { return e.Temp }

func (e *Error) Unwrap() error { return e.Err }

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers a message through the relay.
func Send(ctx context.Context, r Relay, m Message) error {
	raw, err := m.Build()
	if err != nil {
		return &Error{Msg: err.Error()}
	}
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = a.Email
	}
	return SendRaw(ctx, r, m.From.Email, to, raw)
}

// SendRaw delivers a message already written as RFC 5322 through the
// relay, with from and to as its envelope.
func SendRaw(ctx context.Context, r Relay, from string, to []string, raw []byte) error {
	c, err := connect(ctx, r)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail(from, &smtp.MailOptions{Size: int64(len(raw))}); err != nil {
		return classify(err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return classify(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return classify(err)
	}
	if _, err := w.Write(raw); err != nil {
		return classify(err)
	}
	if err := w.Close(); err != nil {
		return classify(err)
	}
	c.Quit()
	return nil
}

// connect opens a session with the relay: STARTTLS unless it runs on this
// computer, then AUTH PLAIN when a user name is set.
func connect(ctx context.Context, r Relay) (*smtp.Client, error) {
	addr := net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
	dialer := net.Dialer{Timeout: 15 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, &Error{Msg: "The mail server can't be reached: " + err.Error(), Temp: true, Err: err}
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(60 * time.Second))
	}
	var c *smtp.Client
	if loopback(r.Host) {
		// A relay on this computer (the local sink): plain SMTP is fine.
		c = smtp.NewClient(conn)
		if err := c.Hello("onramp.localhost"); err != nil {
			c.Close()
			return nil, classify(err)
		}
	} else {
		// Anywhere else, STARTTLS or nothing: credentials and SSN-adjacent
		// mail never cross a network in the clear.
		name := r.Host
		if r.ServerName != "" {
			name = r.ServerName
		}
		cfg := &tls.Config{ServerName: name}
		if r.RootCAs != nil {
			cfg = r.RootCAs.Clone()
			cfg.ServerName = name
		}
		if c, err = smtp.NewClientStartTLS(conn, cfg); err != nil {
			conn.Close()
			return nil, &Error{Msg: "The mail server did not start an encrypted (STARTTLS) session: " + err.Error(), Err: err}
		}
	}
	if r.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", r.Username, r.Password)); err != nil {
			c.Close()
			return nil, classify(err)
		}
	}
	return c, nil
}

// Check opens a session with the relay as Send would (STARTTLS unless on
// this computer, AUTH when a user name is set) and says goodbye without
// sending anything.
func Check(ctx context.Context, r Relay) error {
	c, err := connect(ctx, r)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Quit(); err != nil {
		return classify(err)
	}
	return nil
}

// Loopback reports whether host is this computer, where plain SMTP is
// allowed.
func Loopback(host string) bool { return loopback(host) }

// classify: 4xx replies and broken connections are worth retrying, 5xx are
// not.
func classify(err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return &Error{Code: se.Code, Msg: se.Message, Temp: se.Code >= 400 && se.Code < 500}
	}
	// A certificate that can't be trusted won't become trustworthy by
	// retrying: the relay's settings need fixing.
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	if errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) {
		return &Error{Msg: "The mail server's certificate can't be trusted, so nothing was sent over that encrypted session: " + err.Error()}
	}
	return &Error{Msg: err.Error(), Temp: true}
}

// Sink is a tiny SMTP server for this computer: every message it receives
// is handed to save. It is a real SMTP peer (go-smtp), for `make run` and
// tests.
type Sink struct {
	srv *smtp.Server
	ln  net.Listener
}

// NewSink listens on addr (e.g. 127.0.0.1:0) and saves each message.
func NewSink(addr string, save func(from string, to []string, data []byte) error) (*Sink, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := smtp.NewServer(sinkBackend{save: save})
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.MaxMessageBytes = 30 << 20
	go s.Serve(ln)
	return &Sink{srv: s, ln: ln}, nil
}

// Addr is where the sink listens.
func (s *Sink) Addr() string { return s.ln.Addr().String() }

// Close stops the sink.
func (s *Sink) Close() error { return s.srv.Close() }

type sinkBackend struct {
	save func(from string, to []string, data []byte) error
}

func (b sinkBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &sinkSession{save: b.save}, nil
}

type sinkSession struct {
	save func(from string, to []string, data []byte) error
	from string
	to   []string
}

func (s *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *sinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(string, string, string) error { return nil }), nil
}

func (s *sinkSession) Reset()        { s.from, s.to = "", nil }
func (s *sinkSession) Logout() error { return nil }

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *sinkSession) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		return err
	}
	return s.save(s.from, s.to, buf.Bytes())
}
