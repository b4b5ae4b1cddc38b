package formfill

import (
	"encoding/json"
	"fmt"
	"strings"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/store"
)

// submissionKey is the idempotency key of a version's upload: stable, so
// retries never duplicate it, and naming the version, so a raised version
// is a new request to the network.
func submissionKey(id string, version int, hash string) string {
	return fmt.Sprintf("submission/%s/%d/%s", id, version, hash[:16])
}

func receiptKey(id string, version int, hash string) string {
	return fmt.Sprintf("email/receipt/%s/%d/%s", id, version, hash[:16])
}

func receiptSubject(id string, version int) string {
	return fmt.Sprintf("Received: your %s (version %d)", forms.Title(id), version)
}

// receiptVersion is how the receipt's text names the version.
func receiptVersion(id string, version int) string {
	return fmt.Sprintf("%s, version %d,", forms.Title(id), version)
}

// RenumberQueued renumbers what a submission queued that has not gone yet
// (its upload, its receipt) when the store raised the form's versions by
// shifts (store.RaiseVersions): the version, its idempotency key and the
// receipt's words stay one number. Anything else, or already sent, is
// left as it is (changed false).
func RenumberQueued(it store.OutboxItem, shifts map[string]int) (store.OutboxItem, bool, error) {
	if it.State == store.OutboxDelivered {
		return it, false, nil
	}
	switch it.Kind {
	case KindSubmission:
		var up intake.SubmissionUpload
		if err := json.Unmarshal(it.Payload, &up); err != nil {
			return it, false, err
		}
		shift := shifts[up.Form]
		if shift == 0 || len(up.Hash) < 16 || it.IdempotencyKey != submissionKey(up.Form, up.Version, up.Hash) {
			return it, false, nil
		}
		up.Version += shift
		payload, err := json.Marshal(up)
		if err != nil {
			return it, false, err
		}
		it.Payload, it.IdempotencyKey = payload, submissionKey(up.Form, up.Version, up.Hash)
		return it, true, nil
	case outmail.KindReceipt:
		// email/receipt/<form>/<version>/<hash16>
		parts := strings.Split(it.IdempotencyKey, "/")
		if len(parts) != 5 || shifts[parts[2]] == 0 {
			return it, false, nil
		}
		id, hash := parts[2], parts[4]
		var from int
		if _, err := fmt.Sscan(parts[3], &from); err != nil || len(hash) != 16 {
			return it, false, nil
		}
		to := from + shifts[id]
		var m mail.Message
		if err := json.Unmarshal(it.Payload, &m); err != nil {
			return it, false, err
		}
		m.Subject = strings.Replace(m.Subject, receiptSubject(id, from), receiptSubject(id, to), 1)
		m.Text = strings.Replace(m.Text, receiptVersion(id, from), receiptVersion(id, to), 1)
		key := receiptKey(id, to, hash)
		m.ID = mail.MessageID(key)
		payload, err := json.Marshal(m)
		if err != nil {
			return it, false, err
		}
		it.Payload, it.IdempotencyKey = payload, key
		return it, true, nil
	}
	return it, false, nil
}
