package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"onramp/backend/forms"
	"onramp/backend/help"
	"onramp/backend/lifecycle"
	"onramp/backend/onboarding/directories"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/packets"
	"onramp/backend/onboarding/progress"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/onboarding/training"
	"onramp/backend/store"
	"onramp/backend/webinar"
)

// uiProblem is how an error reaches the frontend: a stable code, the field it
// concerns if any, and a message in plain words.
type uiProblem struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// uiError maps a backend error to a JSON-encoded uiProblem; the frontend's
// api layer decodes it.
func uiError(err error) error {
	if err == nil {
		return nil
	}
	p := uiProblem{Code: "internal", Message: "Something went wrong. Your saved work is safe; please try again."}
	var pathErr *fs.PathError
	var locked *progress.LockedError
	switch {
	case errors.Is(err, progress.ErrNotSetUp):
		p = uiProblem{Code: "not-set-up", Message: "Set up your account first."}
	case errors.As(err, &locked):
		p = uiProblem{Code: "item-locked", Message: locked.Reason}
	case errors.Is(err, progress.ErrNotChecklist):
		p = uiProblem{Code: "not-checklist", Message: "This item is ticked automatically when you complete it."}
	case errors.Is(err, store.ErrAccountExists):
		p = uiProblem{Code: "account-exists", Message: "Your account is already set up."}
	case errors.Is(err, help.ErrNotFound):
		p = uiProblem{Code: "help-not-found", Message: "That help article isn't available."}
	case errors.Is(err, training.ErrQuizLocked):
		p = uiProblem{Code: "quiz-locked", Message: fmt.Sprintf("The quiz opens once at least %d%% of the webinar has been played.", webinar.WatchedPercent)}
	case errors.Is(err, training.ErrStaleVideo):
		p = uiProblem{Code: "stale-video", Message: "The training video was updated. It will reload; your progress on it starts fresh."}
	case errors.Is(err, webinar.ErrUnknownAnswer):
		p = uiProblem{Code: "unknown-answer", Message: "Those answers don't match the quiz. Reload the quiz and try again."}
	case errors.Is(err, formfill.ErrFormLocked):
		p = uiProblem{Code: "form-locked", Message: "Submit the General Onboarding form first."}
	case errors.Is(err, formfill.ErrUnknownForm):
		p = uiProblem{Code: "unknown-form", Message: "That form doesn't exist."}
	case errors.Is(err, forms.ErrBadData):
		p = uiProblem{Code: "bad-data", Message: "This form's saved data couldn't be read. Your submitted versions are safe; contact support."}
	case errors.Is(err, formfill.ErrNotSecret):
		p = uiProblem{Code: "not-secret", Message: "That field isn't a protected field."}
	case errors.Is(err, formfill.ErrNotFileField):
		p = uiProblem{Code: "not-file-field", Message: "That field doesn't take a file."}
	case errors.Is(err, formfill.ErrNoAttachment):
		p = uiProblem{Code: "no-attachment", Message: "That file isn't stored any more. Attach it again."}
	case errors.Is(err, syncing.ErrOffline):
		p = uiProblem{Code: "offline", Message: "You need a connection to the network for this. Try again when you're online."}
	case errors.Is(err, syncing.ErrPortalLocked):
		p = uiProblem{Code: "portal-locked", Message: "The portal opens once the network has reviewed both of your forms."}
	case errors.Is(err, directories.ErrLocked):
		p = uiProblem{Code: "directories-locked", Message: "Insurance & Directories opens once your portal password is created."}
	case errors.Is(err, packets.ErrNoPacketYet):
		p = uiProblem{Code: "no-packet-yet", Message: "Submit the Insurance form first: the packet is made from your submitted forms."}
	case errors.Is(err, packets.ErrPreviewGone):
		p = uiProblem{Code: "preview-gone", Message: "Your forms changed since this preview. Preview the packet again, then export it."}
	case errors.As(err, &pathErr):
		p = uiProblem{Code: "file", Message: "Onramp couldn't use " + pathErr.Path + " (" + pathErr.Err.Error() + "). Choose another place."}
	case errors.Is(err, lifecycle.ErrNoData):
		p = uiProblem{Code: "no-data", Message: "Your data isn't open. Restart Onramp."}
	default:
		log.Printf("error: %v", err)
	}
	b, _ := json.Marshal(p)
	return errors.New(string(b))
}
