package server

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"onramp/backend/intake"
)

// StepSubmitted is the mail_queue step of email a provider's app handed to
// the submission service (guidance rows name the step they guide to).
const StepSubmitted = "submitted"

// MailSubmissionConfig is what the mail submission service allows. The zero
// values of the limits take the defaults below.
type MailSubmissionConfig struct {
	// Domain names the service in its greeting.
	Domain string
	// TLS offers STARTTLS with the server's certificate. Off loopback it is
	// required before AUTH and MAIL; without it only loopback clients can
	// send at all.
	TLS *tls.Config
	// RequireTLS asks for STARTTLS on loopback too (loopback is otherwise
	// trusted, for tests and a relay on the same machine).
	RequireTLS bool
	// From is the address the network sends providers' email from; a
	// provider may also send from their own address.
	From, FromName string
	// Support and Credentialing are where providers may write besides
	// their own address.
	Support, Credentialing string
	// MaxRecipients per message (default 3: the provider, support and the
	// credentialing team).
	MaxRecipients int
	// MaxMessageBytes is announced with SIZE (default 30 MiB: the app's
	// largest packet attachment, 20 MiB, base64-encoded, fits).
	MaxMessageBytes int64
	// Rate is each provider's allowance of messages.
	Rate RateLimit
	// Now is the rate limit's clock (default time.Now).
	Now func() time.Time
	// Log is where failures go (default slog's default logger).
	Log *slog.Logger
}

// Defaults of MailSubmissionConfig.
const (
	DefaultMaxRecipients   = 3
	DefaultMaxMessageBytes = 30 << 20
	// maxRefusals refused commands in one connection are a flood (pipelined
	// or not): the next refusal answers 421 and hangs up.
	maxRefusals = 5
	// maxCommands MAIL, RCPT and AUTH commands are the most one connection
	// may send: enough for hundreds of messages, not for a flood.
	maxCommands = 3000
)

// The default rate lets a provider send a burst of 30 messages and one a
// minute after that: an app sends a receipt per submission and an
// occasional help request or packet.
const (
	DefaultRateBurst = 30
	DefaultRateEvery = time.Minute
)

// MailSubmission is the network's mail submission service: providers' apps
// sign in with their token (AUTH PLAIN) and hand it their email, which goes
// into the mail queue and out through the upstream relay with the
// guidance email.
type MailSubmission struct {
	db      *DB
	cfg     MailSubmissionConfig
	limiter *rateLimiter
	commits *groupCommit
	srv     *smtp.Server
}

// NewMailSubmission builds the service over the database.
func NewMailSubmission(db *DB, cfg MailSubmissionConfig) *MailSubmission {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = DefaultMaxRecipients
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if cfg.Rate.Burst <= 0 || cfg.Rate.Every <= 0 {
		cfg.Rate = RateLimit{Burst: DefaultRateBurst, Every: DefaultRateEvery}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Domain == "" {
		cfg.Domain = "onramp-intake"
	}
	s := &MailSubmission{db: db, cfg: cfg, limiter: newRateLimiter(cfg.Rate, cfg.Now), commits: newGroupCommit(db)}
	srv := smtp.NewServer(s)
	srv.Domain = cfg.Domain
	srv.TLSConfig = cfg.TLS
	// Whether AUTH may go in the clear is decided per connection (loopback
	// or not) by the session, which refuses it off loopback before STARTTLS.
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.ReadTimeout = 2 * time.Minute
	srv.WriteTimeout = 2 * time.Minute
	srv.ErrorLog = quietLog{cfg.Log}
	s.srv = srv
	return s
}

// Serve answers connections on ln until Close.
func (s *MailSubmission) Serve(ln net.Listener) error {
	return s.srv.Serve(guardedListener{ln})
}

// Close stops the service and its connections.
func (s *MailSubmission) Close() error {
	err := s.srv.Close()
	s.commits.close()
	return err
}

// Route is what the enrollment answer tells the app: the service at addr,
// its certificate checked against serverName (empty: addr's host). The
// user name is filled in per provider (RouteFor).
func (s *MailSubmission) Route(addr, serverName string) intake.MailRoute {
	return intake.MailRoute{Addr: addr, ServerName: serverName, From: s.cfg.From, FromName: s.cfg.FromName,
		Support: s.cfg.Support, Credentialing: s.cfg.Credentialing}
}

// WithMailRoute makes the enrollment answer tell the app route (see
// MailSubmission.Route), with the provider's user name.
func WithMailRoute(route intake.MailRoute) Option {
	return func(s *Server) { s.mailRoute = &route }
}

// mailRouteFor is the route for provider, nil when the service is not
// running.
func (s *Server) mailRouteFor(provider int64) *intake.MailRoute {
	if s.mailRoute == nil {
		return nil
	}
	r := *s.mailRoute
	r.Username = SubmissionUser(provider)
	return &r
}

// SubmissionUser is the user name a provider signs in to the submission
// service with.
func SubmissionUser(provider int64) string { return fmt.Sprintf("provider-%d", provider) }

// NewSession is go-smtp's Backend: one session per connection (and again
// after STARTTLS).
func (s *MailSubmission) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{svc: s, conn: c, guard: guardOf(c.Conn())}, nil
}

// plainAllowed: a connection may go without TLS only to a loopback
// listener, unless the service requires TLS everywhere.
func (s *MailSubmission) plainAllowed(c *smtp.Conn) bool {
	if _, isTLS := c.TLSConnectionState(); isTLS {
		return true
	}
	if s.cfg.RequireTLS {
		return false
	}
	tcp, ok := c.Conn().LocalAddr().(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// allowedFrom is whether a provider whose own addresses are own may send
// from addr.
func (s *MailSubmission) allowedFrom(addr string, own ownAddresses) bool {
	return sameAddress(addr, s.cfg.From) || own.has(addr)
}

// allowedTo is whether a provider whose own addresses are own may write to
// addr.
func (s *MailSubmission) allowedTo(addr string, own ownAddresses) bool {
	return own.has(addr) || sameAddress(addr, s.cfg.Support) || sameAddress(addr, s.cfg.Credentialing)
}

// ownAddresses are a provider's own: the invitation's address
// (providers.email) and the one their app was set up with, as their latest
// enrollment gave it (providers.enrolled_email), where the app sends
// receipts; often the same.
type ownAddresses struct{ invitation, enrolled string }

func (o ownAddresses) has(addr string) bool {
	return sameAddress(addr, o.invitation) || sameAddress(addr, o.enrolled)
}

// String names them for a refusal.
func (o ownAddresses) String() string {
	if o.enrolled == "" || sameAddress(o.enrolled, o.invitation) {
		return o.invitation
	}
	return o.invitation + " or " + o.enrolled
}

func sameAddress(a, b string) bool {
	return b != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// guardedListener hands out connections that can hang up right after the
// next answer: go-smtp writes the 421 that says why, then the connection
// closes, whatever the client pipelined behind it.
type guardedListener struct{ net.Listener }

func (l guardedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &guardedConn{Conn: c}, nil
}

type guardedConn struct {
	net.Conn
	hangup atomic.Bool
}

func (c *guardedConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if c.hangup.Load() {
		c.Conn.Close()
	}
	return n, err
}

// guardOf finds the guarded connection under c (under TLS after STARTTLS).
func guardOf(c net.Conn) *guardedConn {
	if t, ok := c.(*tls.Conn); ok {
		c = t.NetConn()
	}
	g, _ := c.(*guardedConn)
	return g
}

// quietLog keeps go-smtp's panics in the log and drops its other lines (a
// client hanging up mid-session is routine); refusals are answered to the
// client.
type quietLog struct{ log *slog.Logger }

func (q quietLog) Printf(format string, args ...any) {
	if strings.HasPrefix(format, "panic") {
		q.log.Error("mail submission: " + fmt.Sprintf(format, args...))
	}
}

func (quietLog) Println(...any) {}
