package console

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"onramp/backend/attach"
	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/packet"
)

// The provider page's other actions and pages: reveal a sealed field,
// reissue the invitation, decide a request, compare two versions of a
// form, and a support packet with its attachments.

// result is a page that says what an action did, once, with what staff
// must pass on (a revealed value, a new invitation code).
type result struct {
	ProviderID int64
	Heading    string
	Text       string
	Value      string // shown in a box to copy; "" for none
	ValueLabel string
}

// reveal opens one sealed field with the network key the server holds
// (credentialing only; audited in both audits before it is shown). The
// value is in this answer only: it is not stored, and the page is not
// cached.
func (c *Console) reveal(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	id, ok := c.providerID(w, r, s)
	if !ok {
		return
	}
	if c.networkKey == nil {
		c.render(w, r, http.StatusConflict, "error.html", page{Title: "Not revealed", Staff: &s.Staff, CSRF: s.CSRF,
			Message: "This server was started without the network's private key (serve --network-key): reveal with onramp-intake reveal where the key is kept."})
		return
	}
	field := r.PostFormValue("field")
	value, err := c.db.RevealAs(r.Context(), s.Staff, clientHost(r), id, field, *c.networkKey)
	switch {
	case errors.Is(err, server.ErrNotFound):
		c.notFound(w, r, s, "This provider sent no such sealed field.")
		return
	case errors.Is(err, server.ErrNotRevealed):
		c.render(w, r, http.StatusConflict, "error.html", page{Title: "Not revealed", Staff: &s.Staff, CSRF: s.CSRF,
			Message: "The network's key does not open this field (the attempt is in the audit): " + err.Error() + "."})
		return
	case err != nil:
		c.fail(w, r, err)
		return
	}
	label := field
	for _, f := range forms.SealedFields(forms.CredentialingForm()) {
		if f.Name == field {
			label = f.Label
		}
	}
	c.render(w, r, http.StatusOK, "result.html", page{Title: "Revealed", Staff: &s.Staff, CSRF: s.CSRF, Result: &result{
		ProviderID: id, Heading: label, Value: value, ValueLabel: label,
		Text: "This reveal is in the audit under your name. The value is shown on this page only: close it when you are done.",
	}})
}

// reissue gives the provider a new invitation code for a new computer
// (onramp-intake reissue): the welcome email with it goes to the provider.
func (c *Console) reissue(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	id, ok := c.providerID(w, r, s)
	if !ok {
		return
	}
	code, err := c.db.ReissueAs(r.Context(), s.Staff, clientHost(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "result.html", page{Title: "Invitation reissued", Staff: &s.Staff, CSRF: s.CSRF, Result: &result{
		ProviderID: id, Heading: "A new invitation code", Value: code, ValueLabel: "Invitation code",
		Text: "The provider's old computer can no longer send anything. The welcome email with this code is on its way to them; the new computer enrolls with it.",
	}})
}

// decide approves or declines one Insurance & Directories request
// (onramp-intake request approve|decline).
func (c *Console) decide(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	id, ok := c.providerID(w, r, s)
	if !ok {
		return
	}
	reqID, err := strconv.ParseInt(r.PostFormValue("request"), 10, 64)
	if err != nil || !c.requestOf(r, id, reqID) {
		c.notFound(w, r, s, "This provider has no such request.")
		return
	}
	decision := r.PostFormValue("decision")
	switch decision {
	case "approved":
		err = c.db.ApproveRequestAs(r.Context(), s.Staff, clientHost(r), reqID)
	case "declined":
		err = c.db.DeclineRequestAs(r.Context(), s.Staff, clientHost(r), reqID, r.PostFormValue("reason"))
	default:
		c.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Not done", Staff: &s.Staff, CSRF: s.CSRF, Message: "Approve or decline: the console knows no other decision."})
		return
	}
	if err != nil {
		c.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Not done", Staff: &s.Staff, CSRF: s.CSRF, Message: capitalize(err.Error()) + "."})
		return
	}
	http.Redirect(w, r, providerURL(id)+"?done="+decision, http.StatusSeeOther)
}

// requestOf: request reqID is provider id's.
func (c *Console) requestOf(r *http.Request, id, reqID int64) bool {
	reqs, err := c.db.Requests(r.Context(), id)
	return err == nil && slices.ContainsFunc(reqs, func(x server.ProviderRequest) bool { return x.ID == reqID })
}

func providerURL(id int64) string { return "/console/providers/" + strconv.FormatInt(id, 10) }

// diffPage is two versions of a form, field by field: only what changed.
type diffPage struct {
	ProviderID int64
	Name       string
	Form       string
	Title      string
	From, To   int
	Versions   []int
	Changes    []change
	Same       int // fields with the same value in both
}

type change struct {
	Where    string // the section, and the item of a repeating one
	Label    string
	Old, New string // "" when the field had no value
}

// diff compares two versions of a form: ?form=&from=&to= (the two latest
// when not given).
func (c *Console) diff(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	header, ok := c.providerOf(w, r, s)
	if !ok {
		return
	}
	id := header.ID
	form := r.URL.Query().Get("form")
	schema, ok := forms.SchemaByID(form)
	if !ok {
		c.notFound(w, r, s, "There is no such form.")
		return
	}
	subs, err := c.db.Submissions(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	byVersion := map[int]string{}
	var versions []int
	for _, sub := range subs {
		if sub.Form == form {
			byVersion[sub.Version] = sub.Data
			versions = append(versions, sub.Version)
		}
	}
	slices.Sort(versions)
	if len(versions) < 2 {
		c.notFound(w, r, s, "This form has only one version: there is nothing to compare.")
		return
	}
	from, errFrom := strconv.Atoi(r.URL.Query().Get("from"))
	to, errTo := strconv.Atoi(r.URL.Query().Get("to"))
	if errFrom != nil && errTo != nil {
		from, to = versions[len(versions)-2], versions[len(versions)-1]
	}
	_, haveFrom := byVersion[from]
	_, haveTo := byVersion[to]
	if !haveFrom || !haveTo {
		c.notFound(w, r, s, "This form has no such version.")
		return
	}
	old, err := forms.DecodeData([]byte(byVersion[from]))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	cur, err := forms.DecodeData([]byte(byVersion[to]))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := &diffPage{ProviderID: id, Name: header.Name, Form: form, Title: schema.Title, From: from, To: to, Versions: versions}
	d.Changes, d.Same = compareForms(schema, old, cur)
	c.render(w, r, http.StatusOK, "diff.html", page{Title: schema.Title + ": versions " + strconv.Itoa(from) + " and " + strconv.Itoa(to),
		Staff: &s.Staff, CSRF: s.CSRF, Diff: d})
}

// compareForms lists the fields whose shown value differs between two
// versions, in the schema's order, and counts those that do not. Items
// of a repeating section are compared by position.
func compareForms(s forms.Schema, a, b forms.Data) ([]change, int) {
	var out []change
	same := 0
	compare := func(where string, fields []forms.Field, x, y map[string]string) {
		left, right := rowMap(fieldRows(fields, x)), rowMap(fieldRows(fields, y))
		for _, f := range fields {
			o, n := left[f.Label], right[f.Label]
			switch {
			case o == n && o != "":
				same++
			case o != n:
				out = append(out, change{Where: where, Label: f.Label, Old: o, New: n})
			}
		}
	}
	for _, sec := range s.Sections {
		if sec.Repeat == nil {
			compare(sec.Title, sec.Fields, a.Fields, b.Fields)
			continue
		}
		x, y := a.Groups[sec.ID], b.Groups[sec.ID]
		for i := range max(len(x), len(y)) {
			var xi, yi map[string]string
			if i < len(x) {
				xi = x[i]
			}
			if i < len(y) {
				yi = y[i]
			}
			compare(fmt.Sprintf("%s · %s %d", sec.Title, sec.Repeat.ItemLabel, i+1), sec.Fields, xi, yi)
		}
	}
	return out, same
}

func rowMap(rows []row) map[string]string {
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.Label] = r.Value
	}
	return m
}

// packetPage is one stored support packet, verified again now.
type packetPage struct {
	ProviderID  int64
	Name        string
	Summary     server.PacketSummary
	Verified    bool
	Problems    []string
	Attachments []packet.Attachment
	CanDownload bool
}

// storedPacket reads the provider's stored packet named in the path and
// verifies it again: every hash, the signature, and the signer against the
// key the provider's first packet fixed. p is nil when it no longer
// verifies (problems say why). A packet that is not there, or cannot be
// read, is answered here (ok false).
func (c *Console) storedPacket(w http.ResponseWriter, r *http.Request, s server.StaffSession, id int64) (p *packet.Packet, sum server.PacketSummary, problems []string, ok bool) {
	archive, sum, err := c.db.PacketArchive(r.Context(), id, r.PathValue("packet"))
	if errors.Is(err, server.ErrNotFound) {
		c.notFound(w, r, s, "This provider sent no such packet.")
		return nil, sum, nil, false
	}
	if err != nil {
		c.fail(w, r, err)
		return nil, sum, nil, false
	}
	opt := packet.Options{}
	if key, err := c.db.PacketKey(r.Context(), id); err == nil && key != "" {
		opt.Trusted = []string{key}
	}
	p, found := packet.Open(bytes.NewReader(archive), int64(len(archive)), opt)
	for _, pr := range found {
		problems = append(problems, pr.Message)
	}
	return p, sum, problems, true
}

func (c *Console) packet(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	header, ok := c.providerOf(w, r, s)
	if !ok {
		return
	}
	p, sum, problems, ok := c.storedPacket(w, r, s, header.ID)
	if !ok {
		return
	}
	pp := &packetPage{ProviderID: header.ID, Name: header.Name, Summary: sum, Verified: p != nil, Problems: problems,
		CanDownload: s.Staff.Role == server.RoleCredentialing}
	if p != nil {
		pp.Attachments = p.Data.Attachments
	}
	c.render(w, r, http.StatusOK, "packet.html", page{Title: "Support packet " + sum.PacketID, Staff: &s.Staff, CSRF: s.CSRF, Packet: pp})
}

// packetArchive downloads a stored packet as the provider's app sent it
// (credentialing only; audited).
func (c *Console) packetArchive(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	id, ok := c.providerID(w, r, s)
	if !ok {
		return
	}
	archive, sum, err := c.db.PacketArchive(r.Context(), id, r.PathValue("packet"))
	if errors.Is(err, server.ErrNotFound) {
		c.notFound(w, r, s, "This provider sent no such packet.")
		return
	}
	if err == nil {
		err = c.db.RecordAs(r.Context(), s.Staff, clientHost(r), server.AuditPacket, id, sum.PacketID)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "onramp-packet-" + sum.PacketID + ".zip"}))
	w.Header().Set("Content-Length", strconv.Itoa(len(archive)))
	w.Write(archive)
}

// attachment opens one attachment of a verified packet, its type checked
// again by content (a PDF, PNG or JPEG, whatever its name says), always
// as a download: the browser never runs it inside the console.
func (c *Console) attachment(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	id, ok := c.providerID(w, r, s)
	if !ok {
		return
	}
	p, _, problems, ok := c.storedPacket(w, r, s, id)
	if !ok {
		return
	}
	if p == nil {
		c.render(w, r, http.StatusConflict, "error.html", page{Title: "Not opened", Staff: &s.Staff, CSRF: s.CSRF,
			Message: "This packet no longer verifies, so nothing in it is opened: " + strings.Join(problems, "; ")})
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(p.Data.Attachments) {
		c.notFound(w, r, s, "This packet has no such attachment.")
		return
	}
	a := p.Data.Attachments[n-1]
	body := p.Files[a.Path]
	info, err := attach.Check(a.Name, body, false)
	if err != nil || info.Type != a.Type {
		c.render(w, r, http.StatusConflict, "error.html", page{Title: "Not opened", Staff: &s.Staff, CSRF: s.CSRF,
			Message: fmt.Sprintf("%s is not the %s its packet says it is, so it is not opened.", a.Name, a.Type)})
		return
	}
	if err := c.db.RecordAs(r.Context(), s.Staff, clientHost(r), server.AuditAttachment, id, a.Name); err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", info.Type)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// ticketFor is the ticket in the path when it is the provider's.
func (c *Console) ticketFor(w http.ResponseWriter, r *http.Request, s server.StaffSession, id int64) (int64, bool) {
	ticket, err := strconv.ParseInt(r.PathValue("ticket"), 10, 64)
	if err == nil {
		var ts []server.Ticket
		if ts, err = c.db.Tickets(r.Context(), id); err == nil && slices.ContainsFunc(ts, func(t server.Ticket) bool { return t.ID == ticket }) {
			return ticket, true
		}
	}
	c.notFound(w, r, s, "This provider has no such help request.")
	return 0, false
}

// replyTicket answers a help request: by email, and in the app's Help
// after its next sync.
func (c *Console) replyTicket(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	id, ok := c.providerID(w, r, s)
	if !ok {
		return
	}
	ticket, ok := c.ticketFor(w, r, s, id)
	if !ok {
		return
	}
	if err := c.db.ReplyTicketAs(r.Context(), s.Staff, clientHost(r), ticket, r.PostFormValue("body")); err != nil {
		c.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Not sent", Staff: &s.Staff, CSRF: s.CSRF, Message: capitalize(err.Error()) + "."})
		return
	}
	http.Redirect(w, r, providerURL(id)+"?done=replied#ticket-"+strconv.FormatInt(ticket, 10), http.StatusSeeOther)
}

// ticketState closes or reopens a help request.
func (c *Console) ticketState(w http.ResponseWriter, r *http.Request, s server.StaffSession) {
	id, ok := c.providerID(w, r, s)
	if !ok {
		return
	}
	ticket, ok := c.ticketFor(w, r, s, id)
	if !ok {
		return
	}
	state := r.PostFormValue("state")
	if err := c.db.SetTicketStateAs(r.Context(), s.Staff, clientHost(r), ticket, state); err != nil {
		c.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Not changed", Staff: &s.Staff, CSRF: s.CSRF, Message: capitalize(err.Error()) + "."})
		return
	}
	http.Redirect(w, r, providerURL(id)+"?done=ticket-"+state+"#ticket-"+strconv.FormatInt(ticket, 10), http.StatusSeeOther)
}
