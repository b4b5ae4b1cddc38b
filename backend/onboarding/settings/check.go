package settings

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"onramp/backend/forms"
	"onramp/backend/mail"
)

// Results of a connection check.
const (
	CheckOK      = "ok"
	CheckFailed  = "failed"
	CheckSkipped = "skipped" // nothing set, or the field has a problem
)

// checkTimeout bounds each half of "Test connection".
const checkTimeout = 10 * time.Second

// CheckResult is one half of "Test connection", in plain words.
type CheckResult struct {
	Status  string `json:"status"` // CheckOK, CheckFailed or CheckSkipped
	Message string `json:"message"`
}

// SettingsTest is what "Test connection" found. Problems are the fields to
// fix first; a part whose fields have problems is not tried.
type SettingsTest struct {
	Problems []forms.Problem `json:"problems"`
	Intake   CheckResult     `json:"intake"`
	Mail     CheckResult     `json:"mail"`
}

// TestSettings tries the settings as typed, without saving them: the intake
// server's /healthz, and a session with the mail relay (STARTTLS unless it
// runs on this computer, AUTH when a user name is set). Nothing is sent.
func (s *Service) TestSettings(ctx context.Context, def Connection, in ConnectionSettings, password string, clearPassword bool) (SettingsTest, error) {
	c, pw, problems, err := s.checkSettings(ctx, def, in, password, clearPassword)
	if err != nil {
		return SettingsTest{}, err
	}
	bad := map[string]bool{}
	for _, p := range problems {
		bad[p.Field] = true
	}
	if problems == nil {
		problems = []forms.Problem{}
	}
	out := SettingsTest{Problems: problems}
	switch {
	case bad[FieldIntakeURL]:
		out.Intake = CheckResult{CheckSkipped, "Not tried: fix the intake server address first."}
	case c.IntakeURL == "":
		out.Intake = CheckResult{CheckSkipped, "No intake server is set: Onramp works offline and keeps everything in the outbox."}
	default:
		out.Intake = checkIntake(ctx, c.IntakeURL)
	}
	relay := mail.Relay{Host: c.SMTPHost, Port: c.SMTPPort, Username: c.SMTPUsername, Password: pw}
	if def.Mail.Relay != nil {
		relay.RootCAs = def.Mail.Relay.RootCAs
	}
	switch {
	case bad[FieldSMTPHost] || bad[FieldSMTPPort] || bad[FieldSMTPUsername] || bad[FieldSMTPPassword]:
		out.Mail = CheckResult{CheckSkipped, "Not tried: fix the mail relay's fields first."}
	case c.SMTPHost == "":
		out.Mail = CheckResult{CheckSkipped, "No relay of your own is set: email goes through the network once Onramp has connected to it."}
	default:
		out.Mail = checkRelay(ctx, relay)
	}
	return out, nil
}

// checkIntake asks the intake server's /healthz and says what happened.
func checkIntake(ctx context.Context, base string) CheckResult {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	u, _ := url.Parse(strings.TrimRight(base, "/"))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String()+"/healthz", nil)
	if err != nil {
		return CheckResult{CheckFailed, "This address can't be used: " + err.Error()}
	}
	resp, err := (&http.Client{Timeout: checkTimeout}).Do(req)
	if err != nil {
		return CheckResult{CheckFailed, netProblem(err, u.Host, "intake server")}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return CheckResult{CheckFailed, fmt.Sprintf("Something answered at %s, but not as an intake server (%s for /healthz). Check the address.", u.Host, resp.Status)}
	}
	return CheckResult{CheckOK, fmt.Sprintf("The intake server at %s answered.", u.Host)}
}

// checkRelay opens a session with the relay and says what happened.
func checkRelay(ctx context.Context, r mail.Relay) CheckResult {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	where := net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
	if err := mail.Check(ctx, r); err != nil {
		return CheckResult{CheckFailed, relayProblem(err, r, where)}
	}
	msg := "The mail relay at " + where + " answered"
	if mail.Loopback(r.Host) {
		msg += " (on this computer, so without encryption)"
	} else {
		msg += " over an encrypted connection (STARTTLS)"
	}
	if r.Username != "" {
		msg += " and accepted the user name and password"
	}
	return CheckResult{CheckOK, msg + ". Nothing was sent."}
}

// relayProblem says in plain words why the relay check failed.
func relayProblem(err error, r mail.Relay, where string) string {
	var me *mail.Error
	if !errors.As(err, &me) {
		return netProblem(err, where, "mail relay")
	}
	switch {
	case me.Code == 535 || me.Code == 534 || me.Code == 530 && r.Username != "":
		return "The mail relay refused the user name or password: " + me.Error()
	case me.Code != 0:
		return "The mail relay at " + where + " answered with an error: " + me.Error()
	case me.Err != nil && strings.Contains(me.Msg, "STARTTLS") && !isCertProblem(err):
		return "The mail relay at " + where + " did not start an encrypted session (STARTTLS), which Onramp needs for a relay on another computer: " + unwrapped(err)
	case me.Err != nil:
		return netProblem(err, where, "mail relay")
	}
	return me.Msg + " (" + where + ")"
}

// netProblem says in plain words why a server could not be reached.
func netProblem(err error, where, what string) string {
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("The name %s wasn't found. Check the address, and that this computer is online.", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("Nothing answered at %s: the %s isn't running there, or the address or port is wrong.", where, what)
	case isCertProblem(err):
		return fmt.Sprintf("The %s at %s has a certificate this computer doesn't trust. Check the address, or ask the network's support.", what, where)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("The %s at %s did not answer within %d seconds.", what, where, int(checkTimeout.Seconds()))
	}
	return fmt.Sprintf("The %s at %s can't be reached: %s", what, where, unwrapped(err))
}

func isCertProblem(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	return errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr)
}

// unwrapped is the innermost cause's words.
func unwrapped(err error) string {
	for errors.Unwrap(err) != nil {
		err = errors.Unwrap(err)
	}
	return err.Error()
}
