package webinar

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCoverage(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name     string
		played   []Interval
		duration float64
		want     float64
	}{
		{"empty", nil, 100, 0},
		{"whole", []Interval{{0, 100}}, 100, 1},
		{"half", []Interval{{0, 50}}, 100, 0.5},
		{"overlapping", []Interval{{0, 30}, {20, 50}, {40, 60}}, 100, 0.6},
		{"contained", []Interval{{10, 90}, {20, 30}}, 100, 0.8},
		{"unsorted", []Interval{{80, 100}, {0, 10}, {40, 50}}, 100, 0.4},
		{"touching", []Interval{{0, 10}, {10, 20}}, 100, 0.2},
		{"reversed ignored", []Interval{{50, 10}, {0, 10}}, 100, 0.1},
		{"past the end", []Interval{{90, 500}}, 100, 0.1},
		{"before the start", []Interval{{-50, 10}}, 100, 0.1},
		{"entirely outside", []Interval{{200, 300}, {-20, -10}}, 100, 0},
		{"zero length", []Interval{{5, 5}}, 100, 0},
		{"non-finite ignored", []Interval{{nan, 10}, {0, inf}, {0, 20}}, 100, 0.2},
		{"zero duration", []Interval{{0, 10}}, 0, 0},
		{"negative duration", []Interval{{0, 10}}, -5, 0},
		{"NaN duration", []Interval{{0, 10}}, nan, 0},
		{"many duplicates", []Interval{{0, 10}, {0, 10}, {0, 10}}, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Coverage(tt.played, tt.duration); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Coverage(%v, %v) = %v, want %v", tt.played, tt.duration, got, tt.want)
			}
		})
	}
}

func TestCoverageDoesNotChangeInput(t *testing.T) {
	in := []Interval{{50, 60}, {0, 10}}
	Coverage(in, 100)
	if in[0] != (Interval{50, 60}) || in[1] != (Interval{0, 10}) {
		t.Errorf("input modified: %v", in)
	}
}

// Against a brute-force count over a fine grid, on random intervals.
func TestCoverageMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		duration := float64(10 + r.IntN(200))
		var played []Interval
		for i := 0; i < r.IntN(20); i++ {
			a := float64(r.IntN(300) - 50)
			b := float64(r.IntN(300) - 50)
			played = append(played, Interval{a, b})
		}
		covered := 0
		for x := 0.5; x < duration; x++ {
			for _, iv := range played {
				if iv.Start <= iv.End && iv.Start <= x && x < iv.End {
					covered++
					break
				}
			}
		}
		want := float64(covered) / duration
		if got := Coverage(played, duration); math.Abs(got-want) > 1e-9 {
			t.Fatalf("round %d: Coverage(%v, %v) = %v, brute force %v", round, played, duration, got, want)
		}
	}
}

func TestNinetyPercentRule(t *testing.T) {
	const d = 200
	if Coverage([]Interval{{0, 179.9}}, d) >= WatchedThreshold {
		t.Error("89.95% counted as watched")
	}
	if Coverage([]Interval{{0, 100}, {120, 200}}, d) < WatchedThreshold {
		t.Error("90% not counted as watched")
	}
}

func TestCredit(t *testing.T) {
	tests := []struct {
		name string
		seg  Segment
		ok   bool
	}{
		{"normal speed", Segment{0, 10, 10}, true},
		{"double speed", Segment{0, 20, 10}, true},
		{"double speed, coarse updates", Segment{0, 21, 10}, true},
		{"seek to the end", Segment{5, 195, 0.3}, false},
		{"four times speed", Segment{0, 40, 10}, false},
		{"backwards", Segment{10, 5, 5}, false},
		{"negative wall time", Segment{0, 1, -1}, false},
		{"NaN", Segment{math.NaN(), 5, 5}, false},
	}
	for _, tt := range tests {
		got := Credit([]Segment{tt.seg})
		if (len(got) == 1) != tt.ok {
			t.Errorf("%s: credited %v, want ok=%v", tt.name, got, tt.ok)
		}
	}
}

func FuzzCoverage(f *testing.F) {
	f.Add(0.0, 10.0, 5.0, 2.0, 100.0)
	f.Add(-1.0, 1e308, math.Inf(1), 0.0, 1.0)
	f.Fuzz(func(t *testing.T, a, b, c, d, duration float64) {
		got := Coverage([]Interval{{a, b}, {c, d}}, duration)
		if got < 0 || got > 1 || math.IsNaN(got) {
			t.Fatalf("Coverage out of [0,1]: %v", got)
		}
	})
}

func BenchmarkCoverage100k(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	played := make([]Interval, 100_000)
	for i := range played {
		s := r.Float64() * 3600
		played[i] = Interval{s, s + r.Float64()*5}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Coverage(played, 3600)
	}
}
