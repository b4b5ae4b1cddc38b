//go:build !linux

package notify

// Desktop has no notification service to reach on this system yet.
type Desktop struct{}

// Notify reports that there is no service.
func (*Desktop) Notify(title, body string) error { return ErrNoService }

// Close does nothing.
func (*Desktop) Close() error { return nil }
