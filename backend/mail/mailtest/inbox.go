package mailtest

import "sync"

// Inbox keeps received messages in memory: use its Save as mail.NewSink's
// save function.
type Inbox struct {
	mu   sync.Mutex
	msgs []string
}

// Save stores one message; use it as NewSink's save function.
func (in *Inbox) Save(_ string, _ []string, data []byte) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.msgs = append(in.msgs, string(data))
	return nil
}

// Messages returns what arrived so far, oldest first.
func (in *Inbox) Messages() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.msgs...)
}
