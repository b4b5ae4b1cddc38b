package onboarding

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/packets"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/packet"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/testenv"
)

// Values planted in the sealed fields: none may be in a packet.
const (
	plantedSSN      = "219-09-8765"
	plantedPassword = "Tr0ub4dor&3-caqh"
	plantedCAQHUser = "caqh-login-zq7x"
	plantedDOB      = "1961-07-23"
)

// plantedValues are the planted values in every form they could be
// written in (the SSN without dashes, the date as the PDF prints dates).
var plantedValues = []string{plantedSSN, "219098765", plantedPassword, plantedCAQHUser, plantedDOB, "Jul 23, 1961", "07/23/1961", "7/23/1961"}

// submitPlanted submits both forms with the planted sealed values.
func submitPlanted(t testing.TB, svc *Service) {
	t.Helper()
	submitBoth(t, svc, both{ssn: plantedSSN, password: plantedPassword,
		fields: map[string]string{"caqhUsername": plantedCAQHUser, "dateOfBirth": plantedDOB}})
}

// resubmitInsurance submits a new version of the Insurance form with a
// new policy number.
func resubmitInsurance(t testing.TB, svc *Service, policy string) int {
	t.Helper()
	v, err := svc.Forms.StartResubmission(ctx, forms.FormCredentialing)
	if err != nil {
		t.Fatal(err)
	}
	d := v.Data
	d.Fields["policyNumber"] = policy
	d.Fields["attestTrue"] = "yes"
	d.Fields["attestName"] = "Zoë Łukasiewicz"
	r, err := svc.Forms.SubmitForm(ctx, forms.FormCredentialing, d)
	if err != nil || r.Version == 0 {
		t.Fatal(err, r.Problems)
	}
	return r.Version
}

// storedPackets is every packet the intake server holds for its only
// provider, opened with the one reader (packet.OpenFile, as `onramp-packet
// verify` does) from a file written out of the server's database.
func storedPackets(t *testing.T, db *server.DB) (files []string, opened []*packet.Packet) {
	t.Helper()
	provs, err := db.Providers(ctx)
	if err != nil || len(provs) != 1 {
		t.Fatalf("providers: %v %v", provs, err)
	}
	list, err := db.Packets(ctx, provs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, s := range list {
		archive, _, err := db.PacketArchive(ctx, provs[0].ID, s.PacketID)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, s.PacketID+".onramp")
		if err := os.WriteFile(path, archive, 0o600); err != nil {
			t.Fatal(err)
		}
		p, problems := packet.OpenFile(path, packet.Options{})
		if len(problems) > 0 {
			t.Fatalf("the stored packet %s does not verify: %+v", s.PacketID, problems)
		}
		files, opened = append(files, path), append(opened, p)
	}
	return files, opened
}

// formVersions is "general:N,credentialing:M" for a packet's forms.
func formVersions(p *packet.Packet) string {
	var out []string
	for _, f := range p.Data.Forms {
		out = append(out, f.ID+":"+strconv.Itoa(f.Version))
	}
	return strings.Join(out, ",")
}

// noPlantedValue unzips an archive and looks for every planted value in
// every member, and in the PDF's text when pdftotext is there.
func noPlantedValue(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var pdf []byte
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "packet.pdf" {
			pdf = b
		}
		for _, v := range plantedValues {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s of %s holds %q", f.Name, filepath.Base(path), v)
			}
		}
	}
	if pdf == nil {
		t.Fatalf("%s holds no PDF", path)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return // the caller's testenv.Need says so
	}
	out := filepath.Join(t.TempDir(), "packet.pdf")
	os.WriteFile(out, pdf, 0o600)
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "Not included: kept encrypted") || !strings.Contains(string(text), "•••-••-8765") {
		t.Errorf("the PDF does not show the sealed fields masked")
	}
	for _, v := range plantedValues {
		if strings.Contains(string(text), v) {
			t.Errorf("the PDF of %s prints %q", filepath.Base(path), v)
		}
	}
}

// Submitting the Insurance form is all it takes: the next sync makes the
// signed packet from the submitted versions and uploads it; it verifies
// (with the function and with the real onramp-packet command), holds no
// sealed value, and each resubmitted version gets its own packet, once.
func TestHandoffPacketGoesByItself(t *testing.T) {
	svc, st := trainingService(t)
	db, srv := intakeFor(t, st, time.Now)
	submitPlanted(t, svc)

	// The submission only queued it: no packet is made yet.
	kept := filepath.Join(filepath.Dir(st.Path()), "packets")
	if made, _ := filepath.Glob(filepath.Join(kept, "*.onramp")); len(made) > 0 {
		t.Fatalf("a packet was made during the submission: %v", made)
	}
	if it, ok, err := st.OutboxItemByKey(ctx, "packet-build/credentialing/1/"+latestHash(t, st)[:16]); err != nil || !ok || it.State != store.OutboxQueued {
		t.Fatalf("the packet of version 1 is not queued: %+v %v %v", it, ok, err)
	}

	entries, _ := svc.Sync.Outbox(ctx)
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" || !rep.Online {
		t.Fatalf("sync: %+v", rep)
	}
	files, opened := storedPackets(t, db)
	if len(opened) != 1 || formVersions(opened[0]) != "general:1,credentialing:1" {
		t.Fatalf("after the first sync the server holds %d packets", len(opened))
	}
	fp, err := svc.Packets.SigningKeyFingerprint(ctx)
	if err != nil || opened[0].SignerFingerprint != fp || opened[0].Data.Provider.SSNLast4 != "8765" || len(opened[0].Data.Attachments) != 4 {
		t.Errorf("the packet: signer %s (installation %s), SSN last four %q, %d attachments",
			opened[0].SignerFingerprint, fp, opened[0].Data.Provider.SSNLast4, len(opened[0].Data.Attachments))
	}
	noPlantedValue(t, files[0])

	// The real command says so too.
	out, err := exec.Command(testenv.Path(t, "go"), "run", "onramp/cmd/onramp-packet", "verify", files[0]).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "OK "+packet.ShortFingerprint(opened[0].Fingerprint)) {
		t.Errorf("onramp-packet verify: %v\n%s", err, out)
	}

	// The sync panel lists it like any other item: queued to be made
	// before the sync, then its upload, delivered.
	var listed []string
	for _, e := range entries {
		if strings.HasPrefix(e.What, "Support packet") {
			listed = append(listed, e.What+": "+e.State)
		}
	}
	if want := "Support packet of the Insurance form, version 1: queued"; strings.Join(listed, ",") != want {
		t.Errorf("before the sync the panel lists %v, want %q", listed, want)
	}
	entries, _ = svc.Sync.Outbox(ctx)
	listed = nil
	for _, e := range entries {
		if strings.HasPrefix(e.What, "Support packet") {
			listed = append(listed, e.What+": "+e.State)
		}
	}
	if want := "Support packet " + opened[0].Data.PacketID + ": delivered"; strings.Join(listed, ",") != want {
		t.Errorf("after the sync the panel lists %v, want %q", listed, want)
	}

	// A resubmission gets its own packet; syncing again duplicates nothing.
	if v := resubmitInsurance(t, svc, "PL-2"); v != 2 {
		t.Fatalf("resubmitted as version %d", v)
	}
	for range 2 {
		if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" {
			t.Fatalf("sync: %+v", rep)
		}
	}
	files, opened = storedPackets(t, db)
	var versions []string
	for _, p := range opened {
		versions = append(versions, formVersions(p))
	}
	if strings.Join(versions, " ") != "general:1,credentialing:1 general:1,credentialing:2" {
		t.Errorf("the server holds packets of %v", versions)
	}
	if policy := opened[len(opened)-1].Data.Forms[1].Data.Fields["policyNumber"]; policy != "PL-2" {
		t.Errorf("the second packet holds policy %q", policy)
	}
	noPlantedValue(t, files[len(files)-1])
	if made, _ := filepath.Glob(filepath.Join(kept, "*.onramp")); len(made) != 2 {
		t.Errorf("%d packets kept for 2 versions", len(made))
	}
	testenv.Need(t, "pdftotext")
}

// latestHash is the hash of the latest Insurance form version.
func latestHash(t *testing.T, st *store.Store) string {
	t.Helper()
	subs, err := st.Submissions(ctx, forms.FormCredentialing)
	if err != nil || len(subs) == 0 {
		t.Fatal(err)
	}
	return subs[len(subs)-1].Hash
}

// The app stops anywhere between the submission and the upload — before
// the packet is made, while it is made, after its upload is queued but
// before the build is recorded — and starts again: each version still
// gets exactly one packet on the server and one kept on disk.
func TestHandoffPacketSurvivesARestart(t *testing.T) {
	for _, stop := range []string{"before the build", "mid-build", "after the upload is queued"} {
		t.Run(stop, func(t *testing.T) {
			svc, st := trainingService(t)
			db, srv := intakeFor(t, st, time.Now)
			submitPlanted(t, svc)
			kept := filepath.Join(filepath.Dir(st.Path()), "packets")
			switch stop {
			case "mid-build":
				// Claimed, and a half-written file left, when the app died.
				if items, err := st.ClaimDue(ctx, fixedNow(), 10, packets.KindBuild); err != nil || len(items) != 1 {
					t.Fatalf("claim: %v %v", items, err)
				}
				os.MkdirAll(kept, 0o700)
				os.WriteFile(filepath.Join(kept, ".tmp-123"), []byte("PK\x03\x04 half"), 0o600)
			case "after the upload is queued":
				items, err := st.ClaimDue(ctx, fixedNow(), 10, packets.KindBuild)
				if err != nil || len(items) != 1 {
					t.Fatalf("claim: %v %v", items, err)
				}
				if err := svc.Packets.Build(ctx, items[0]); err != nil {
					t.Fatal(err)
				}
			}
			// The restart: a new process's services over the same folder.
			again := New(st, fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
			for range 2 {
				if rep := again.Sync.Sync(ctx, srv.URL); rep.Error != "" || !rep.Online {
					t.Fatalf("sync after the restart: %+v", rep)
				}
			}
			_, opened := storedPackets(t, db)
			if len(opened) != 1 || formVersions(opened[0]) != "general:1,credentialing:1" {
				t.Fatalf("the server holds %d packets", len(opened))
			}
			if made, _ := filepath.Glob(filepath.Join(kept, "*.onramp")); len(made) != 1 || filepath.Base(made[0]) != opened[0].Data.PacketID+".onramp" {
				t.Errorf("kept: %v, uploaded %s", made, opened[0].Data.PacketID)
			}
			entries, _ := again.Sync.Outbox(ctx)
			for _, e := range entries {
				if strings.HasPrefix(e.What, "Support packet") && e.State != store.OutboxDelivered {
					t.Errorf("%s is %s: %s", e.What, e.State, e.LastError)
				}
			}
		})
	}
}

// TestHandoffPacketSurvivesSIGKILL kills the app while it makes and
// uploads the packets of three Insurance form versions, again and again,
// then lets a run finish: each version has exactly one packet on the
// server and one kept, whatever the kills interrupted.
func TestHandoffPacketSurvivesSIGKILL(t *testing.T) {
	if dir := os.Getenv("ONRAMP_PACKET_CHILD"); dir != "" {
		syncChild(dir, os.Getenv("ONRAMP_PACKET_URL")) // the app that gets killed: one sync, then "synced"
		return
	}
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	svc := New(st, time.Now, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if p, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || p != nil {
		t.Fatal(err, p)
	}
	db, srv := intakeFor(t, st, time.Now)
	submitPlanted(t, svc)
	resubmitInsurance(t, svc, "PL-2")
	resubmitInsurance(t, svc, "PL-3")
	st.Close()

	run := func(killAfter time.Duration) (finished bool) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHandoffPacketSurvivesSIGKILL$")
		cmd.Env = append(os.Environ(), "ONRAMP_PACKET_CHILD="+dir, "ONRAMP_PACKET_URL="+srv.URL)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		sc.Scan() // started
		if killAfter > 0 {
			time.Sleep(killAfter)
			cmd.Process.Signal(syscall.SIGKILL)
		}
		for sc.Scan() {
			finished = finished || strings.HasPrefix(sc.Text(), "synced")
		}
		cmd.Wait()
		return finished
	}
	// Kill later each time, until a run finishes before its kill: the kills
	// land at more and more points of the work (what is done stays done).
	for after := 50 * time.Millisecond; ; after = after * 3 / 2 {
		finished := run(after)
		kept, _ := filepath.Glob(filepath.Join(dir, "packets", "*.onramp"))
		list, _ := db.Packets(ctx, 0)
		t.Logf("killed after %s (finished first: %v): %d packets kept, %d on the server", after, finished, len(kept), len(list))
		if finished {
			break
		}
	}
	if !run(0) {
		t.Fatal("the last sync did not finish")
	}
	_, opened := storedPackets(t, db)
	var versions []string
	for _, p := range opened {
		versions = append(versions, formVersions(p))
	}
	slices.Sort(versions)
	if strings.Join(versions, " ") != "general:1,credentialing:1 general:1,credentialing:2 general:1,credentialing:3" {
		t.Errorf("the server holds packets of %v", versions)
	}
	if made, _ := filepath.Glob(filepath.Join(dir, "packets", "*.onramp")); len(made) != 3 {
		t.Errorf("%d packets kept for 3 versions: %v", len(made), made)
	}
}

// A packet that cannot be made (a document gone from the data folder)
// shows in the sync panel as failed, in plain words, and Retry makes it
// once the document is back.
func TestHandoffPacketBuildFailureShows(t *testing.T) {
	svc, st := trainingService(t)
	db, srv := intakeFor(t, st, time.Now)
	submitPlanted(t, svc)
	docs, _ := filepath.Glob(filepath.Join(filepath.Dir(st.Path()), "attachments", "*"))
	if len(docs) == 0 {
		t.Fatal("no documents stored")
	}
	away := filepath.Join(t.TempDir(), "doc")
	if err := os.Rename(docs[0], away); err != nil {
		t.Fatal(err)
	}
	svc.Sync.Sync(ctx, srv.URL)
	entries, _ := svc.Sync.Outbox(ctx)
	var build *syncing.OutboxEntry
	for _, e := range entries {
		if strings.HasPrefix(e.What, "Support packet of the Insurance form") {
			build = &e
		}
	}
	if build == nil || build.State != "failed" || !strings.Contains(build.LastError, "couldn't make the support packet") {
		t.Fatalf("the failed build in the panel: %+v", build)
	}
	if _, opened := storedPackets(t, db); len(opened) != 0 {
		t.Fatalf("%d packets on the server", len(opened))
	}
	if err := os.Rename(away, docs[0]); err != nil {
		t.Fatal(err)
	}
	if err := svc.Sync.RetryItem(ctx, build.ID); err != nil {
		t.Fatal(err)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}
	if _, opened := storedPackets(t, db); len(opened) != 1 {
		t.Fatalf("%d packets on the server after Retry", len(opened))
	}
}
