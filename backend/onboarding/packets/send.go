package packets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/packet"
	"onramp/backend/store"
)

// An exported packet also goes to the network: uploaded to the intake
// server and emailed to the credentialing team, both queued in the outbox
// in one transaction. The archive itself waits in a private folder of the
// data folder, so the queue holds only its name and hash.

// KindUpload is the outbox kind of a packet's upload to the intake server;
// its email is an outmail.KindPacket.
const KindUpload = "packet"

// MaxPacketEmailBytes is the largest packet sent as an email attachment;
// above it (relays refuse big messages) the email says where it is instead.
const MaxPacketEmailBytes = 20 << 20

// queuedPacket is a queued packet's payload.
type queuedPacket struct {
	PacketID    string `json:"packetId"`
	File        string `json:"file"` // in <data>/packets
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	Fingerprint string `json:"fingerprint"`
}

// packetEmail is a queued packet email: the message, and the packet to
// attach when it is sent (nil when it is too big to attach).
type packetEmail struct {
	Message mail.Message  `json:"message"`
	Attach  *queuedPacket `json:"attach,omitempty"`
}

// queuePacket keeps a private copy of an exported archive and queues its
// upload and its email.
func (s *Service) queuePacket(ctx context.Context, d packet.Data, made packet.Made, archive []byte) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	sum := sha256.Sum256(archive)
	q := queuedPacket{PacketID: d.PacketID, File: d.PacketID + ".onramp", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(archive)), Fingerprint: made.Fingerprint}
	if err := writeFileAtomic(filepath.Join(s.dir, q.File), archive); err != nil {
		return err
	}

	name := d.Provider.LegalName
	if d.Provider.Credentials != "" {
		name += ", " + d.Provider.Credentials
	}
	text := fmt.Sprintf("Hello,\n\n%s exported a credentialing support packet from Onramp.\n\n"+
		"Packet: %s\nContent fingerprint: %s\nSigned with key: %s\nNPI: %s\n\n",
		name, d.PacketID, packet.ShortFingerprint(made.Fingerprint), packet.ShortFingerprint(made.KeyFingerprint), d.Provider.NPI)
	e := packetEmail{}
	if q.Size <= MaxPacketEmailBytes {
		e.Attach = &q
		text += "The packet is attached (" + q.File + "). Check it with `onramp-packet verify " + q.File + "` or Open packet… in Onramp before relying on it: it must report the fingerprint above.\n"
	} else {
		text += fmt.Sprintf("At %.0f MB the packet is too big to attach; it is uploaded to the intake server, where `onramp-intake packet --id %s` downloads and verifies it.\n", float64(q.Size)/(1<<20), d.PacketID)
	}
	key := "email/packet/" + d.PacketID
	e.Message = mail.Message{ID: mail.MessageID(key), From: s.mail.Config().From, Subject: "Credentialing packet: " + name + " (" + d.PacketID + ")", Text: text + "\n— Onramp\n", Date: s.now()}
	email, _ := json.Marshal(e)
	return s.store.EnqueueAll(ctx, s.uploadItem(q, "packet/"+d.PacketID),
		store.OutboxItem{Kind: outmail.KindPacket, IdempotencyKey: key, Payload: email, CreatedAt: s.now()},
	)
}

// uploadItem is the outbox item that uploads the kept packet q, under key.
func (s *Service) uploadItem(q queuedPacket, key string) store.OutboxItem {
	upload, _ := json.Marshal(q)
	return store.OutboxItem{Kind: KindUpload, IdempotencyKey: key, Payload: upload, CreatedAt: s.now()}
}

// readQueuedPacket reads a queued archive back, checking it is the one
// queued.
func (s *Service) readQueuedPacket(q queuedPacket) ([]byte, error) {
	if filepath.Base(q.File) != q.File || q.File == "" {
		return nil, fmt.Errorf("bad packet file name %q", q.File)
	}
	b, err := os.ReadFile(filepath.Join(s.dir, q.File))
	if err != nil {
		return nil, fmt.Errorf("the exported packet %s is gone from Onramp's data folder: export it again", q.PacketID)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != q.SHA256 {
		return nil, fmt.Errorf("the exported packet %s in Onramp's data folder was changed: export it again", q.PacketID)
	}
	return b, nil
}

// Upload sends a queued packet to the intake server.
func (s *Service) Upload(ctx context.Context, client *intake.Client, it store.OutboxItem) error {
	var q queuedPacket
	if err := json.Unmarshal(it.Payload, &q); err != nil {
		return err
	}
	b, err := s.readQueuedPacket(q)
	if err != nil {
		return err // not temporary: shown as failed with the reason
	}
	// Up to 200 MB: allow about 1 Mbit/s, and at least 2 minutes.
	timeout := max(2*time.Minute, time.Duration(len(b)/(128<<10))*time.Second)
	_, err = client.WithTimeout(timeout).UploadPacket(ctx, it.IdempotencyKey, b)
	return err
}

// Message is a queued packet email, ready to send to the credentialing
// team's address in cfg, with the packet attached when it was small enough.
func (s *Service) Message(it store.OutboxItem, cfg outmail.Config) (mail.Message, error) {
	var e packetEmail
	if err := json.Unmarshal(it.Payload, &e); err != nil {
		return mail.Message{}, err
	}
	m := e.Message
	if len(m.To) == 0 {
		m.To = []mail.Address{{Name: "Credentialing team", Email: cfg.Credentialing}}
	}
	if e.Attach != nil {
		b, err := s.readQueuedPacket(*e.Attach)
		if err != nil {
			return mail.Message{}, err
		}
		m.Attachments = append(m.Attachments, mail.Attachment{Name: e.Attach.File, Type: "application/vnd.onramp.packet", Data: b})
	}
	return m, nil
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Describe names a queued packet item for the outbox panel.
func Describe(it store.OutboxItem) string {
	switch it.Kind {
	case KindUpload:
		var q queuedPacket
		json.Unmarshal(it.Payload, &q) // a damaged payload still gets a name
		return "Support packet " + q.PacketID
	case KindBuild:
		var j buildJob
		json.Unmarshal(it.Payload, &j)
		return fmt.Sprintf("Support packet of the Insurance form, version %d", j.Version)
	case outmail.KindPacket:
		var e packetEmail
		json.Unmarshal(it.Payload, &e)
		return "Email: " + e.Message.Subject
	}
	return it.Kind
}
