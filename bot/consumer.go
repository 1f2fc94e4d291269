package bot

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/adplan/adplan/store"
)

// The queue's consumer: workers taking jobs, the heartbeat that keeps this replica's
// jobs its own, the reclaimer that takes over jobs dead replicas left, and what
// becomes of a job once run.

// consume takes jobs from the queue with b.opts.Workers workers, and reclaims
// jobs left idle by dead workers, until takeCtx ends; work itself runs under workCtx,
// so jobs in hand are finished at shutdown. Jobs not finished stay pending for
// another replica.
//
// The heartbeat goes on, renewing the jobs in hand, until the returned stop is called:
// after the work in flight has drained, so no job is reclaimed from a replica still
// finishing it.
func (b *Bot) consume(takeCtx, workCtx context.Context, wg *sync.WaitGroup) (stopBeat func()) {
	consumer := b.opts.Consumer
	for range b.opts.Workers {
		wg.Go(func() {
			for takeCtx.Err() == nil {
				jobs, err := b.jobs.Take(takeCtx, consumer, 1, b.opts.TakeWait)
				if err != nil {
					if takeCtx.Err() == nil {
						b.queueTrouble()
						b.opts.Metrics.StoreError("take")
						b.log.Warn("taking jobs from the queue", "err", err)
						sleep(takeCtx, time.Second)
					}
					continue
				}
				for _, q := range jobs {
					b.runQueued(workCtx, q)
				}
			}
		})
	}
	// A heartbeat tells other replicas this one is alive, so they wait for a plan it
	// is posting instead of posting it again; renewing the jobs in hand keeps them
	// from being reclaimed however long they take.
	beat := beatEvery(b.opts.ReclaimAfter)
	beatCtx, cancelBeat := context.WithCancel(workCtx)
	beatDone := make(chan struct{})
	go func() {
		defer close(beatDone)
		tick := time.NewTicker(beat)
		defer tick.Stop()
		for {
			err := b.replicas.Heartbeat(beatCtx, consumer, b.opts.ReclaimAfter)
			if err == nil {
				_, err = b.replicas.Renew(beatCtx, consumer, b.inHand.ids()...)
			}
			if err == nil {
				b.watchLife(beatCtx)
			}
			if err != nil && beatCtx.Err() == nil {
				b.queueTrouble()
				b.log.Warn("sending the heartbeat", "err", err)
			}
			select {
			case <-beatCtx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	wg.Go(func() {
		tick := time.NewTicker(beat)
		defer tick.Stop()
		var lastForget time.Time
		for {
			select {
			case <-takeCtx.Done():
				return
			case <-tick.C:
			}
			if time.Since(lastForget) > forgetConsumersEvery {
				lastForget = time.Now()
				if n, err := b.replicas.ForgetIdleConsumers(takeCtx, forgetConsumersIdle); err != nil {
					b.log.Warn("forgetting stopped replicas in the queue", "err", err)
				} else if n > 0 {
					b.log.Info("forgot stopped replicas in the queue", "replicas", n)
				}
			}
			if n, oldest, err := b.jobs.Pending(takeCtx); err == nil {
				b.opts.Metrics.SetQueue(int(n), oldest)
			}
			if !b.storeSteadyFor(b.opts.ReclaimAfter) {
				// Right after an outage every job looks idle: give the replicas that hold
				// them time to renew before taking anything.
				continue
			}
			jobs, err := b.jobs.Reclaim(takeCtx, consumer, b.opts.ReclaimAfter, 10)
			if err != nil {
				if takeCtx.Err() == nil {
					b.queueTrouble()
					b.opts.Metrics.StoreError("reclaim")
					b.log.Warn("reclaiming jobs", "err", err)
				}
				continue
			}
			for _, q := range jobs {
				b.log.Info("reclaimed a job another worker left unfinished", "event", q.EventID, "thread", q.Thread)
				b.runQueued(workCtx, q)
			}
		}
	})
	return func() { cancelBeat(); <-beatDone }
}

// beatEvery is how often a replica heartbeats, renews its jobs and looks for jobs to
// reclaim: four times per reclaim_after, so one late beat costs nothing, and at least
// once a second, so jobs handed back by a stopping replica wait little.
func beatEvery(reclaimAfter time.Duration) time.Duration {
	return min(max(reclaimAfter/4, 25*time.Millisecond), time.Second)
}

// queueTrouble records that the queue could not be reached just now.
func (b *Bot) queueTrouble() { b.lastQueueTrouble.Store(time.Now().UnixNano()) }

// storeSteadyFor reports whether the queue has answered every call for at least d. A
// replica judges others dead (their heartbeats expired, their jobs idle) only then:
// during an outage nobody can heartbeat, so right after one everybody looks dead.
func (b *Bot) storeSteadyFor(d time.Duration) bool {
	last := b.lastQueueTrouble.Load()
	return last == 0 || time.Since(time.Unix(0, last)) >= d
}

// handBack returns the jobs this replica could not finish to the queue, so another
// replica takes them at once rather than after reclaim_after.
func (b *Bot) handBack() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, err := b.replicas.HandBack(ctx, b.opts.Consumer)
	if err != nil {
		b.log.Warn("handing back unfinished jobs; they will be reclaimed after bot.reclaim_after", "err", err)
		return
	}
	if n > 0 {
		b.log.Info("handed back unfinished jobs to the queue", "jobs", n)
	}
}

// jobsInHand are the queue entries this replica is working on or waiting to run.
type jobsInHand struct {
	mu  sync.Mutex
	set map[string]struct{}
}

// claim adds id to the jobs in hand unless it is there already, and reports whether
// it added it: in one step, so of two runs of the same job that start at once only
// one gets it.
func (h *jobsInHand) claim(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.set[id]; ok {
		return false
	}
	if h.set == nil {
		h.set = map[string]struct{}{}
	}
	h.set[id] = struct{}{}
	return true
}

func (h *jobsInHand) remove(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.set, id)
}

func (h *jobsInHand) ids() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids := make([]string, 0, len(h.set))
	for id := range h.set {
		ids = append(ids, id)
	}
	return ids
}

// runQueued runs one queued job and removes it from the queue once it is answered.
//
// A job this replica already holds is left to the run that holds it: the reclaimer
// can hand a replica its own job back — one a worker is still running, or one parked
// waiting for its thread's turn, when a heartbeat's renewal came late (a busy
// machine) — and running it again would plan and post twice.
func (b *Bot) runQueued(ctx context.Context, q store.Job) {
	if !b.inHand.claim(q.ID) {
		b.log.Debug("leaving a job to the run of this replica that holds it", "event", q.EventID, "thread", q.Thread)
		return
	}
	var rec jobRecord
	if err := json.Unmarshal(q.Payload, &rec); err != nil {
		b.log.Error("dropping a job that cannot be decoded", "event", q.EventID, "err", err)
		b.done(ctx, q.ID)
		return
	}
	j := rec.job(q)
	switch b.work(ctx, j) {
	case outcomePending:
		b.inHand.remove(q.ID)
		return // the reclaimer, here or in another replica, runs it again
	case outcomeWaiting:
		b.park(ctx, j, q)
		return
	}
	b.finishQueued(ctx, j, q)
}

// finishQueued records that the job is finished — its thread may go on, and the
// queue forgets it — retrying while the store is down.
func (b *Bot) finishQueued(ctx context.Context, j job, q store.Job) {
	defer b.inHand.remove(q.ID)
	if j.seq > 0 {
		if err := b.untilStored(ctx, func() error { return b.order.MarkApplied(ctx, j.threadID(), j.seq) }); err != nil {
			b.log.Warn("recording a thread's progress", "thread", j.threadID(), "err", err)
			return
		}
	}
	if err := b.untilStored(ctx, func() error { return b.jobs.Done(ctx, q.ID) }); err != nil {
		b.log.Warn("removing a finished job from the queue", "job", q.ID, "err", err)
		return
	}
	b.queued.forget(j.eventID)
}

// park waits, without holding a worker, for the thread's earlier message to be
// answered (most likely by another worker right now, or by whoever reclaims it), then
// runs the job; after orderWait it leaves the job to the reclaimer.
func (b *Bot) park(ctx context.Context, j job, q store.Job) {
	b.parked.Go(func() {
		// However the wait ends, this replica stops holding the job; when it is
		// finished, finishQueued has already let go.
		defer b.inHand.remove(q.ID)
		wait := 10 * time.Millisecond
		for waited := time.Duration(0); waited < orderWait; waited += wait {
			sleep(ctx, wait)
			if ctx.Err() != nil {
				return
			}
			switch b.work(ctx, j) {
			case outcomeDone:
				b.finishQueued(ctx, j, q)
				return
			case outcomePending:
				return
			}
			wait = min(2*wait, 500*time.Millisecond)
		}
		b.log.Info("leaving a job until its thread's earlier message is answered", "thread", j.threadID(), "event", j.eventID)
	})
}

func (b *Bot) done(ctx context.Context, id string) {
	defer b.inHand.remove(id)
	if err := b.jobs.Done(ctx, id); err != nil {
		b.log.Warn("removing a finished job from the queue", "job", id, "err", err)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}
