package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// submitted is one message as the submission service accepted it.
type submitted struct {
	provider  int64
	messageID string
	from      string
	to        []string
	subject   string
	raw       []byte
}

// errClosed answers a session whose message arrived as the service shut
// down: nothing was queued.
var errClosed = errors.New("the submission service is shutting down")

// groupCommit queues the messages of concurrent sessions in shared
// transactions: each waits for the commit that holds its message before
// its 250, and a durable commit (one fsync, 2 ms here) is paid once per
// batch rather than once per message.
type groupCommit struct {
	db   *DB
	reqs chan commitReq
	quit chan struct{}
	done chan struct{}
}

type commitReq struct {
	m   submitted
	err chan error
}

// maxBatch bounds one transaction: 64 messages of at most 25 MiB each is
// the most a commit holds in memory.
const maxBatch = 64

func newGroupCommit(db *DB) *groupCommit {
	g := &groupCommit{db: db, reqs: make(chan commitReq), quit: make(chan struct{}), done: make(chan struct{})}
	go g.run()
	return g
}

// queue puts m in the mail queue and returns once it is committed.
func (g *groupCommit) queue(m submitted) error {
	req := commitReq{m: m, err: make(chan error, 1)}
	select {
	case g.reqs <- req:
		return <-req.err
	case <-g.quit:
		return errClosed
	}
}

// close stops the committer after the batch under way.
func (g *groupCommit) close() {
	select {
	case <-g.quit:
	default:
		close(g.quit)
	}
	<-g.done
}

func (g *groupCommit) run() {
	defer close(g.done)
	for {
		var batch []commitReq
		select {
		case r := <-g.reqs:
			batch = append(batch, r)
		case <-g.quit:
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		err := g.db.queueSubmitted(context.Background(), batch)
		for _, r := range batch {
			r.err <- err
		}
	}
}

// queueSubmitted puts submitted messages in the mail queue, due now, in
// one transaction; one already queued under the same provider and
// Message-ID is left as it is.
func (d *DB) queueSubmitted(ctx context.Context, batch []commitReq) error {
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("queue submitted email: %w", err)
	}
	defer tx.Rollback()
	now := d.now()
	for _, r := range batch {
		m := r.m
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_queue (key, provider, step, to_name, to_email, subject, body, next_at, created_at, raw, envelope_from, envelope_to)
			VALUES (?, ?, ?, '', ?, ?, '', ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			fmt.Sprintf("submitted/%d/%s", m.provider, m.messageID), m.provider, StepSubmitted, strings.Join(m.to, ", "), m.subject,
			now.UnixMilli(), now.UTC().Format(time.RFC3339Nano), m.raw, m.from, strings.Join(m.to, "\n"))
		if err != nil {
			return fmt.Errorf("queue submitted email: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("queue submitted email: %w", err)
	}
	return nil
}
