package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"onramp/backend/intake/server"
	"onramp/backend/packet"
)

func printPackets(out io.Writer, ps []server.PacketSummary) {
	if len(ps) == 0 {
		fmt.Fprintln(out, "No packets have arrived yet.")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tPACKET\tRECEIVED\tSIZE\tFINGERPRINT")
	for _, p := range ps {
		fmt.Fprintf(tw, "%d %s\t%s\t%s\t%s\t%s\n", p.Provider, p.ProviderEmail, p.PacketID,
			minute(p.ReceivedAt), size(p.Size), packet.ShortFingerprint(p.Fingerprint))
	}
	tw.Flush()
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<10-1)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// writePacket writes a stored packet to path and verifies what landed on
// disk with the packet reader before it takes the name: a packet that does
// not verify is never left at path.
func writePacket(ctx context.Context, db *server.DB, provider int64, id, path string, out io.Writer) error {
	archive, p, err := db.PacketArchive(ctx, provider, id)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(archive)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	got, problems := packet.OpenFile(tmp.Name(), packet.Options{})
	if len(problems) == 0 && got.Fingerprint != p.Fingerprint {
		problems = []packet.Problem{{Code: "fingerprint-changed", Message: "the packet's content fingerprint is not the one recorded when it arrived"}}
	}
	if len(problems) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "packet %s from provider %d failed verification; nothing was written to %s:", id, p.Provider, path)
		for _, pr := range problems {
			b.WriteString("\n  " + printable(pr.String()))
		}
		return fmt.Errorf("%s", b.String())
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintln(out, "OK", packet.ShortFingerprint(got.Fingerprint))
	return nil
}

// printable replaces control characters: problem messages quote names from
// the archive.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '?'
		}
		return r
	}, s)
}
