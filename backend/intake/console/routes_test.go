package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"onramp/backend/intake/server"
)

// route is one signed-in route of the console with the roles it serves.
type route struct {
	method, path string
	values       url.Values // a POST's form, valid but for the token
	roles        []string
}

var (
	staffWork = []string{server.RoleSupport, server.RoleCredentialing}
	credOnly  = []string{server.RoleCredentialing}
	adminOnly = []string{server.RoleAdmin}
	anyone    = []string{server.RoleSupport, server.RoleCredentialing, server.RoleAdmin}
)

// consoleRoutes is every signed-in route, over the world of newWorld (a
// provider with a ticket and a pending request added by the test).
var consoleRoutes = []route{
	{"GET", "/console/", nil, anyone},
	{"GET", "/console/providers/1", nil, staffWork},
	{"GET", "/console/providers/1/diff?form=credentialing", nil, staffWork},
	{"GET", "/console/roster.csv", nil, staffWork},
	{"GET", "/console/audit", nil, adminOnly},
	{"GET", "/console/staff", nil, adminOnly},
	{"POST", "/console/providers/1/review", url.Values{"form": {"credentialing"}, "decision": {"reviewed"}}, staffWork},
	{"POST", "/console/providers/1/payer", url.Values{"payer": {"Aetna"}, "status": {"approved"}}, staffWork},
	{"POST", "/console/providers/1/effective", url.Values{"date": {"2027-01-15"}}, staffWork},
	{"POST", "/console/providers/1/request", url.Values{"request": {"1"}, "decision": {"approved"}}, staffWork},
	{"POST", "/console/providers/1/tickets/1/reply", url.Values{"body": {"Hello"}}, staffWork},
	{"POST", "/console/providers/1/tickets/1/state", url.Values{"state": {"closed"}}, staffWork},
	{"POST", "/console/providers/1/reveal", url.Values{"field": {"ssn"}}, credOnly},
	{"POST", "/console/providers/1/reissue", url.Values{}, staffWork},
	{"POST", "/console/staff", url.Values{"email": {"dee@network.example"}, "role": {"support"}, "password": {pw}}, adminOnly},
	{"POST", "/console/staff/disable", url.Values{"email": {"ann@network.example"}}, adminOnly},
	{"POST", "/console/logout", url.Values{}, anyone},
}

// Every signed-in route (the packet routes: TestPacketFromConsole): signed
// out, a GET goes to the sign-in page and a POST is refused; a POST
// without the session's token is refused; a role the route is not for is
// refused. Each answer carries the security headers. Nothing changes and
// nothing is audited on a refusal.
func TestEveryRouteRefuses(t *testing.T) {
	w := newWorld(t)
	if err := w.app.Help(ctx, "h1", "Claims", "How do I bill?"); err != nil {
		t.Fatal(err)
	}
	headers := func(resp *http.Response, r route) {
		t.Helper()
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s %s: headers %v", r.method, r.path, h)
		}
	}
	for _, r := range consoleRoutes {
		resp, _ := w.do(r.method, r.path, r.values)
		headers(resp, r)
		switch {
		case r.method == "GET" && (resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/login"):
			t.Errorf("GET %s signed out: %d", r.path, resp.StatusCode)
		case r.method == "POST" && resp.StatusCode != http.StatusForbidden:
			t.Errorf("POST %s signed out: %d", r.path, resp.StatusCode)
		}
	}
	for _, role := range []string{"ann@network.example", "cal@network.example", "root@network.example"} {
		token := w.signIn(role)
		var mine string
		switch role {
		case "ann@network.example":
			mine = server.RoleSupport
		case "cal@network.example":
			mine = server.RoleCredentialing
		default:
			mine = server.RoleAdmin
		}
		for _, r := range consoleRoutes {
			if r.method == "POST" {
				resp, _ := w.do("POST", r.path, r.values)
				headers(resp, r)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s: POST %s without the token: %d", role, r.path, resp.StatusCode)
				}
			}
			if slices.Contains(r.roles, mine) {
				continue
			}
			values := url.Values{"csrf": {token}}
			for k, v := range r.values {
				values[k] = v
			}
			resp, _ := w.do(r.method, r.path, values)
			if r.method == "GET" {
				resp, _ = w.do("GET", r.path, nil)
			}
			headers(resp, r)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %s %s for another role: %d", role, r.method, r.path, resp.StatusCode)
			}
		}
	}
	st, err := w.db.ProviderStatus(ctx, 1)
	if err != nil || st.EffectiveDate != "" || len(st.Payers) != 0 || st.Forms[0].Review != "received" || st.Tickets[0].State != "open" {
		t.Errorf("a refused request changed something: %+v %v", st, err)
	}
	entries, _, _ := w.db.AuditLog(ctx, server.AuditQuery{})
	for _, e := range entries {
		if e.Action != server.AuditLogin {
			t.Errorf("a refused request was audited: %+v", e)
		}
	}
	if reveals, _ := w.db.RevealAudit(ctx, 0); len(reveals) != 0 {
		t.Errorf("a refused reveal was audited: %+v", reveals)
	}
}
