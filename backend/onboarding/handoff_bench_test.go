package onboarding

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store/storetest"
)

// BenchmarkSubmitToPacketStored is the hand-off of one Insurance form
// version: from the provider pressing Submit to its signed packet stored
// by the intake server, on loopback. Each round resubmits the realistic
// provider's Insurance form (the documents of docs/examples: a headshot,
// the license copy and the liability certificate) and runs the sync that
// follows a submission: the packet is made from the submitted versions,
// checked, kept, and uploaded with the submission itself; the server
// verifies it before storing it, and stores the sealed fields. It
// reports ms/packet.
func BenchmarkSubmitToPacketStored(b *testing.B) {
	example := func(name string) []byte {
		raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", name))
		if err != nil {
			b.Fatal(err)
		}
		return raw
	}
	license, liability := example("license.pdf"), example("liability.pdf")
	st := storetest.New(b)
	svc := New(st, time.Now, bundledVideo(b), secrettest.Box(b), outmail.Config{})
	if problems, err := svc.Progress.SetUp(ctx, validValues(b)); err != nil || problems != nil {
		b.Fatal(err, problems)
	}
	// The network's key, as the hand-off runs: the CAQH login, SSN and date
	// of birth are sealed on every send. The app's log (a line per sync) is
	// not what is measured, and would break up the benchmark's output.
	_, pub, _ := networkKeyFile(b)
	db, srv := sealedIntake(b, st, b.TempDir(), &pub)
	log.SetOutput(io.Discard)
	b.Cleanup(func() { log.SetOutput(os.Stderr) })
	submitBoth(b, svc, both{ssn: "219-09-8765", password: "Tr0ub4dor&3-caqh", headshot: example("headshot.jpg"),
		docs: [4][]byte{license, liability, license, license}})
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" || !rep.Online {
		b.Fatalf("first sync: %+v", rep)
	}
	provs, err := db.Providers(ctx)
	if err != nil || len(provs) != 1 {
		b.Fatal(provs, err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		v, err := svc.Forms.StartResubmission(ctx, forms.FormCredentialing)
		if err != nil {
			b.Fatal(err)
		}
		d := v.Data
		d.Fields["policyNumber"] = "PL-" + strconv.Itoa(i)
		d.Fields["attestTrue"], d.Fields["attestName"] = "yes", "Zoë Łukasiewicz"
		b.StartTimer()
		if r, err := svc.Forms.SubmitForm(ctx, forms.FormCredentialing, d); err != nil || r.Version == 0 {
			b.Fatal(err, r.Problems)
		}
		if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" {
			b.Fatalf("sync: %+v", rep)
		}
		b.StopTimer()
		if stored, err := db.Packets(ctx, provs[0].ID); err != nil || len(stored) != i+2 {
			b.Fatalf("%d packets stored after %d versions (%v)", len(stored), i+2, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/packet")
}
