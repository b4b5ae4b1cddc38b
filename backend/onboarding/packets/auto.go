package packets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"onramp/backend/forms"
	"onramp/backend/packet"
	"onramp/backend/store"
)

// Each submitted version of the Insurance form gets its own packet, made
// without the provider doing anything: the submission queues a "build"
// item in its own transaction (BuildJob); the sync makes the packet from
// the submitted versions the item names (Build) and queues its upload.
// Both keys come from the form version, so a crash anywhere between the
// submission and the upload ends in exactly one packet for the version:
// a build that finds its upload queued stops there, and one cut short
// before queueing it makes the same packet (same ID, same versions) again.
//
// The automatic packet is not emailed: its upload is the hand-off, and
// support reads it from the intake server (`onramp-intake packet`). Only a
// packet the provider exports by hand is emailed as well (queuePacket).

// KindBuild is the outbox kind of a packet to make from a submitted
// Insurance form version.
const KindBuild = "packet-build"

// buildJob is a queued build's payload.
type buildJob struct {
	PacketID string `json:"packetId"` // chosen at submission: a rebuild keeps it
	Version  int    `json:"version"`  // of the Insurance form
	Hash     string `json:"hash"`     // of that version
	// General is the General Onboarding version latest when the Insurance
	// version was submitted: the packet shows the pair as submitted.
	General int `json:"general"`
}

// versionKey names an Insurance form version in the build's and the
// upload's idempotency keys.
func versionKey(version int, hash string) string {
	return fmt.Sprintf("%s/%d/%s", forms.FormCredentialing, version, hash[:min(16, len(hash))])
}

// BuildJob is the outbox item that makes the packet of an Insurance form
// version (hash its data's hash) with General Onboarding version general;
// the submission queues it in its own transaction.
func BuildJob(version int, hash string, general int) store.OutboxItem {
	payload, _ := json.Marshal(buildJob{PacketID: newPacketID(), Version: version, Hash: hash, General: general})
	return store.OutboxItem{Kind: KindBuild, IdempotencyKey: "packet-build/" + versionKey(version, hash), Payload: payload}
}

// Build makes the packet a queued build item names from the submitted
// versions it names, keeps it in the private packets folder and queues its
// upload. It does nothing when the upload is already queued (a build
// interrupted after queueing it).
func (s *Service) Build(ctx context.Context, it store.OutboxItem) error {
	var j buildJob
	if err := json.Unmarshal(it.Payload, &j); err != nil {
		return fmt.Errorf("read the packet to make: %w", err)
	}
	if j.PacketID == "" || j.Version < 1 {
		return fmt.Errorf("the packet to make names no form version")
	}
	uploadKey := "packet/" + versionKey(j.Version, j.Hash)
	if _, queued, err := s.store.OutboxItemByKey(ctx, uploadKey); err != nil || queued {
		return err
	}
	p, err := s.snapshotData(ctx, snapshot{packetID: j.PacketID, createdAt: it.CreatedAt,
		versions: map[string]int{forms.FormGeneral: j.General, forms.FormCredentialing: j.Version}})
	if err != nil {
		return err
	}
	if f := p.data.Forms[len(p.data.Forms)-1]; f.ID != forms.FormCredentialing || f.Version != j.Version || f.SHA256 != j.Hash {
		return fmt.Errorf("the Insurance form version %d is not the one submitted", j.Version)
	}
	q, err := s.keep(ctx, p)
	if err != nil {
		return err
	}
	_, err = s.store.Enqueue(ctx, s.uploadItem(q, uploadKey))
	return err
}

// keep makes the packet p, checks it through the one reader and keeps it
// in the private packets folder under its packet ID, written atomically.
func (s *Service) keep(ctx context.Context, p preparedPacket) (queuedPacket, error) {
	key, err := s.signingKey(ctx)
	if err != nil {
		return queuedPacket{}, err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return queuedPacket{}, err
	}
	tmp, err := os.CreateTemp(s.dir, ".tmp-*")
	if err != nil {
		return queuedPacket{}, err
	}
	defer os.Remove(tmp.Name())
	sum := sha256.New()
	made, err := packet.Make(io.MultiWriter(tmp, sum), p.data, p.files, key, nil)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return queuedPacket{}, fmt.Errorf("make the packet: %w", err)
	}
	if _, problems := packet.OpenFile(tmp.Name(), packet.Options{}); len(problems) > 0 {
		return queuedPacket{}, fmt.Errorf("the packet made does not verify: %s", problems[0].Message)
	}
	q := queuedPacket{PacketID: made.PacketID, File: made.PacketID + ".onramp", SHA256: hex.EncodeToString(sum.Sum(nil)),
		Size: made.Bytes, Fingerprint: made.Fingerprint}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, q.File)); err != nil {
		return queuedPacket{}, err
	}
	return q, nil
}
