package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
)

// Queue is a durable work queue shared by every replica; *store.Redis is one. With
// one, a request acknowledged to Slack lives in the queue until it has been answered:
// a replica that dies mid-plan leaves it pending, and another claims it.
type Queue interface {
	Enqueue(ctx context.Context, eventID, thread string, payload []byte, eventTTL time.Duration) (bool, error)
	Take(ctx context.Context, consumer string, count int, block time.Duration) ([]store.Job, error)
	Reclaim(ctx context.Context, consumer string, minIdle time.Duration, count int) ([]store.Job, error)
	Done(ctx context.Context, jobID string) error
	Applied(ctx context.Context, thread string) (int64, error)
	MarkApplied(ctx context.Context, thread string, seq int64) error
	Pending(ctx context.Context) (int64, time.Duration, error)
	Heartbeat(ctx context.Context, consumer string, ttl time.Duration) error
	Alive(ctx context.Context, consumer string) (bool, error)
	Renew(ctx context.Context, consumer string, jobIDs ...string) (int, error)
	HandBack(ctx context.Context, consumer string) (int, error)
	ForgetIdleConsumers(ctx context.Context, idleOver time.Duration) (int, error)
	Throttle(ctx context.Context, name string, every time.Duration, burst int) (time.Duration, error)
}

var _ Queue = (*store.Redis)(nil)

// jobRecord is a job as the queue keeps it.
type jobRecord struct {
	Kind         jobKind   `json:"kind"`
	Team         string    `json:"team"`
	Channel      string    `json:"channel"`
	ThreadTS     string    `json:"thread_ts,omitempty"`
	User         string    `json:"user"`
	Text         string    `json:"text,omitempty"`
	PostRoot     bool      `json:"post_root,omitempty"`
	FollowUpOnly bool      `json:"follow_up_only,omitempty"`
	Version      int       `json:"version,omitempty"`
	MessageTS    string    `json:"message_ts,omitempty"`
	SentTS       string    `json:"sent_ts,omitempty"`
	Root         bool      `json:"root,omitempty"`
	Received     time.Time `json:"received"`
}

func recordOf(j job) jobRecord {
	return jobRecord{Kind: j.kind, Team: j.team, Channel: j.channel, ThreadTS: j.threadTS, User: j.user, Text: j.text,
		PostRoot: j.postRoot, FollowUpOnly: j.followUpOnly, Version: j.version, MessageTS: j.messageTS, SentTS: j.sentTS, Root: j.root, Received: j.received}
}

func (r jobRecord) job(q store.Job) job {
	return job{kind: r.Kind, team: r.Team, channel: r.Channel, threadTS: r.ThreadTS, user: r.User, text: r.Text,
		postRoot: r.PostRoot, followUpOnly: r.FollowUpOnly, version: r.Version, messageTS: r.MessageTS,
		sentTS: r.SentTS, root: r.Root, received: r.Received, eventID: q.EventID, seq: q.Seq, queueID: q.ID}
}

// errNotYet means an earlier message of the same thread is still being answered; the
// job waits so a thread's messages are applied in the order they were sent.
var errNotYet = errors.New("an earlier message of this thread is not answered yet")

const (
	// defaultReclaimAfter is how long a replica may go unheard before another claims
	// its jobs. Workers renew the jobs they hold, so this bounds how long a dead
	// replica's work waits, not how long a plan may take.
	defaultReclaimAfter = 5 * time.Second
	// A replica that has held no job and asked for none for forgetConsumersIdle is
	// taken off the queue's list of consumers (each start adds one); replicas look
	// for such every forgetConsumersEvery.
	forgetConsumersIdle  = time.Hour
	forgetConsumersEvery = time.Minute
	// orderWait bounds how long a job waits in place for its thread's earlier job
	// before leaving it to the reclaimer.
	orderWait = 20 * time.Second
)

// enqueueDurable queues a job in the shared queue. It reports whether the job was
// queued (false for a re-delivery) and an error when the queue is unreachable.
func (b *Bot) enqueueDurable(ctx context.Context, eventID string, j job) (bool, error) {
	payload, err := json.Marshal(recordOf(j))
	if err != nil {
		return false, fmt.Errorf("encoding a job: %w", err)
	}
	// A thread's first message is first in sent order: it takes no place in the
	// thread's sequence, so it never waits behind a follow-up that reached the queue
	// before it (another replica received it a moment sooner).
	thread := ""
	if !j.isRoot() {
		thread = j.threadID()
	}
	return b.opts.Queue.Enqueue(ctx, eventID, thread, payload, b.opts.EventTTL)
}

// consumerName names this process in the queue's consumer group.
func consumerName() string {
	host, _ := os.Hostname()
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
}

// runQueue takes jobs from the shared queue with b.opts.Workers workers, and reclaims
// jobs left idle by dead workers, until takeCtx ends; work itself runs under workCtx,
// so jobs in hand are finished at shutdown. Jobs not finished stay pending for
// another replica.
//
// The heartbeat goes on, renewing the jobs in hand, until the returned stop is called:
// after the work in flight has drained, so no job is reclaimed from a replica still
// finishing it.
func (b *Bot) runQueue(takeCtx, workCtx context.Context, wg *sync.WaitGroup) (stopBeat func()) {
	consumer := b.opts.Consumer
	for range b.opts.Workers {
		wg.Go(func() {
			for takeCtx.Err() == nil {
				jobs, err := b.opts.Queue.Take(takeCtx, consumer, 1, time.Second)
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
			err := b.opts.Queue.Heartbeat(beatCtx, consumer, b.opts.ReclaimAfter)
			if err == nil {
				_, err = b.opts.Queue.Renew(beatCtx, consumer, b.inHand.ids()...)
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
				if n, err := b.opts.Queue.ForgetIdleConsumers(takeCtx, forgetConsumersIdle); err != nil {
					b.log.Warn("forgetting stopped replicas in the queue", "err", err)
				} else if n > 0 {
					b.log.Info("forgot stopped replicas in the queue", "replicas", n)
				}
			}
			if n, oldest, err := b.opts.Queue.Pending(takeCtx); err == nil {
				b.opts.Metrics.SetQueue(int(n), oldest)
			}
			if !b.storeSteadyFor(b.opts.ReclaimAfter) {
				// Right after an outage every job looks idle: give the replicas that hold
				// them time to renew before taking anything.
				continue
			}
			jobs, err := b.opts.Queue.Reclaim(takeCtx, consumer, b.opts.ReclaimAfter, 10)
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
	if b.opts.Queue == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, err := b.opts.Queue.HandBack(ctx, b.opts.Consumer)
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

func (h *jobsInHand) add(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.set == nil {
		h.set = map[string]struct{}{}
	}
	h.set[id] = struct{}{}
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
func (b *Bot) runQueued(ctx context.Context, q store.Job) {
	b.inHand.add(q.ID)
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
		if err := b.untilStored(ctx, func() error { return b.opts.Queue.MarkApplied(ctx, j.threadID(), j.seq) }); err != nil {
			b.log.Warn("recording a thread's progress", "thread", j.threadID(), "err", err)
			return
		}
	}
	if err := b.untilStored(ctx, func() error { return b.opts.Queue.Done(ctx, q.ID) }); err != nil {
		b.log.Warn("removing a finished job from the queue", "job", q.ID, "err", err)
	}
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
	if err := b.opts.Queue.Done(ctx, id); err != nil {
		b.log.Warn("removing a finished job from the queue", "job", id, "err", err)
	}
}

// checkOrder decides whether a queued job may run now. A thread's job s runs once job
// s−1 is finished — its plan posted, not only saved — so plans appear in the thread in
// the order they were asked for. done means this job already made its version (its
// worker died before finishing): finishApplied completes it.
func (b *Bot) checkOrder(ctx context.Context, j job, th *conversation.Thread) (done bool, err error) {
	if b.opts.Queue == nil {
		return false, nil
	}
	if j.seq == 0 {
		return slices.ContainsFunc(th.Versions, j.made), nil
	}
	applied, err := b.opts.Queue.Applied(ctx, j.threadID())
	if err != nil {
		return false, &storeError{err}
	}
	switch {
	case applied >= j.seq:
		return true, nil
	case slices.ContainsFunc(th.Versions, j.made):
		return true, nil
	case applied < j.seq-1:
		return false, errNotYet
	}
	return false, nil
}

// rootWait is how long after a thread's first message a follow-up in a thread with no
// plan yet waits for that first message to be planned, instead of being taken for a
// reply in a thread adplan is not part of: Slack may deliver the brief late (it
// retries an envelope a dead replica never acknowledged) or to another replica.
const rootWait = time.Minute

// mayAwaitRoot reports whether j, a follow-up in a thread with no plan, may still see
// the thread's brief arrive.
func (b *Bot) mayAwaitRoot(j job) bool {
	if b.opts.Queue == nil || j.sentTS == "" {
		return false
	}
	sent, err1 := strconv.ParseFloat(j.sentTS, 64)
	root, err2 := strconv.ParseFloat(j.threadTS, 64)
	return err1 == nil && err2 == nil && sent-root < rootWait.Seconds()
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// storeDownNotice is what a thread is told when its message cannot be kept safe yet.
const storeDownNotice = "I can't reach my store right now, so I can't keep this thread's plan safe. I'll keep trying and answer here when it's back."

// requeueHeld queues, in the order they arrived, the jobs acknowledged while the queue
// was unreachable, retrying with backoff. Every thread with a message waiting is told
// once that the bot cannot reach its store. Jobs still held at shutdown are lost with
// the process, and the log says how many.
func (b *Bot) requeueHeld(ctx context.Context) {
	told := map[string]bool{}
	var waiting []job
	closed := false
	backoff := storeFirstBackoff
	for {
		if len(waiting) == 0 {
			if closed {
				return
			}
			j, ok := <-b.held
			if !ok {
				return
			}
			waiting = append(waiting, j)
		}
	take: // everything else held by now, so each thread can be told at once
		for !closed {
			select {
			case j, ok := <-b.held:
				if !ok {
					closed = true
					break take
				}
				waiting = append(waiting, j)
			default:
				break take
			}
		}
		for len(waiting) > 0 {
			if _, err := b.enqueueDurable(ctx, waiting[0].eventID, waiting[0]); err != nil {
				break
			}
			waiting = waiting[1:]
		}
		if len(waiting) == 0 {
			clear(told)
			backoff = storeFirstBackoff
			continue
		}
		if ctx.Err() != nil {
			b.log.Error("shutting down with jobs the store never took", "held", len(waiting)+len(b.held))
			return
		}
		for _, j := range waiting {
			if key := j.threadID(); !told[key] && !j.postRoot {
				told[key] = true
				if err := b.reply(ctx, j, storeDownNotice); err != nil {
					b.log.Warn("telling the thread the store is down", "thread", key, "err", err)
				}
			}
		}
		sleep(ctx, backoff)
		backoff = min(2*backoff, storeMaxBackoff)
	}
}

// claimOwnerAlive reports whether the replica that claimed a version's posting is
// still alive; then it is posting the plan, and nobody else may.
func (b *Bot) claimOwnerAlive(ctx context.Context, claim string) (bool, error) {
	owner := strings.TrimPrefix(claim, postingPrefix)
	if i := strings.LastIndexByte(owner, '@'); i >= 0 {
		owner = owner[:i]
	}
	if b.opts.Queue == nil {
		return false, nil
	}
	if !b.storeSteadyFor(b.opts.ReclaimAfter) {
		return true, nil // nobody could heartbeat lately; give the owner time to
	}
	alive, err := b.opts.Queue.Alive(ctx, owner)
	if err != nil {
		return false, &storeError{err}
	}
	return alive, nil
}
