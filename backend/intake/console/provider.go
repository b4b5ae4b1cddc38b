package console

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
)

// The provider page: who, each form with its versions and the network's
// word on each, and the latest version of each form as the schema lays it
// out (sections, labels, chosen options by their labels; what the form
// hid was never submitted).

type providerPage struct {
	Provider    server.ProviderRow
	Status      intake.Status
	Forms       []renderedForm
	Done        string   // what the last action did, said once
	PayerStates []string // what a payer's status may be
	Payers      []string // the network's payers, to set a status with
	Timeline    []server.TimelineEvent
	Sealed      []sealedRow
	Packets     []server.PacketSummary
	Requests    []server.ProviderRequest
	Tickets     []server.Ticket
	CanReveal   bool   // credentialing, with the network key at hand
	RevealNote  string // why there is no reveal button, when there is none
	CanDownload bool   // credentialing: packets
	CanAct      bool   // support or credentialing: the actions
}

// sealedRow is one sealed field the provider sent.
type sealedRow struct {
	Field, Label string
	Version      int
}

type renderedForm struct {
	ID       string
	Review   string // the network's word on this version
	Title    string
	Version  int
	Versions []int // every version received, to compare two
	Sections []renderedSection
}

type renderedSection struct {
	Title string
	Items []renderedItem // one, or one per repeated item
}

type renderedItem struct {
	Label string // "License 2" in a repeating section
	Rows  []row
}

type row struct{ Label, Value string }

// providerID is the provider in the path, or a 404 page said.
func (c *Console) providerID(w http.ResponseWriter, r *http.Request, s server.StaffSession) (int64, bool) {
	p, ok := c.providerOf(w, r, s)
	return p.ID, ok
}

// providerOf is the row of the provider in the path, read once for the
// page, or a 404 page said.
func (c *Console) providerOf(w http.ResponseWriter, r *http.Request, s server.StaffSession) (server.ProviderRow, bool) {
	var p server.ProviderRow
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		p, err = c.db.ProviderHeader(r.Context(), id)
	}
	switch {
	case err == nil:
		return p, true
	case errors.Is(err, server.ErrNotFound), errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
		c.notFound(w, r, s, "There is no such provider.")
	default:
		c.fail(w, r, err)
	}
	return p, false
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request, s server.StaffSession, message string) {
	c.render(w, r, http.StatusNotFound, "error.html", page{Title: "Not found", Staff: &s.Staff, CSRF: s.CSRF, Message: message})
}

var doneWords = map[string]string{
	"reviewed":      "Marked reviewed.",
	"returned":      "Returned to the provider, with the reason: the app shows it at its next sync, and the email is on its way.",
	"payer":         "The payer's status is saved: the app shows it at its next sync.",
	"effective":     "The effective date is saved: the app shows it at its next sync.",
	"approved":      "The request is approved: the app shows it at its next sync.",
	"declined":      "The request is declined, with the reason: the app shows it at its next sync.",
	"replied":       "The reply is on its way to the provider by email, and the app shows it at its next sync.",
	"ticket-closed": "The help request is closed.",
	"ticket-open":   "The help request is open again.",
}

func (c *Console) provider(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	header, ok := c.providerOf(w, r, s)
	if !ok {
		return
	}
	p, err := c.providerPage(r, s, header)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "provider.html", page{Title: p.Provider.Name, Staff: &s.Staff, CSRF: s.CSRF, Provider: p})
}

func (c *Console) providerPage(r *http.Request, s server.StaffSession, header server.ProviderRow) (*providerPage, error) {
	ctx, id := r.Context(), header.ID
	st, err := c.db.ProviderStatus(ctx, id)
	if err != nil {
		return nil, err
	}
	subs, err := c.db.Submissions(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &providerPage{Provider: header, Status: st, PayerStates: intake.PayerStates(), Done: doneWords[r.URL.Query().Get("done")],
		CanAct: s.Staff.Role != server.RoleAdmin, CanDownload: s.Staff.Role == server.RoleCredentialing}
	if p.Timeline, err = c.db.ProviderTimeline(ctx, id); err != nil {
		return nil, err
	}
	if p.Packets, err = c.db.Packets(ctx, id); err != nil {
		return nil, err
	}
	if p.Requests, err = c.db.Requests(ctx, id); err != nil {
		return nil, err
	}
	if p.Tickets, err = c.db.Tickets(ctx, id); err != nil {
		return nil, err
	}
	sent, err := c.db.SealedFieldsSent(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, f := range sent {
		p.Sealed = append(p.Sealed, sealedRow{Field: f.Field, Label: fieldLabel(f.Form, f.Field), Version: f.Version})
	}
	switch {
	case s.Staff.Role != server.RoleCredentialing:
		p.RevealNote = "Only the credentialing role reveals these."
	case c.networkKey == nil:
		p.RevealNote = "This server was started without the network's private key (serve --network-key), so the console cannot reveal them: use onramp-intake reveal where the key is kept."
	default:
		p.CanReveal = true
	}
	for _, o := range st.Offerings {
		if o.Kind == intake.OfferingPayer {
			p.Payers = append(p.Payers, o.Name)
		}
	}
	latest := map[string]server.Submission{}
	versions := map[string][]int{}
	for _, sub := range subs {
		versions[sub.Form] = append(versions[sub.Form], sub.Version)
		if sub.Version >= latest[sub.Form].Version {
			latest[sub.Form] = sub
		}
	}
	// In the order the provider fills them: General Onboarding first.
	slices.SortStableFunc(p.Status.Forms, func(a, b intake.FormStatus) int { return formOrder(a.Form) - formOrder(b.Form) })
	for _, f := range p.Status.Forms {
		schema, ok := forms.SchemaByID(f.Form)
		sub, have := latest[f.Form]
		if !ok || !have {
			continue
		}
		data, err := forms.DecodeData([]byte(sub.Data))
		if err != nil {
			return nil, err
		}
		rf := renderForm(schema, data, sub.Version)
		rf.ID, rf.Review, rf.Versions = f.Form, f.Review, versions[f.Form]
		p.Forms = append(p.Forms, rf)
	}
	return p, nil
}

// formOrder ranks a form as the app shows them.
func formOrder(id string) int {
	switch id {
	case forms.FormGeneral:
		return 0
	case forms.FormCredentialing:
		return 1
	}
	return 2
}

// fieldLabel is a top-level field's label in its form.
func fieldLabel(form, field string) string {
	if s, ok := forms.SchemaByID(form); ok {
		for _, f := range forms.SealedFields(s) {
			if f.Name == field {
				return f.Label
			}
		}
	}
	return field
}

// renderForm lays a submitted version out as its schema does: sections
// and fields the form hid are left out (a stored version holds none, but
// the page does not rely on it).
func renderForm(s forms.Schema, d forms.Data, version int) renderedForm {
	out := renderedForm{Title: s.Title, Version: version}
	for _, sec := range s.Sections {
		if !shown(sec.ShowWhen, d.Fields) {
			continue
		}
		rs := renderedSection{Title: sec.Title}
		if sec.Repeat == nil {
			if rows := fieldRows(sec.Fields, d.Fields); len(rows) > 0 {
				rs.Items = append(rs.Items, renderedItem{Rows: rows})
			}
		} else {
			for i, item := range d.Groups[sec.ID] {
				if rows := fieldRows(sec.Fields, item); len(rows) > 0 {
					rs.Items = append(rs.Items, renderedItem{Label: sec.Repeat.ItemLabel + " " + strconv.Itoa(i+1), Rows: rows})
				}
			}
		}
		if len(rs.Items) > 0 {
			out.Sections = append(out.Sections, rs)
		}
	}
	return out
}

// fieldRows are the shown fields with a value, each value as the form
// showed it (an option by its label; a sealed field as such).
func fieldRows(fields []forms.Field, values map[string]string) []row {
	var rows []row
	for _, f := range fields {
		v := values[f.Name]
		if v == "" || !shown(f.ShowWhen, values) {
			continue
		}
		switch {
		case f.Sealed || forms.IsMask(v):
			v = "sealed: see Sealed fields"
		case f.Type == "file":
			v = "attached: in the support packet"
		default:
			v = shownValue(f, v)
		}
		rows = append(rows, row{f.Label, v})
	}
	return rows
}

// shown: a condition on the form's own fields is checked against the
// data; one on the app's context ($licenseType: the other form's answer)
// was checked by the app, which submits only what it showed.
func shown(c *forms.Condition, scope map[string]string) bool {
	return c == nil || strings.HasPrefix(c.Field, "$") || forms.Holds(c, scope, nil)
}

func shownValue(f forms.Field, v string) string {
	switch {
	case f.Type == "money":
		return forms.FormatMoney(v)
	case (f.Type == "checkbox" || f.Type == "yesno") && len(f.Options) == 0:
		return capitalize(v)
	case len(f.Options) == 0:
		return v
	}
	var labels []string
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		label := part
		for _, o := range f.Options {
			if o.Value == part {
				label = o.Label
			}
		}
		labels = append(labels, label)
	}
	return strings.Join(labels, ", ")
}

// review marks the latest version of a form reviewed, or returns it with
// a reason (the same code as onramp-intake review), then shows the page
// again.
func (c *Console) review(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.render(w, r, http.StatusNotFound, "error.html", page{Title: "Not found", Staff: &s.Staff, CSRF: s.CSRF, Message: "There is no such provider."})
		return
	}
	form, decision := r.PostFormValue("form"), r.PostFormValue("decision")
	if _, ok := forms.SchemaByID(form); !ok || (decision != "reviewed" && decision != "returned") {
		c.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Not done", Staff: &s.Staff, CSRF: s.CSRF, Message: "The form or the decision is not one the console knows."})
		return
	}
	err = c.db.ReviewAs(r.Context(), s.Staff, clientHost(r), id, form, decision == "reviewed", r.PostFormValue("reason"))
	if errors.Is(err, server.ErrNotFound) {
		c.render(w, r, http.StatusNotFound, "error.html", page{Title: "Not found", Staff: &s.Staff, CSRF: s.CSRF, Message: "This provider has not submitted that form."})
		return
	}
	if err != nil && decision == "returned" && strings.TrimSpace(r.PostFormValue("reason")) == "" {
		c.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Not returned", Staff: &s.Staff, CSRF: s.CSRF, Message: "Say why the form goes back: the provider sees the reason."})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/providers/"+strconv.FormatInt(id, 10)+"?done="+decision, http.StatusSeeOther)
}

// payer sets one payer's status for the provider (onramp-intake payer).
func (c *Console) payer(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	c.act(w, r, s, "payer", func(id int64) error {
		return c.db.SetPayerAs(r.Context(), s.Staff, clientHost(r), id, r.PostFormValue("payer"), r.PostFormValue("status"))
	})
}

// effective sets the provider's effective date (onramp-intake effective).
func (c *Console) effective(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	c.act(w, r, s, "effective", func(id int64) error {
		return c.db.SetEffectiveAs(r.Context(), s.Staff, clientHost(r), id, r.PostFormValue("date"))
	})
}

// act runs one action on the provider in the path and shows the page
// again, or says in plain words what was wrong with the input.
func (c *Console) act(w http.ResponseWriter, r *http.Request, s server.StaffSession, done string, run func(id int64) error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = run(id)
	}
	var notFound bool
	if err != nil {
		notFound = errors.Is(err, server.ErrNotFound) || errors.Is(err, strconv.ErrSyntax)
	}
	switch {
	case err == nil:
		http.Redirect(w, r, "/console/providers/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	case notFound:
		c.render(w, r, http.StatusNotFound, "error.html", page{Title: "Not found", Staff: &s.Staff, CSRF: s.CSRF, Message: "There is no such provider."})
	default:
		// The input's mistakes come back as plain errors from the same
		// checks the command line makes.
		c.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Not saved", Staff: &s.Staff, CSRF: s.CSRF, Message: capitalize(err.Error()) + "."})
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
