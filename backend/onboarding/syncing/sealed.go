package syncing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/seal"
)

// settingNetworkKey is the network's public encryption key as the first
// enrollment that carried one gave it (base64): pinned, so a server that
// answers with another key later is refused instead of trusted.
const settingNetworkKey = "network_key"

// ErrNetworkKeyChanged means an enrollment answered with a network key
// other than the pinned one. Nothing more is sent until support sorts it
// out: the new key may not be the network's.
var ErrNetworkKeyChanged = errors.New("the network's encryption key changed since this computer first enrolled")

// pinNetworkKey keeps the enrollment answer's network key the first time
// one comes, and refuses a different one (or none) after that.
func (s *Service) pinNetworkKey(ctx context.Context, key string) error {
	pinned, err := s.store.Setting(ctx, settingNetworkKey)
	if err != nil {
		return err
	}
	switch {
	case pinned == key:
		return nil
	case pinned != "":
		return fmt.Errorf("%w: pinned %.12s…, offered %.12q", ErrNetworkKeyChanged, pinned, key)
	}
	if _, err := seal.ParsePublicKey(key); err != nil {
		return fmt.Errorf("the enrollment answer's network key: %w", err)
	}
	return s.store.SetSetting(ctx, settingNetworkKey, key)
}

// networkKey is the pinned network key; ok is false before a server with
// one answered an enrollment.
func (s *Service) networkKey(ctx context.Context) (key seal.PublicKey, ok bool, err error) {
	text, err := s.store.Setting(ctx, settingNetworkKey)
	if err != nil || text == "" {
		return seal.PublicKey{}, false, err
	}
	key, err = seal.ParsePublicKey(text)
	return key, err == nil, err
}

// sealedUpload turns a queued submission into what goes on the wire: each
// sealed field (the CAQH login, the SSN, the date of birth) sealed to the
// pinned network key, and the data carrying only masks there, with the
// hash of the data as sent. The version stored on this computer, and the
// receipt's hash of it, stay as submitted: the network's copy differs from
// it exactly in the sealed fields. Each send seals afresh; the server keys
// its idempotency on the upload without the boxes.
//
// With no key pinned (the network's server runs without one) the form goes
// with masks only: the network's review of everything else does not wait
// on its configuration, and nothing sealed leaves in the clear. Support
// asks for those fields another way, or reissues the invitation once the
// server has its key.
func (s *Service) sealedUpload(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
	var up intake.SubmissionUpload
	if err := json.Unmarshal(payload, &up); err != nil {
		return nil, fmt.Errorf("read the queued submission: %w", err)
	}
	schema, _ := forms.SchemaByID(up.Form)
	fields := forms.SealedFields(schema)
	if len(fields) == 0 {
		return payload, nil
	}
	d, err := forms.DecodeData(up.Data)
	if err != nil {
		return nil, err
	}
	key, pinned, err := s.networkKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("the pinned network key: %w", err)
	}
	sealed := map[string]string{}
	for _, f := range fields {
		v := d.Fields[f.Name]
		if v == "" {
			continue // not shown for this provider, or never entered
		}
		name := forms.SecretName(up.Form, f.Name)
		if f.Type == "secret" {
			// The data holds the secret's mask; the value is in the store.
			if !forms.IsMask(v) {
				d.Fields[f.Name] = forms.SealedMask
			}
			if v, err = s.storedSecret(ctx, name); err != nil {
				return nil, err
			}
		} else {
			d.Fields[f.Name] = forms.SealedMask
		}
		if !pinned || v == "" {
			continue
		}
		if sealed[f.Name], err = seal.Seal(key, name, []byte(v)); err != nil {
			return nil, err
		}
	}
	if !pinned {
		log.Printf("sync: no network key: %s version %d goes without its sealed fields", up.Form, up.Version)
	}
	up.Data, up.Hash = d.Encode(), d.Hash()
	up.Sealed, up.SealedTo = nil, ""
	if len(sealed) > 0 {
		up.Sealed, up.SealedTo = sealed, key.Fingerprint()
	}
	return json.Marshal(up)
}

// storedSecret is a secret field's value as stored now, or "" when none is.
func (s *Service) storedSecret(ctx context.Context, name string) (string, error) {
	stored, _, ok, err := s.store.Secret(ctx, name)
	if err != nil || !ok || stored == "" {
		return "", err
	}
	plain, err := s.secrets.Open(stored, name)
	if err != nil {
		return "", fmt.Errorf("open the stored %s: %w", name, err)
	}
	return string(plain), nil
}

// keyMismatchRetried makes the server's network-key-mismatch worth
// retrying: a server started without its key by mistake takes the form
// once it has the key again, while the sync panel says to contact support.
func keyMismatchRetried(err error) error {
	var ce *intake.ClientError
	if errors.As(err, &ce) && ce.Code == "network-key-mismatch" {
		ce.Temp = true
	}
	return err
}
