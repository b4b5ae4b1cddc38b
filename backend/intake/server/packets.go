package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"onramp/backend/intake"
	"onramp/backend/packet"
)

// MaxPacketBody is the largest packet upload: the packet reader's own limit.
const MaxPacketBody = packet.MaxArchiveBytes

// uploadPacket verifies a support packet with the packet reader and stores
// it. The first packet a provider sends fixes the signing key their later
// packets must carry; the same packet ID again is accepted only with the
// same bytes.
func (s *Server) uploadPacket(ctx context.Context, req request) (int, any, error) {
	// Refuse a keyless upload before spending time on verification.
	if _, err := idempotencyKey(req); err != nil {
		return 0, nil, err
	}
	p, problems := packet.Open(bytes.NewReader(req.body), int64(len(req.body)), packet.Options{})
	if len(problems) > 0 {
		return 0, nil, badPacket(problems)
	}
	if !validPacketID(p.Manifest.PacketID) {
		return 0, nil, &apiError{http.StatusUnprocessableEntity, "bad-packet-id",
			"The packet ID must be 1 to 64 letters, digits, dots, dashes or underscores.", nil}
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		return s.db.storePacket(ctx, tx, req.provider, p, req.body)
	})
}

func badPacket(problems []packet.Problem) *apiError {
	msg := "The packet failed verification: " + problems[0].Message
	if n := len(problems) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more problem%s)", n, map[bool]string{true: "", false: "s"}[n == 1])
	}
	return &apiError{http.StatusUnprocessableEntity, "bad-packet", msg, problems}
}

func validPacketID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

func (d *DB) storePacket(ctx context.Context, tx *dbTx, provider int64, p *packet.Packet, archive []byte) (int, any, error) {
	sum := sha256.Sum256(archive)
	archiveSum := hex.EncodeToString(sum[:])
	id := p.Manifest.PacketID
	var storedSum, received string
	err := tx.QueryRowContext(ctx, `SELECT archive_sha256, received_at FROM packets WHERE provider = ? AND packet_id = ?`,
		provider, id).Scan(&storedSum, &received)
	switch {
	case err == nil && storedSum == archiveSum:
		return http.StatusOK, intake.PacketReceipt{PacketID: id, Fingerprint: p.Fingerprint, ReceivedAt: received}, nil
	case err == nil:
		return 0, nil, &apiError{http.StatusConflict, "packet-conflict", fmt.Sprintf("Packet %s was already received with other content.", id), nil}
	case !errors.Is(err, sql.ErrNoRows):
		return 0, nil, err
	}
	if err := d.checkSigner(ctx, tx, provider, p.SignerFingerprint); err != nil {
		return 0, nil, err
	}
	now := d.stamp()
	_, err = tx.ExecContext(ctx, `INSERT INTO packets (provider, packet_id, fingerprint, signer, archive_sha256, size, archive, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, provider, id, p.Fingerprint, p.SignerFingerprint, archiveSum, len(archive), archive, now)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, intake.PacketReceipt{PacketID: id, Fingerprint: p.Fingerprint, ReceivedAt: now}, nil
}

// checkSigner trusts the key of a provider's first packet and refuses any
// other key after it: a packet signed elsewhere is not from the provider's
// installation. Support can forget the key (ForgetPacketKey) when a
// provider really moved to a new computer.
func (d *DB) checkSigner(ctx context.Context, tx *dbTx, provider int64, signer string) error {
	var trusted string
	err := tx.QueryRowContext(ctx, `SELECT signer FROM packet_keys WHERE provider = ?`, provider).Scan(&trusted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO packet_keys (provider, signer, first_seen) VALUES (?, ?, ?)`, provider, signer, d.stamp())
		return err
	case err != nil:
		return err
	case trusted != signer:
		return &apiError{http.StatusUnprocessableEntity, "key-changed",
			"This packet is signed by a different installation's key than earlier packets (" + packet.ShortFingerprint(signer) +
				", not " + packet.ShortFingerprint(trusted) + "). If you moved to a new computer, ask support to accept its key.", nil}
	}
	return nil
}
