package bot

import (
	"context"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/time/rate"
)

// Slack's chat.update is a Tier 3 method: about 50 calls a minute per workspace, with
// short bursts. The bot spends at most defaultUpdatesPerMinute of them, bursting to
// defaultUpdateBurst, so that in any minute it stays under 50; the budget is kept by the
// queue, in Redis for all replicas together.
const (
	defaultUpdatesPerMinute = 40
	defaultUpdateBurst      = 10
)

// edits sends message edits (progress cards, superseded plans) off the workers' path,
// spaced to stay under chat.update's rate limit. An edit waiting for its turn is
// replaced by a newer one of the same message, so a busy thread's progress updates
// coalesce into the latest state instead of queueing up; a thread's next plan never
// waits for them.
type edits struct {
	b       *Bot
	limiter limiter

	mu      sync.Mutex
	pending map[string]edit // by channel and ts
	order   []string        // keys of pending, oldest first
	closed  bool
	wake    chan struct{} // has a value when there is something to send or closed is set
}

// limiter waits until a call may be made; *rate.Limiter is one.
type limiter interface{ Wait(context.Context) error }

type edit struct {
	channel, ts string
	blocks      []slack.Block
	fallback    string
}

// newEdits builds the sender, spending the budget kept by q: shared by every replica
// on Redis's queue. While q cannot be asked, this replica keeps the budget alone.
func newEdits(b *Bot, q Throttler, perMinute float64, burst int) *edits {
	l := &sharedBudget{
		q: q, name: "chat.update", every: time.Duration(float64(time.Minute) / perMinute),
		burst: burst, alone: rate.NewLimiter(rate.Limit(perMinute/60), burst),
	}
	return &edits{b: b, limiter: l, pending: map[string]edit{}, wake: make(chan struct{}, 1)}
}

// sharedBudget is a rate limit kept by the queue for every replica at once.
type sharedBudget struct {
	q     Throttler
	name  string
	every time.Duration
	burst int
	// alone is this replica's own limit, used while the store cannot be asked.
	alone limiter
}

// Wait returns once a call may be made, or when ctx ends.
func (s *sharedBudget) Wait(ctx context.Context) error {
	for {
		wait, err := s.q.Throttle(ctx, s.name, s.every, s.burst)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return s.alone.Wait(ctx)
		}
		if wait == 0 {
			return nil
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// submit queues an edit, replacing one of the same message that is still waiting.
func (e *edits) submit(channel, ts string, blocks []slack.Block, fallback string) {
	if ts == "" {
		return
	}
	key := channel + "/" + ts
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		e.b.log.Warn("dropping an edit after shutdown", "channel", channel, "ts", ts)
		return
	}
	if _, waiting := e.pending[key]; !waiting {
		e.order = append(e.order, key)
	} else {
		e.b.opts.Metrics.EditCoalesced()
	}
	e.pending[key] = edit{channel: channel, ts: ts, blocks: blocks, fallback: fallback}
	e.mu.Unlock()
	e.signal()
}

func (e *edits) signal() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// next takes the oldest waiting edit; ok is false once closed and empty.
func (e *edits) next() (ed edit, ok, closed bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.order) == 0 {
		return edit{}, false, e.closed
	}
	key := e.order[0]
	e.order = e.order[1:]
	ed = e.pending[key]
	delete(e.pending, key)
	return ed, true, e.closed
}

// close stops taking edits; run sends what is waiting, then returns.
func (e *edits) close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.signal()
}

// run sends edits until close has been called and none is waiting, or ctx ends (the
// shutdown grace ran out), when what is left is dropped and counted in the log.
func (e *edits) run(ctx context.Context) {
	for {
		ed, ok, closed := e.next()
		if !ok {
			if closed {
				return
			}
			select {
			case <-e.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		if err := e.limiter.Wait(ctx); err != nil {
			e.mu.Lock()
			left := len(e.order) + 1
			e.mu.Unlock()
			e.b.log.Warn("shutting down with message edits not sent", "edits", left)
			return
		}
		start := time.Now()
		if err := e.b.edit(ctx, ed.channel, ed.ts, slack.MsgOptionBlocks(ed.blocks...), slack.MsgOptionText(ed.fallback, false)); err != nil {
			e.b.log.Warn("editing a message", "channel", ed.channel, "ts", ed.ts, "err", err)
		}
		e.b.log.Debug("edited a message", "channel", ed.channel, "ts", ed.ts, "took", time.Since(start))
	}
}
