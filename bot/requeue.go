package bot

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// Queuing again what a Redis that came back empty lost. A job acknowledged to Slack
// lives in the queue until it is answered; Redis restarted without persistence (or
// flushed) loses the queue, and Slack will not send those events again. Each replica
// therefore remembers, for queuedKeep, the jobs it queued, and watches the queue's
// life mark (Queue.Life): when the mark changes, it queues them again, marked
// requeued. A requeued job looks in the thread on Slack for the plan that answered it
// before it plans anything, so a job that was answered before the loss is not
// answered twice.

// queuedKeep is how long a replica remembers a job it queued: far longer than a job
// waits in a queue that works, short enough to keep the memory bounded (at 50
// messages a second, about 15,000 small records).
const queuedKeep = 5 * time.Minute

// queuedJob is a job as this replica queued it.
type queuedJob struct {
	thread  string
	payload []byte
	at      time.Time
}

// queuedLedger is what this replica queued lately, by event id, in queuing order.
type queuedLedger struct {
	mu    sync.Mutex
	jobs  map[string]queuedJob
	order []string
	life  string
}

func (l *queuedLedger) add(eventID, thread string, payload []byte, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.jobs == nil {
		l.jobs = map[string]queuedJob{}
	}
	if _, ok := l.jobs[eventID]; !ok {
		l.order = append(l.order, eventID)
	}
	l.jobs[eventID] = queuedJob{thread: thread, payload: payload, at: at}
}

// forget drops a job this replica saw finished.
func (l *queuedLedger) forget(eventID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.jobs, eventID)
}

// prune drops what was queued before cutoff, and the order's finished entries.
func (l *queuedLedger) prune(cutoff time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	kept := l.order[:0]
	for _, id := range l.order {
		if j, ok := l.jobs[id]; ok && j.at.Before(cutoff) {
			delete(l.jobs, id)
		} else if ok {
			kept = append(kept, id)
		}
	}
	clear(l.order[len(kept):])
	l.order = kept
}

// seenLife is the queue's life mark as this replica last saw it ("" before the first look).
func (l *queuedLedger) seenLife() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.life
}

func (l *queuedLedger) setLife(life string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.life = life
}

// snapshot returns the remembered jobs in queuing order.
func (l *queuedLedger) snapshot() (ids []string, jobs []queuedJob) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range l.order {
		if j, ok := l.jobs[id]; ok {
			ids = append(ids, id)
			jobs = append(jobs, j)
		}
	}
	return ids, jobs
}

// watchLife checks the queue's life mark (on every heartbeat) and, when Redis has
// come back without its data, queues again every job this replica queued lately.
func (b *Bot) watchLife(ctx context.Context) {
	b.queued.prune(b.opts.Now().Add(-queuedKeep))
	life, err := b.jobs.Life(ctx)
	if err != nil {
		return
	}
	switch seen := b.queued.seenLife(); {
	case seen == "":
		b.queued.setLife(life)
		return
	case seen == life:
		return
	}
	ids, jobs := b.queued.snapshot()
	b.log.Warn("the queue came back without its data; queuing again the jobs this replica queued lately", "jobs", len(ids))
	again := 0
	for i, id := range ids {
		payload := jobs[i].payload
		var rec jobRecord
		if err := json.Unmarshal(payload, &rec); err == nil && !rec.Requeued {
			rec.Requeued = true
			if p, err := json.Marshal(rec); err == nil {
				payload = p
			}
		}
		first, err := b.jobs.Enqueue(ctx, id, jobs[i].thread, payload, b.opts.EventTTL)
		if err != nil {
			// The old mark stays, so the next heartbeat tries again; jobs queued again
			// already are not queued twice (their event ids are known again).
			b.log.Warn("queuing again a job the queue lost", "event", id, "err", err)
			return
		}
		if first {
			again++
		}
	}
	b.queued.setLife(life)
	b.opts.Metrics.Requeued(again)
	b.log.Info("queued again the jobs the queue had lost", "jobs", again)
}
