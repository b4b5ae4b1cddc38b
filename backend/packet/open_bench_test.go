package packet

import (
	"bytes"
	"strings"
	"testing"
)

// BenchmarkOpen opens the worst inputs found (hostileArchives: each once
// took seconds), the largest packet Open accepts and an ordinary one, and
// reports milliseconds per Open. TestOpenWorkIsBounded holds the same
// inputs to their bounds in bytes; this gives the time those bounds buy.
func BenchmarkOpen(b *testing.B) {
	cases := append(hostileArchives(b),
		hostileCase{"largest valid packet", largestPacket(b, testKey(b)), ""},
		hostileCase{"ordinary packet", testArchive(b, testKey(b)), ""})
	for _, c := range cases {
		b.Run(strings.ReplaceAll(c.name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.archive)))
			for b.Loop() {
				p, problems := Open(bytes.NewReader(c.archive), int64(len(c.archive)), Options{})
				if (p != nil) != (c.want == "") {
					b.Fatalf("packet %v, problems %.200v", p != nil, problems)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/open")
		})
	}
}
