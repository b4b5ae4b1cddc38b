package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

func TestKeepPayers(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		keep []string
		want string
	}{
		{[]string{"Aetna", "Cigna", "Medicare"}, "Aetna Cigna Medicare"},
		{[]string{"Cigna", "Magellan"}, "Cigna"}, // a name not stored is no error
		{[]string{"aetna"}, ""},                  // names as the network spells them
		{nil, ""},
	}
	for _, tt := range tests {
		s := storetest.New(t)
		for _, p := range []string{"Aetna", "Cigna", "Medicare"} {
			if err := s.SetPayerStatus(ctx, store.PayerStatus{Payer: p, Status: "approved", UpdatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.KeepPayers(ctx, tt.keep); err != nil {
			t.Fatal(err)
		}
		ps, err := s.PayerStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.Payer)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("keep %q: %q, want %q", tt.keep, got, tt.want)
		}
	}
}
