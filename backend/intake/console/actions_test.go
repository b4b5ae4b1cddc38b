package console

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/packet"
	"onramp/backend/seal"
)

// A console with the network key for reveals, a support and a
// credentialing account, and one provider enrolled from an app client
// (with its packet signing key) who sent two versions of the Insurance
// form, the SSN sealed in each.
type world struct {
	*browser
	db        *server.DB
	app       *intake.Client
	packetKey ed25519.PrivateKey
}

const ssn = "123-45-6789"

func newWorld(t *testing.T) *world {
	t.Helper()
	pub, priv, err := seal.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	db, err := server.Open(ctx, dbtest.NewDB(t), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for email, role := range map[string]string{"ann@network.example": server.RoleSupport, "cal@network.example": server.RoleCredentialing,
		"root@network.example": server.RoleAdmin} {
		if _, err := db.AddStaff(ctx, email, role, pw); err != nil {
			t.Fatal(err)
		}
	}
	api := server.NewServer(db, server.WithConsole(New(db, slog.Default(), WithNetworkKey(priv)).Handler())).WithNetworkKey(pub)
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: srv.URL, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}

	key, err := packet.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	code, _ := db.Invite(ctx, "zoe@example.org")
	app, _ := intake.NewClient(srv.URL, "", 10*time.Second)
	res, err := app.EnrollRequest(ctx, intake.EnrollRequest{InvitationCode: code, Installation: "i-1", Name: "Zoë Adams", Email: "zoe@example.org",
		SigningKey: packet.KeyFingerprint(key.Public().(ed25519.PublicKey))})
	if err != nil {
		t.Fatal(err)
	}
	app = app.WithToken(res.Token)
	for v, caqh := range []string{"12345678", "87654321"} {
		d := forms.NewData()
		d.Fields["npi"] = "1234567893"
		d.Fields["ssn"] = "•••-••-6789"
		d.Fields["caqhId"] = caqh
		box, err := seal.Seal(pub, forms.SecretName(forms.FormCredentialing, "ssn"), []byte(ssn))
		if err != nil {
			t.Fatal(err)
		}
		up, _ := json.Marshal(intake.SubmissionUpload{Form: forms.FormCredentialing, Version: v + 1, SchemaVersion: 1, Hash: d.Hash(),
			SubmittedAt: time.Now(), Data: d.Encode(), Sealed: map[string]string{"ssn": box}, SealedTo: pub.Fingerprint()})
		if err := app.Submit(ctx, fmt.Sprint("c", v), up); err != nil {
			t.Fatal(err)
		}
	}
	return &world{browser: b, db: db, app: app, packetKey: key}
}

func (w *world) signIn(email string) string {
	w.t.Helper()
	w.client.Jar, _ = cookiejar.New(nil)
	if resp, _ := w.login(email, pw); resp.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("login %s: %d", email, resp.StatusCode)
	}
	resp, page := w.do("GET", "/console/", nil)
	if resp.StatusCode == http.StatusSeeOther { // an admin's home is the audit
		_, page = w.do("GET", resp.Header.Get("Location"), nil)
	}
	return csrfIn(w.t, page)
}

// A sealed field: revealed by credentialing with the server's key (in
// both audits, shown once, never cached); support sees the field but no
// button and is refused.
func TestRevealFromConsole(t *testing.T) {
	w := newWorld(t)
	token := w.signIn("ann@network.example")
	_, page := w.do("GET", "/console/providers/1", nil)
	if !strings.Contains(page, "Social Security number") && !strings.Contains(page, "SSN") {
		t.Fatalf("the sealed field is not listed:\n%s", page)
	}
	if strings.Contains(page, "/reveal") || !strings.Contains(page, "Only the credentialing role reveals these.") {
		t.Errorf("support is offered a reveal")
	}
	if resp, _ := w.do("POST", "/console/providers/1/reveal", url.Values{"csrf": {token}, "field": {"ssn"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("support revealed: %d", resp.StatusCode)
	}
	if strings.Contains(page, ssn) {
		t.Error("the page shows the SSN unasked")
	}

	token = w.signIn("cal@network.example")
	if resp, _ := w.do("POST", "/console/providers/1/reveal", url.Values{"field": {"ssn"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a reveal without the token: %d", resp.StatusCode)
	}
	resp, page := w.do("POST", "/console/providers/1/reveal", url.Values{"csrf": {token}, "field": {"ssn"}})
	if resp.StatusCode != 200 || !strings.Contains(page, ssn) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reveal: %d %q\n%s", resp.StatusCode, resp.Header.Get("Cache-Control"), page)
	}
	if resp, page := w.do("POST", "/console/providers/1/reveal", url.Values{"csrf": {token}, "field": {"dob"}}); resp.StatusCode != 404 || strings.Contains(page, ssn) {
		t.Errorf("a field never sent: %d", resp.StatusCode)
	}
	staff, _ := w.db.StaffAudit(ctx, 0, 1)
	if len(staff) != 1 || staff[0].Action != server.AuditReveal || staff[0].Who != "cal@network.example" || !strings.Contains(staff[0].Detail, "ssn credentialing version 2: revealed") {
		t.Errorf("staff audit %+v", staff)
	}
	reveals, _ := w.db.RevealAudit(ctx, 1)
	if len(reveals) != 1 || reveals[0].Who != "cal@network.example" || reveals[0].Version != 2 || reveals[0].Outcome != "revealed" {
		t.Errorf("reveal audit %+v", reveals)
	}
	_, page = w.do("GET", "/console/providers/1", nil)
	if !strings.Contains(page, "Revealed ssn credentialing version 2: revealed") || !strings.Contains(page, "by cal@network.example") {
		t.Errorf("the timeline lacks the reveal")
	}
}

// Two versions compared field by field: what changed, and nothing else.
func TestDiffFromConsole(t *testing.T) {
	w := newWorld(t)
	w.signIn("ann@network.example")
	_, page := w.do("GET", "/console/providers/1", nil)
	if !strings.Contains(page, `action="/console/providers/1/diff"`) {
		t.Fatalf("no way to compare versions:\n%s", page)
	}
	resp, page := w.do("GET", "/console/providers/1/diff?form=credentialing&from=1&to=2", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("diff: %d\n%s", resp.StatusCode, page)
	}
	rows := regexp.MustCompile(`(?s)<tbody>(.*)</tbody>`).FindStringSubmatch(page)
	if rows == nil || strings.Count(rows[1], "<tr>") != 1 || !strings.Contains(rows[1], `<td class="old">12345678</td><td class="new">87654321</td>`) {
		t.Errorf("the changes:\n%s", page)
	}
	if !strings.Contains(page, "1 field changed; 2 the same.") {
		t.Errorf("the count:\n%s", page)
	}
	for _, q := range []string{"form=credentialing&from=1&to=9", "form=nonsense", "form=general"} {
		if resp, _ := w.do("GET", "/console/providers/1/diff?"+q, nil); resp.StatusCode != 404 {
			t.Errorf("diff?%s: %d", q, resp.StatusCode)
		}
	}
}

// A request decided from the page (the same code as the command line,
// audited), a reason required to decline; another provider's request is
// not this page's to decide.
func TestRequestsFromConsole(t *testing.T) {
	w := newWorld(t)
	// Insurance & Directories opens with the portal: both forms reviewed,
	// the portal password made.
	d := forms.NewData()
	d.Fields["practiceName"] = "Adams Counseling"
	up, _ := json.Marshal(intake.SubmissionUpload{Form: forms.FormGeneral, Version: 1, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
	if err := w.app.Submit(ctx, "g1", up); err != nil {
		t.Fatal(err)
	}
	for _, form := range []string{forms.FormGeneral, forms.FormCredentialing} {
		if err := w.db.Review(ctx, 1, form, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.app.PortalPassword(ctx, "pw", "Portal-Lantern-73-moss"); err != nil {
		t.Fatal(err)
	}
	for i, target := range []string{"Aetna", "Cigna"} {
		if _, err := w.app.Request(ctx, fmt.Sprint("r", i), intake.DirectoryRequest{Ref: fmt.Sprint("r", i), Kind: intake.RequestAddPayer, Target: target, Reason: "Many of my clients have it"}); err != nil {
			t.Fatal(err)
		}
	}
	token := w.signIn("ann@network.example")
	_, page := w.do("GET", "/console/providers/1", nil)
	if strings.Count(page, `value="approved">Approve</button>`) != 2 {
		t.Fatalf("the requests:\n%s", page)
	}
	post := func(v url.Values) (*http.Response, string) {
		v.Set("csrf", token)
		return w.do("POST", "/console/providers/1/request", v)
	}
	if resp, page := post(url.Values{"request": {"2"}, "decision": {"declined"}, "reason": {" "}}); resp.StatusCode != 400 || !strings.Contains(page, "Say why the request is declined") {
		t.Errorf("declined without a reason: %d", resp.StatusCode)
	}
	if resp, _ := post(url.Values{"request": {"1"}, "decision": {"approved"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("approve: %d", resp.StatusCode)
	}
	if resp, _ := post(url.Values{"request": {"2"}, "decision": {"declined"}, "reason": {"Cigna is closed to new providers"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("decline: %d", resp.StatusCode)
	}
	if resp, page := post(url.Values{"request": {"1"}, "decision": {"approved"}}); resp.StatusCode != 400 || !strings.Contains(page, "was approved") {
		t.Errorf("approved twice: %d", resp.StatusCode)
	}
	if resp, _ := post(url.Values{"request": {"99"}, "decision": {"approved"}}); resp.StatusCode != 404 {
		t.Errorf("no such request: %d", resp.StatusCode)
	}
	st, err := w.app.Status(ctx)
	if err != nil || len(st.Requests) != 2 || st.Requests[0].State != intake.RequestApproved || st.Requests[1].Decision != "Cigna is closed to new providers" {
		t.Errorf("the app sees %+v %v", st.Requests, err)
	}
	entries, _ := w.db.StaffAudit(ctx, 0, 1)
	if len(entries) != 2 || entries[0].Action != server.AuditDeclined || entries[0].Detail != "add-payer Cigna Cigna is closed to new providers" || entries[1].Action != server.AuditApproved {
		t.Errorf("audit %+v", entries)
	}
}

// Reissue from the page: a new code shown once and mailed; the old
// computer's token stops working; audited.
func TestReissueFromConsole(t *testing.T) {
	w := newWorld(t)
	token := w.signIn("ann@network.example")
	resp, page := w.do("POST", "/console/providers/1/reissue", url.Values{"csrf": {token}})
	code := regexp.MustCompile(`<output class="value">([^<]+)</output>`).FindStringSubmatch(page)
	if resp.StatusCode != 200 || code == nil {
		t.Fatalf("reissue: %d\n%s", resp.StatusCode, page)
	}
	if _, err := w.app.Status(ctx); err == nil {
		t.Error("the old computer's token still works")
	}
	fresh, _ := intake.NewClient(w.base, "", 10*time.Second)
	if _, err := fresh.Enroll(ctx, code[1], "i-2", "Zoë Adams", "zoe@example.org"); err != nil {
		t.Errorf("the new code does not enroll: %v", err)
	}
	entries, _ := w.db.StaffAudit(ctx, 0, 1)
	if len(entries) != 1 || entries[0].Action != server.AuditReissue {
		t.Errorf("audit %+v", entries)
	}
	mail, _ := w.db.MailQueue(ctx, 0)
	found := false
	for _, m := range mail {
		found = found || m.Invitation == code[1]
	}
	if !found {
		t.Errorf("no welcome email for the new code: %+v", mail)
	}
}

func pngOf(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A support packet: verified again on its page, its attachment opened
// with its type checked again (as a download), the archive downloaded by
// credentialing only; each audited.
func TestPacketFromConsole(t *testing.T) {
	w := newWorld(t)
	pic := pngOf(t)
	sum := sha256.Sum256(pic)
	sha := hex.EncodeToString(sum[:])
	d := packet.Data{
		Format: packet.DataFormat, Version: packet.DataVersion, PacketID: "p-1",
		CreatedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
		Provider:  packet.Provider{LegalName: "Zoë Adams", Credentials: "LCSW", LicenseType: "lcsw", NPI: "1234567893", Email: "zoe@example.org"},
		Attachments: []packet.Attachment{{Form: "credentialing", Field: "licenseCopy", Name: `license"<b>.png`, Type: "image/png",
			Size: int64(len(pic)), SHA256: sha, Path: packet.AttachmentPath(sha, `license"<b>.png`)}},
	}
	var archive bytes.Buffer
	if _, err := packet.Make(&archive, d, map[string][]byte{sha: pic}, w.packetKey, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.UploadPacket(ctx, "p-1", archive.Bytes()); err != nil {
		t.Fatal(err)
	}

	w.signIn("ann@network.example")
	_, page := w.do("GET", "/console/providers/1", nil)
	if !strings.Contains(page, `href="/console/providers/1/packets/p-1"`) {
		t.Fatalf("the packet is not listed:\n%s", page)
	}
	resp, page := w.do("GET", "/console/providers/1/packets/p-1", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "Verified just now") || strings.Contains(page, "/archive") ||
		!strings.Contains(page, "license&#34;&lt;b&gt;.png") {
		t.Fatalf("packet page: %d\n%s", resp.StatusCode, page)
	}
	resp, body := w.do("GET", "/console/providers/1/packets/p-1/attachments/1", nil)
	if resp.StatusCode != 200 || body != string(pic) || resp.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("attachment: %d %v", resp.StatusCode, resp.Header)
	}
	for _, path := range []string{"/console/providers/1/packets/p-1/attachments/2", "/console/providers/1/packets/nope", "/console/providers/1/packets/p-1/attachments/x"} {
		if resp, _ := w.do("GET", path, nil); resp.StatusCode != 404 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	if resp, _ := w.do("GET", "/console/providers/1/packets/p-1/archive", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("support downloaded the packet: %d", resp.StatusCode)
	}

	w.signIn("cal@network.example")
	_, page = w.do("GET", "/console/providers/1/packets/p-1", nil)
	if !strings.Contains(page, `href="/console/providers/1/packets/p-1/archive"`) {
		t.Errorf("credentialing is offered no download")
	}
	resp, body = w.do("GET", "/console/providers/1/packets/p-1/archive", nil)
	if resp.StatusCode != 200 || body != archive.String() || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("archive: %d %v", resp.StatusCode, resp.Header)
	}
	if _, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body))); err != nil {
		t.Error(err)
	}
	entries, _ := w.db.StaffAudit(ctx, 0, 1)
	if len(entries) != 2 || entries[0].Action != server.AuditPacket || entries[0].Who != "cal@network.example" ||
		entries[1].Action != server.AuditAttachment || entries[1].Who != "ann@network.example" {
		t.Errorf("audit %+v", entries)
	}
}

// A help request answered from the page: the reply in the thread the app's
// status feed carries, an email to the provider, closed and reopened;
// all audited; another provider's ticket is not this page's.
func TestTicketsFromConsole(t *testing.T) {
	w := newWorld(t)
	if err := w.app.Help(ctx, "h1", "Claims", "How do I <b>bill</b> a session?"); err != nil {
		t.Fatal(err)
	}
	token := w.signIn("ann@network.example")
	_, page := w.do("GET", "/console/?queue=open-tickets", nil)
	if !strings.Contains(page, "1–1 of 1") {
		t.Fatalf("the open-tickets queue:\n%s", page)
	}
	_, page = w.do("GET", "/console/providers/1", nil)
	if !strings.Contains(page, "How do I &lt;b&gt;bill&lt;/b&gt; a session?") || !strings.Contains(page, `action="/console/providers/1/tickets/1/reply"`) {
		t.Fatalf("the ticket:\n%s", page)
	}
	post := func(path string, v url.Values) (*http.Response, string) {
		v.Set("csrf", token)
		return w.do("POST", path, v)
	}
	if resp, page := post("/console/providers/1/tickets/1/reply", url.Values{"body": {"  "}}); resp.StatusCode != 400 || !strings.Contains(page, "Write the reply") {
		t.Errorf("an empty reply: %d", resp.StatusCode)
	}
	if resp, _ := post("/console/providers/1/tickets/9/reply", url.Values{"body": {"Hello"}}); resp.StatusCode != 404 {
		t.Errorf("no such ticket: %d", resp.StatusCode)
	}
	if resp, _ := post("/console/providers/1/tickets/1/reply", url.Values{"body": {"Through the portal:\nsee the webinar."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", resp.StatusCode)
	}
	if resp, _ := post("/console/providers/1/tickets/1/state", url.Values{"state": {"closed"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", resp.StatusCode)
	}
	if resp, _ := post("/console/providers/1/tickets/1/state", url.Values{"state": {"lost"}}); resp.StatusCode != 400 {
		t.Errorf("a state that is not one: %d", resp.StatusCode)
	}
	st, err := w.app.Status(ctx)
	if err != nil || len(st.Tickets) != 1 || st.Tickets[0].State != "closed" || len(st.Tickets[0].Replies) != 1 ||
		st.Tickets[0].Replies[0].Body != "Through the portal:\nsee the webinar." {
		t.Fatalf("the app sees %+v %v", st.Tickets, err)
	}
	if _, page = w.do("GET", "/console/?queue=open-tickets", nil); !strings.Contains(page, "No provider in this queue.") {
		t.Error("a closed ticket is still in the queue")
	}
	mail, _ := w.db.MailQueue(ctx, 1)
	found := false
	for _, m := range mail {
		found = found || (m.Step == server.GuidanceTicketReply && m.Subject == "Re: Claims")
	}
	if !found {
		t.Errorf("no reply email queued: %+v", mail)
	}
	entries, _ := w.db.StaffAudit(ctx, 0, 1)
	if len(entries) != 2 || entries[0].Action != server.AuditTicketState || entries[1].Action != server.AuditTicketReply {
		t.Errorf("audit %+v", entries)
	}
	_, page = w.do("GET", "/console/providers/1", nil)
	if !strings.Contains(page, "Reopen the request") || !strings.Contains(page, "ann@network.example replied") || !strings.Contains(page, "Replied to help request 1: Claims") {
		t.Errorf("the page after:\n%s", page)
	}
}
