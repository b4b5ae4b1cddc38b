package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"onramp/backend/intake/server"
)

// The admin's pages: the audit (every staff action, every reveal; read
// only) and the staff accounts.

// auditPage is one page of the audit with its filters.
type auditPage struct {
	Query      server.AuditQuery
	ProviderIn string // the provider filter as typed (an ID or an email)
	Staff      []server.Staff
	Entries    []server.AuditEntry
	Reveals    []server.RevealRecord // every reveal, the command line's too
	Total      int
	Problem    string // a filter that could not be read, in words
	Prev, Next string
}

func (c *Console) audit(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	v := r.URL.Query()
	a := &auditPage{ProviderIn: strings.TrimSpace(v.Get("provider"))}
	a.Query.Staff, _ = strconv.ParseInt(v.Get("staff"), 10, 64)
	a.Query.From, a.Query.To = strings.TrimSpace(v.Get("from")), strings.TrimSpace(v.Get("to"))
	a.Query.Page, _ = strconv.Atoi(v.Get("page"))
	a.Query.Page = max(a.Query.Page, 1)
	var err error
	if a.Staff, err = c.db.StaffList(r.Context()); err != nil {
		c.fail(w, r, err)
		return
	}
	if a.ProviderIn != "" {
		a.Query.Provider, err = c.db.ResolveProvider(r.Context(), a.ProviderIn)
		if err != nil {
			a.Problem = "No single provider is " + a.ProviderIn + ": give their number or email."
		}
	}
	if a.Problem == "" {
		a.Entries, a.Total, err = c.db.AuditLog(r.Context(), a.Query)
		var reveals []server.RevealRecord
		if err == nil {
			reveals, err = c.db.RevealAudit(r.Context(), a.Query.Provider)
		}
		switch {
		case err != nil && strings.HasPrefix(err.Error(), "give the"):
			a.Problem = capitalize(err.Error()) + "."
		case err != nil:
			c.fail(w, r, err)
			return
		}
		a.Reveals = revealsIn(reveals, a.Query, a.Staff)
	}
	pageURL := func(n int) string {
		q := url.Values{}
		for _, k := range []string{"staff", "provider", "from", "to"} {
			if v.Get(k) != "" {
				q.Set(k, v.Get(k))
			}
		}
		q.Set("page", strconv.Itoa(n))
		return "/console/audit?" + q.Encode()
	}
	if a.Query.Page > 1 {
		a.Prev = pageURL(a.Query.Page - 1)
	}
	if a.Query.Page*server.AuditPageSize < a.Total {
		a.Next = pageURL(a.Query.Page + 1)
	}
	status := http.StatusOK
	if a.Problem != "" {
		status = http.StatusBadRequest
	}
	c.render(w, r, status, "audit.html", page{Title: "Audit", Staff: &s.Staff, CSRF: s.CSRF, Audit: a})
}

// revealsIn keeps the reveals the audit's filters select, newest first.
func revealsIn(all []server.RevealRecord, q server.AuditQuery, staff []server.Staff) []server.RevealRecord {
	who := ""
	for _, s := range staff {
		if s.ID == q.Staff {
			who = s.Email
		}
	}
	var out []server.RevealRecord
	for i := len(all) - 1; i >= 0; i-- {
		x := all[i]
		day := x.At[:min(len(x.At), 10)]
		if (q.Staff != 0 && !strings.EqualFold(x.Who, who)) || (q.From != "" && day < q.From) || (q.To != "" && day > q.To) {
			continue
		}
		out = append(out, x)
	}
	return out
}

// staffPage lists the accounts, with the forms to add one and close one.
type staffPage struct {
	Accounts []server.Staff
	Roles    []string
	Done     string
	Problem  string
	Email    string // the add form's, kept after a problem
	Role     string
}

func (c *Console) staffList(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	c.renderStaff(w, r, s, http.StatusOK, &staffPage{Done: map[string]string{
		"added":    "The account is made: its owner signs in with the password you gave, and should change it with you.",
		"disabled": "The account is closed: it can no longer sign in, and its sessions have ended.",
	}[r.URL.Query().Get("done")]})
}

func (c *Console) renderStaff(w http.ResponseWriter, r *http.Request, s server.StaffSession, status int, p *staffPage) {
	var err error
	if p.Accounts, err = c.db.StaffList(r.Context()); err != nil {
		c.fail(w, r, err)
		return
	}
	p.Roles = server.Roles()
	c.render(w, r, status, "staff.html", page{Title: "Staff accounts", Staff: &s.Staff, CSRF: s.CSRF, StaffPage: p})
}

// addStaff makes an account (onramp-intake staff add), audited.
func (c *Console) addStaff(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	email, role := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("role")
	_, err := c.db.AddStaffAs(r.Context(), s.Staff, clientHost(r), email, role, r.PostFormValue("password"))
	if errors.Is(err, server.ErrStaffExists) {
		err = errors.New("there is already an account for " + email)
	}
	if err != nil {
		c.renderStaff(w, r, s, http.StatusBadRequest, &staffPage{Problem: capitalize(err.Error()) + ".", Email: email, Role: role})
		return
	}
	http.Redirect(w, r, "/console/staff?done=added", http.StatusSeeOther)
}

// disableStaff closes an account (onramp-intake staff disable), audited.
// An admin cannot close their own: someone must be left to open doors.
func (c *Console) disableStaff(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	if strings.EqualFold(email, s.Staff.Email) {
		c.renderStaff(w, r, s, http.StatusBadRequest, &staffPage{Problem: "You cannot close your own account: ask another admin."})
		return
	}
	if err := c.db.DisableStaffAs(r.Context(), s.Staff, clientHost(r), email); err != nil {
		if errors.Is(err, server.ErrNotFound) {
			c.renderStaff(w, r, s, http.StatusNotFound, &staffPage{Problem: "There is no account for " + email + "."})
			return
		}
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/staff?done=disabled", http.StatusSeeOther)
}
