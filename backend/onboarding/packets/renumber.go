package packets

import (
	"encoding/json"
	"strings"

	"onramp/backend/forms"
	"onramp/backend/store"
)

// RenumberQueued remakes the automatic packets of form versions the store
// raised by shifts (store.RaiseVersions): a packet names the versions it
// holds, inside its signed data, so one made before the raise is made
// again. Its build is queued again under the raised versions (same packet
// ID: nothing of it reached the network, which the raise happens before),
// and its upload not yet sent is dropped: the build queues the new one.
// Exported packets stay as the provider exported them.
func RenumberQueued(it store.OutboxItem, shifts map[string]int) (out store.OutboxItem, changed, drop bool, err error) {
	if shifts[forms.FormCredentialing] == 0 && shifts[forms.FormGeneral] == 0 {
		return it, false, false, nil
	}
	switch it.Kind {
	case KindBuild:
		var j buildJob
		if err := json.Unmarshal(it.Payload, &j); err != nil {
			return it, false, false, err
		}
		if j.Version < 1 || it.IdempotencyKey != "packet-build/"+versionKey(j.Version, j.Hash) {
			return it, false, false, nil
		}
		j.Version += shifts[forms.FormCredentialing]
		if j.General > 0 {
			j.General += shifts[forms.FormGeneral]
		}
		if it.Payload, err = json.Marshal(j); err != nil {
			return it, false, false, err
		}
		it.IdempotencyKey = "packet-build/" + versionKey(j.Version, j.Hash)
		return it, true, false, nil
	case KindUpload:
		automatic := strings.HasPrefix(it.IdempotencyKey, "packet/"+forms.FormCredentialing+"/")
		return it, false, automatic && it.State != store.OutboxDelivered, nil
	}
	return it, false, false, nil
}
