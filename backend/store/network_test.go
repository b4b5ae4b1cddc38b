package store_test

import (
	"context"
	"testing"
	"time"

	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// The network's receipt time, once the feed gives it, wins over the time a
// sync learned of the receipt; a later learned time never moves it, and
// the review follows the feed.
func TestNetworkVersions(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	learned := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	exact := time.Date(2026, 11, 27, 16, 30, 0, 0, time.UTC)
	reviewed := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		name string
		set  store.NetworkVersion
		want store.NetworkVersion
	}{
		{"learned first", store.NetworkVersion{Version: 1, ReceivedAt: learned, Review: "received"},
			store.NetworkVersion{Version: 1, ReceivedAt: learned, Review: "received"}},
		{"learned again later keeps the first", store.NetworkVersion{Version: 1, ReceivedAt: learned.Add(time.Hour), Review: "received"},
			store.NetworkVersion{Version: 1, ReceivedAt: learned, Review: "received"}},
		{"the feed's time replaces it", store.NetworkVersion{Version: 1, ReceivedAt: exact, ReceivedExact: true, Review: "returned", Reason: "Wrong NPI"},
			store.NetworkVersion{Version: 1, ReceivedAt: exact, ReceivedExact: true, Review: "returned", Reason: "Wrong NPI"}},
		{"a learned time does not replace the feed's", store.NetworkVersion{Version: 1, ReceivedAt: learned, Review: "reviewed", ReviewedAt: reviewed},
			store.NetworkVersion{Version: 1, ReceivedAt: exact, ReceivedExact: true, Review: "reviewed", ReviewedAt: reviewed}},
	}
	for _, step := range steps {
		step.set.Form = "credentialing"
		if err := st.SetNetworkVersion(ctx, step.set); err != nil {
			t.Fatal(err)
		}
		got, err := st.NetworkVersions(ctx, "credentialing")
		if err != nil {
			t.Fatal(err)
		}
		step.want.Form = "credentialing"
		if len(got) != 1 || !got[0].ReceivedAt.Equal(step.want.ReceivedAt) || got[0].ReceivedExact != step.want.ReceivedExact ||
			got[0].Review != step.want.Review || got[0].Reason != step.want.Reason || !got[0].ReviewedAt.Equal(step.want.ReviewedAt) {
			t.Errorf("%s: got %+v, want %+v", step.name, got, step.want)
		}
	}
	if got, _ := st.NetworkVersions(ctx, "general"); len(got) != 0 {
		t.Errorf("general = %+v, want none", got)
	}
}
