package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// PacketSummary is one stored packet, for support.
type PacketSummary struct {
	Provider      int64  `json:"provider"`
	ProviderEmail string `json:"providerEmail"`
	PacketID      string `json:"packetId"`
	Fingerprint   string `json:"fingerprint"`
	Signer        string `json:"signer"`
	Size          int64  `json:"size"`
	ReceivedAt    string `json:"receivedAt"`
}

// Packets lists stored packets, oldest first: every provider's when
// provider is 0.
func (d *DB) Packets(ctx context.Context, provider int64) ([]PacketSummary, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT k.provider, p.email, k.packet_id, k.fingerprint, k.signer, k.size, k.received_at
		FROM packets k JOIN providers p ON p.id = k.provider
		WHERE ? = 0 OR k.provider = ? ORDER BY k.received_at, k.provider, k.packet_id`, provider, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PacketSummary
	for rows.Next() {
		var p PacketSummary
		if err := rows.Scan(&p.Provider, &p.ProviderEmail, &p.PacketID, &p.Fingerprint, &p.Signer, &p.Size, &p.ReceivedAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ErrAmbiguous means a name fits more than one provider or packet.
var ErrAmbiguous = errors.New("ambiguous")

// PacketArchive returns a stored packet's archive bytes and summary. With
// provider 0 the packet ID alone must name it.
func (d *DB) PacketArchive(ctx context.Context, provider int64, packetID string) ([]byte, PacketSummary, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT k.provider, p.email, k.packet_id, k.fingerprint, k.signer, k.size, k.received_at, k.archive
		FROM packets k JOIN providers p ON p.id = k.provider
		WHERE k.packet_id = ? AND (? = 0 OR k.provider = ?) LIMIT 2`, packetID, provider, provider)
	if err != nil {
		return nil, PacketSummary{}, err
	}
	defer rows.Close()
	var archive []byte
	var p PacketSummary
	n := 0
	for rows.Next() {
		if err := rows.Scan(&p.Provider, &p.ProviderEmail, &p.PacketID, &p.Fingerprint, &p.Signer, &p.Size, &p.ReceivedAt, &archive); err != nil {
			return nil, PacketSummary{}, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, PacketSummary{}, err
	}
	switch n {
	case 0:
		return nil, PacketSummary{}, fmt.Errorf("%w: no packet %s", ErrNotFound, packetID)
	case 2:
		return nil, PacketSummary{}, fmt.Errorf("%w: more than one provider sent a packet %s; name the provider too", ErrAmbiguous, packetID)
	}
	return archive, p, nil
}

// ForgetPacketKey forgets the signing key a provider's packets must carry,
// for a provider who moved to a new computer: the next packet's key is
// trusted in its place.
func (d *DB) ForgetPacketKey(ctx context.Context, provider int64) error {
	if err := d.providerExists(ctx, provider); err != nil {
		return err
	}
	_, err := d.db.ExecContext(ctx, `DELETE FROM packet_keys WHERE provider = ?`, provider)
	return err
}

// packetCount is how many packets a provider sent.
func (d *DB) packetCount(ctx context.Context, provider int64) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM packets WHERE provider = ?`, provider).Scan(&n)
	return n, err
}

// ResolveProvider finds a provider by ID ("3") or email.
func (d *DB) ResolveProvider(ctx context.Context, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return id, d.providerExists(ctx, id)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id FROM providers WHERE lower(email) = lower(?) ORDER BY id`, ref)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var ids []string
	var id int64
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	switch len(ids) {
	case 0:
		return 0, fmt.Errorf("%w: no provider %q", ErrNotFound, ref)
	case 1:
		return id, nil
	}
	return 0, fmt.Errorf("%w: providers %s all use %s; give the ID", ErrAmbiguous, strings.Join(ids, ", "), ref)
}

// PacketKey is the key fingerprint a provider's packets must carry: the
// one sent at enrollment, else the first packet's; "" when there is none.
func (d *DB) PacketKey(ctx context.Context, provider int64) (string, error) {
	var fp string
	err := d.db.QueryRowContext(ctx, `SELECT signer FROM packet_keys WHERE provider = ?`, provider).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return fp, err
}
