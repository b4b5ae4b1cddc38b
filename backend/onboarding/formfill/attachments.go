package formfill

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"onramp/backend/attach"
	"onramp/backend/forms"
	"onramp/backend/store"
)

// ErrNotFileField means the field does not take a file.
var ErrNotFileField = errors.New("not an upload field")

// AttachResult is the stored file, or why it was refused.
type AttachResult struct {
	File    *attach.Info   `json:"file,omitempty"`
	Problem *forms.Problem `json:"problem,omitempty"`
}

// Preview is what the app shows of a stored file: images inline.
type Preview struct {
	File    attach.Info `json:"file"`
	DataURL string      `json:"dataUrl,omitempty"` // images only
}

// AttachFile checks and stores an uploaded file for a form's upload field,
// given by its path: "cvDoc", or "licenses.0.document" for an item of a
// repeating section. A refused file (wrong type, empty, too large) changes
// nothing.
func (s *Service) AttachFile(ctx context.Context, formID, field, name string, data []byte) (AttachResult, error) {
	schema, _, err := s.formContext(ctx, formID)
	if err != nil {
		return AttachResult{}, err
	}
	f, ok := forms.FileFieldAt(schema, field)
	if !ok {
		return AttachResult{}, fmt.Errorf("%w: %q", ErrNotFileField, field)
	}
	dir, err := s.files()
	if err != nil {
		return AttachResult{}, err
	}
	info, err := dir.Save(name, bytes.NewReader(data), f.Check == "image")
	var p *attach.Problem
	if errors.As(err, &p) {
		return AttachResult{Problem: &forms.Problem{Field: field, Code: p.Code, Message: p.Message}}, nil
	}
	if err != nil {
		return AttachResult{}, err
	}
	err = s.store.AddAttachment(ctx, store.Attachment{Hash: info.Hash, Name: info.Name, Size: info.Size, Type: info.Type, AddedAt: s.now()})
	if err != nil {
		return AttachResult{}, err
	}
	return AttachResult{File: &info}, nil
}

// AttachPath is AttachFile for a file chosen in the native dialog. It reads
// at most one byte past the limit, so a huge file is refused without being
// loaded.
func (s *Service) AttachPath(ctx context.Context, formID, field, path string) (AttachResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return AttachResult{Problem: &forms.Problem{Field: field, Code: "unreadable", Message: "Onramp couldn't read that file. Check it still exists and you can open it."}}, nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > attach.MaxBytes {
		return AttachResult{Problem: &forms.Problem{Field: field, Code: "too-large", Message: fmt.Sprintf("This file is %.1f MB; the limit is 10 MB. Scan at a lower resolution or compress the PDF, then try again.", float64(fi.Size())/(1<<20))}}, nil
	}
	data, err := io.ReadAll(io.LimitReader(f, attach.MaxBytes+1))
	if err != nil {
		return AttachResult{}, err
	}
	return s.AttachFile(ctx, formID, field, filepath.Base(path), data)
}

// AttachBase64 is AttachFile for bytes the frontend read itself (a file
// input or a drop).
func (s *Service) AttachBase64(ctx context.Context, formID, field, name, b64 string) (AttachResult, error) {
	if len(b64) > base64.StdEncoding.EncodedLen(attach.MaxBytes)+8 {
		return AttachResult{Problem: &forms.Problem{Field: field, Code: "too-large", Message: "This file is over 10 MB. Scan at a lower resolution or compress the PDF, then try again."}}, nil
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return AttachResult{Problem: &forms.Problem{Field: field, Code: "unreadable", Message: "The file didn't arrive whole. Try attaching it again."}}, nil
	}
	return s.AttachFile(ctx, formID, field, name, data)
}

// Preview returns a stored file's record and, for an image, its content.
func (s *Service) Preview(ctx context.Context, hash string) (Preview, error) {
	a, ok, err := s.store.Attachment(ctx, hash)
	if err != nil || !ok {
		return Preview{}, errors.Join(err, ErrNoAttachment)
	}
	p := Preview{File: attach.Info{Hash: a.Hash, Name: a.Name, Size: a.Size, Type: a.Type}}
	if a.Type == attach.PNG || a.Type == attach.JPEG {
		dir, err := s.files()
		if err != nil {
			return Preview{}, err
		}
		data, err := dir.Read(hash)
		if err != nil {
			return Preview{}, err
		}
		p.DataURL = "data:" + a.Type + ";base64," + base64.StdEncoding.EncodeToString(data)
	}
	return p, nil
}

// AttachmentPath is where a stored file is, for opening it in the system's
// viewer.
func (s *Service) AttachmentPath(ctx context.Context, hash string) (string, error) {
	if _, ok, err := s.store.Attachment(ctx, hash); err != nil || !ok {
		return "", errors.Join(err, ErrNoAttachment)
	}
	dir, err := s.files()
	if err != nil {
		return "", err
	}
	return dir.Path(hash), nil
}

// ErrNoAttachment means no stored file has that hash.
var ErrNoAttachment = errors.New("no such attachment")

// attachmentInfos returns the records of the files a form's data refers to,
// top-level and in repeating items, and drops references to files that are
// not stored (so a damaged or hand-edited draft can't point at anything
// else).
func (s *Service) attachmentInfos(ctx context.Context, schema forms.Schema, d forms.Data) (forms.Data, map[string]attach.Info, error) {
	infos := map[string]attach.Info{}
	refs := forms.Files(schema, d)
	if len(refs) == 0 {
		return d, infos, nil
	}
	d = d.Clone()
	for _, r := range refs {
		a, ok, err := s.store.Attachment(ctx, r.Hash)
		if err != nil {
			return d, nil, err
		}
		if !ok {
			forms.SetFile(d, r.Path, "")
			continue
		}
		infos[r.Hash] = attach.Info{Hash: a.Hash, Name: a.Name, Size: a.Size, Type: a.Type}
	}
	return d, infos, nil
}
