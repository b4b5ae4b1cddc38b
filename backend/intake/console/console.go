// Package console is the network staff's web console, served by the
// intake server at /console/: login, and (by role) the work on providers.
// Pages are rendered on the server with html/template, whose contextual
// escaping keeps what providers typed inert; its style sheet is embedded;
// the basic actions need no JavaScript.
package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/seal"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{"when": when, "formTitle": formTitle, "kb": kb, "short": short,
	"inc": func(i int) int { return i + 1 }, "minus": func(a, b int) int { return a - b }}).ParseFS(templateFiles, "templates/*.html"))

// when shows a stored time (RFC 3339) to the minute, in UTC.
func when(stamp string) string {
	t, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return stamp
	}
	return t.UTC().Format("Jan 2, 2006 15:04 UTC")
}

// kb is a size in words.
func kb(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// short is the start of a long fingerprint.
func short(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

// formTitle is a form's title as providers see it.
func formTitle(id string) string {
	if s, ok := forms.SchemaByID(id); ok {
		return s.Title
	}
	return id
}

const (
	sessionCookie   = "onramp_console"
	loginCSRFCookie = "onramp_console_login"
)

// Console serves /console/ over the database.
type Console struct {
	db         *server.DB
	log        *slog.Logger
	networkKey *seal.PrivateKey // reveals sealed fields; nil: the console cannot
}

// Option configures a Console.
type Option func(*Console)

// WithNetworkKey lets the credentialing role reveal sealed fields with the
// network's private key (the one serve --network-key was given).
func WithNetworkKey(key seal.PrivateKey) Option { return func(c *Console) { c.networkKey = &key } }

// New builds the console over db.
func New(db *server.DB, log *slog.Logger, opts ...Option) *Console {
	c := &Console{db: db, log: log}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Handler routes /console/.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /console/static/", http.StripPrefix("/console/", http.FileServerFS(staticFiles)))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, staticFiles, "static/icon.png")
	})
	mux.HandleFunc("GET /console/login", c.loginPage)
	mux.HandleFunc("POST /console/login", c.login)
	mux.HandleFunc("POST /console/logout", c.signedIn(c.logout))
	mux.HandleFunc("GET /console/{$}", c.signedIn(c.home))
	staffWork := []string{server.RoleSupport, server.RoleCredentialing}
	for _, r := range []struct {
		route string
		h     handler
		roles []string
	}{
		{"GET /console/providers/{id}", c.provider, staffWork},
		{"GET /console/providers/{id}/diff", c.diff, staffWork},
		{"GET /console/providers/{id}/packets/{packet}", c.packet, staffWork},
		{"GET /console/providers/{id}/packets/{packet}/archive", c.packetArchive, []string{server.RoleCredentialing}},
		{"GET /console/providers/{id}/packets/{packet}/attachments/{n}", c.attachment, staffWork},
		{"POST /console/providers/{id}/review", c.review, staffWork},
		{"POST /console/providers/{id}/payer", c.payer, staffWork},
		{"POST /console/providers/{id}/effective", c.effective, staffWork},
		{"POST /console/providers/{id}/reissue", c.reissue, staffWork},
		{"POST /console/providers/{id}/request", c.decide, staffWork},
		{"POST /console/providers/{id}/reveal", c.reveal, []string{server.RoleCredentialing}},
		{"POST /console/providers/{id}/tickets/{ticket}/reply", c.replyTicket, staffWork},
		{"POST /console/providers/{id}/tickets/{ticket}/state", c.ticketState, staffWork},
		{"GET /console/roster.csv", c.roster, staffWork},
		{"GET /console/audit", c.audit, []string{server.RoleAdmin}},
		{"GET /console/staff", c.staffList, []string{server.RoleAdmin}},
		{"POST /console/staff", c.addStaff, []string{server.RoleAdmin}},
		{"POST /console/staff/disable", c.disableStaff, []string{server.RoleAdmin}},
	} {
		mux.HandleFunc(r.route, c.signedIn(r.h, r.roles...))
	}
	mux.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		c.render(w, r, http.StatusNotFound, "error.html", page{Title: "Not found", Message: "There is no such page."})
	})
	return securityHeaders(mux)
}

// securityHeaders go on every answer of the console.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// page is what every template gets.
type page struct {
	Title     string
	Staff     *server.Staff
	CSRF      string
	Message   string // an error or notice, in plain words
	Email     string // the login form's email, kept after a failure
	List      *providerList
	Provider  *providerPage
	Result    *result
	Diff      *diffPage
	Packet    *packetPage
	Audit     *auditPage
	StaffPage *staffPage
}

// providerList is the home page's list: the query, one page of it, and
// the links to the queues and the other pages.
type providerList struct {
	Query       server.ProviderQuery
	Rows        []server.ProviderRow
	Total       int
	Queues      []queueLink
	Sorts       []queueLink
	Prev, Next  string // links, "" at either end
	First, Last int    // the rows shown, counted from 1
}

type queueLink struct {
	Label, Href string
	Current     bool
}

type sessionKey struct{}

type handler func(w http.ResponseWriter, r *http.Request, s server.StaffSession)

// signedIn runs h for a signed-in staff member: without a session, GET goes
// to the login page and anything else is 403; a POST must carry the
// session's CSRF token.
func (c *Console) signedIn(h handler, roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cookie, _ := r.Cookie(sessionCookie)
		var id string
		if cookie != nil {
			id = cookie.Value
		}
		s, err := c.db.StaffSessionFor(r.Context(), id)
		if errors.Is(err, server.ErrNoSession) {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/console/login", http.StatusSeeOther)
				return
			}
			c.render(w, r, http.StatusForbidden, "error.html", page{Title: "Signed out", Message: "Your session has ended. Sign in again."})
			return
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if r.Method != http.MethodGet && !sameToken(r.PostFormValue("csrf"), s.CSRF) {
			c.render(w, r, http.StatusForbidden, "error.html", page{Title: "Refused", Staff: &s.Staff, CSRF: s.CSRF,
				Message: "This form is out of date. Go back, reload the page and try again."})
			return
		}
		if len(roles) > 0 && !slices.Contains(roles, s.Staff.Role) {
			c.render(w, r, http.StatusForbidden, "error.html", page{Title: "Not for your role", Staff: &s.Staff, CSRF: s.CSRF,
				Message: "Your role (" + s.Staff.Role + ") does not allow this."})
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)), s)
	}
}

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/console/login", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secure(r)})
	c.render(w, r, http.StatusOK, "login.html", page{Title: "Sign in", CSRF: token})
}

// login checks the login form's token against its cookie (there is no
// session yet to hold one), then the email and password. Every failure
// gets the one answer.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	cookie, _ := r.Cookie(loginCSRFCookie)
	if cookie == nil || !sameToken(r.PostFormValue("csrf"), cookie.Value) {
		c.render(w, r, http.StatusForbidden, "error.html", page{Title: "Refused", Message: "This form is out of date. Open the sign-in page again."})
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	id, _, err := c.db.StaffLogin(r.Context(), email, r.PostFormValue("password"), clientHost(r))
	if errors.Is(err, server.ErrLogin) {
		token := randomToken()
		http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/console/login", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: secure(r)})
		c.render(w, r, http.StatusUnauthorized, "login.html", page{Title: "Sign in", CSRF: token, Email: email,
			Message: "The email or password is not right, or the account is locked for 15 minutes after too many tries."})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/console/login", MaxAge: -1})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/console/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secure(r)})
	http.Redirect(w, r, "/console/", http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	if cookie, _ := r.Cookie(sessionCookie); cookie != nil {
		if err := c.db.StaffLogout(r.Context(), cookie.Value, s, clientHost(r)); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/console/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secure(r)})
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

// home is the provider list: ?queue=, ?q= (name, email or NPI), ?sort=
// and ?page=.
func (c *Console) home(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	if s.Staff.Role == server.RoleAdmin {
		// An admin's work is the audit and the accounts, not providers.
		http.Redirect(w, r, "/console/audit", http.StatusSeeOther)
		return
	}
	v := r.URL.Query()
	q := server.ProviderQuery{Queue: v.Get("queue"), Search: v.Get("q"), Sort: v.Get("sort")}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.Page = max(q.Page, 1)
	known := false
	list := &providerList{Query: q}
	for _, queue := range server.Queues() {
		known = known || queue.ID == q.Queue
		list.Queues = append(list.Queues, queueLink{queue.Label, listURL(server.ProviderQuery{Queue: queue.ID, Search: q.Search, Sort: q.Sort}), queue.ID == q.Queue})
	}
	if !known || (q.Sort != server.SortName && q.Sort != server.SortEnrolled) {
		c.render(w, r, http.StatusNotFound, "error.html", page{Title: "Not found", Staff: &s.Staff, CSRF: s.CSRF, Message: "There is no such queue or order."})
		return
	}
	for _, o := range []struct{ id, label string }{{server.SortName, "Name"}, {server.SortEnrolled, "Newest enrolled"}} {
		list.Sorts = append(list.Sorts, queueLink{o.label, listURL(server.ProviderQuery{Queue: q.Queue, Search: q.Search, Sort: o.id}), o.id == q.Sort})
	}
	rows, total, err := c.db.ProviderList(r.Context(), q)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	list.Rows, list.Total = rows, total
	if len(rows) > 0 {
		list.First = (q.Page-1)*server.PageSize + 1
		list.Last = list.First + len(rows) - 1
	}
	at := q
	if q.Page > 1 {
		at.Page = q.Page - 1
		list.Prev = listURL(at)
	}
	if q.Page*server.PageSize < total {
		at.Page = q.Page + 1
		list.Next = listURL(at)
	}
	c.render(w, r, http.StatusOK, "home.html", page{Title: "Providers", Staff: &s.Staff, CSRF: s.CSRF, List: list})
}

func listURL(q server.ProviderQuery) string {
	v := url.Values{}
	if q.Queue != "" {
		v.Set("queue", q.Queue)
	}
	if q.Search != "" {
		v.Set("q", q.Search)
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if len(v) == 0 {
		return "/console/"
	}
	return "/console/?" + v.Encode()
}

// secure: the cookies are Secure when the console is reached over TLS
// (here, or at a load balancer that says so).
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, p); err != nil {
		c.log.ErrorContext(r.Context(), "console page", "page", name, "error", err)
	}
}

func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	c.log.ErrorContext(r.Context(), "console", "error", err)
	c.render(w, r, http.StatusInternalServerError, "error.html", page{Title: "Something went wrong", Message: "Something went wrong on the server. Try again in a moment."})
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// clientHost is where a request came from, for the audit: the address the
// connection came from (a load balancer's own, behind one).
func clientHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
