package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/adplan/adplan/store"
)

// The bot's work goes through a queue, in four roles; *store.Redis plays them all
// for every replica at once, *store.MemoryQueue for this process alone. Each part of
// the bot asks only for the role it uses.

// JobQueue is where acknowledged requests wait until they are answered. With Redis's,
// a request lives in the queue until it has been answered: a replica that dies
// mid-plan leaves it pending, and another claims it.
type JobQueue interface {
	// Enqueue adds a job unless one was queued under eventID within eventTTL; a job in
	// a thread ("" for none) is numbered after the thread's earlier jobs.
	Enqueue(ctx context.Context, eventID, thread string, payload []byte, eventTTL time.Duration) (first bool, err error)
	// Take hands consumer up to count new jobs, waiting up to block for one.
	Take(ctx context.Context, consumer string, count int, block time.Duration) ([]store.Job, error)
	// Reclaim hands consumer jobs another consumer has left idle for minIdle.
	Reclaim(ctx context.Context, consumer string, minIdle time.Duration, count int) ([]store.Job, error)
	// Done removes a finished job.
	Done(ctx context.Context, jobID string) error
	// Pending counts the jobs not yet finished and says how long the oldest has waited.
	Pending(ctx context.Context) (int64, time.Duration, error)
	// Life names the queue's current life; it changes when the queue loses its data.
	Life(ctx context.Context) (string, error)
}

// ThreadOrder records how far each thread's jobs are finished, so a thread's messages
// are applied in the order they were queued, whichever worker takes them.
type ThreadOrder interface {
	Applied(ctx context.Context, thread string) (int64, error)
	MarkApplied(ctx context.Context, thread string, seq int64) error
}

// Replicas keeps track of which consumers are alive: a live one keeps its jobs however
// long they take, a stopping one hands them back, a dead one's are reclaimed, and
// consumers long gone are forgotten.
type Replicas interface {
	Heartbeat(ctx context.Context, consumer string, ttl time.Duration) error
	Renew(ctx context.Context, consumer string, jobIDs ...string) (int, error)
	Alive(ctx context.Context, consumer string) (bool, error)
	HandBack(ctx context.Context, consumer string) (int, error)
	ForgetIdleConsumers(ctx context.Context, idleOver time.Duration) (int, error)
}

// Throttler keeps a call budget shared by everyone on the queue: Throttle answers 0
// when a call may go now, else how long to wait before asking again.
type Throttler interface {
	Throttle(ctx context.Context, name string, every time.Duration, burst int) (time.Duration, error)
}

// Queue is the four roles together, as Options takes them.
type Queue interface {
	JobQueue
	ThreadOrder
	Replicas
	Throttler
}

var (
	_ Queue = (*store.Redis)(nil)
	_ Queue = (*store.MemoryQueue)(nil)
)

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
	// Requeued marks a job queued again after the queue lost its data: it may have
	// been answered already, which the thread on Slack tells.
	Requeued bool `json:"requeued,omitempty"`
}

func recordOf(j job) jobRecord {
	return jobRecord{Kind: j.kind, Team: j.team, Channel: j.channel, ThreadTS: j.threadTS, User: j.user, Text: j.text,
		PostRoot: j.postRoot, FollowUpOnly: j.followUpOnly, Version: j.version, MessageTS: j.messageTS, SentTS: j.sentTS, Root: j.root, Received: j.received,
		Requeued: j.requeued}
}

func (r jobRecord) job(q store.Job) job {
	return job{kind: r.Kind, team: r.Team, channel: r.Channel, threadTS: r.ThreadTS, user: r.User, text: r.Text,
		postRoot: r.PostRoot, followUpOnly: r.FollowUpOnly, version: r.Version, messageTS: r.MessageTS,
		sentTS: r.SentTS, root: r.Root, received: r.Received, requeued: r.Requeued, eventID: q.EventID, seq: q.Seq, queueID: q.ID}
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

// enqueue queues a job. It reports whether the job was
// queued (false for a re-delivery) and an error when the queue is unreachable.
func (b *Bot) enqueue(ctx context.Context, eventID string, j job) (bool, error) {
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
	first, err := b.jobs.Enqueue(ctx, eventID, thread, payload, b.opts.EventTTL)
	if err == nil && first {
		b.queued.add(eventID, thread, payload, b.opts.Now())
	}
	return first, err
}

// consumerName names this process in the queue's consumer group.
func consumerName() string {
	host, _ := os.Hostname()
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
}

// storeNotice is what a thread is told when its message cannot be kept safe yet,
// naming the trouble truly: a store that is full is not one that cannot be reached.
func storeNotice(err error) string {
	if errors.Is(err, store.ErrStorageFull) {
		return "My store is full right now, so I can't keep this thread's plan safe. I'll keep trying and answer here once it has room."
	}
	return "I can't reach my store right now, so I can't keep this thread's plan safe. I'll keep trying and answer here when it's back."
}

// requeueHeld queues, in the order they arrived, the jobs acknowledged while the queue
// was unreachable, retrying with backoff. Every thread with a message waiting is told
// once that the bot cannot reach its store. Jobs still held at shutdown stay in the
// journal (Options.Journal) for the next run; without one they are lost with
// the process, and the log says how many.
func (b *Bot) requeueHeld(ctx context.Context) {
	told := map[string]bool{}
	waiting := b.journalled()
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
		var lastErr error
		for len(waiting) > 0 {
			if _, lastErr = b.enqueue(ctx, waiting[0].eventID, waiting[0]); lastErr != nil {
				break
			}
			if b.opts.Journal != nil {
				if err := b.opts.Journal.Release(waiting[0].eventID); err != nil {
					// Queued twice at worst, after a restart: the queue drops the repeat.
					b.log.Warn("releasing a queued job from the journal", "event", waiting[0].eventID, "err", err)
				}
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
				if err := b.reply(ctx, j, storeNotice(lastErr)); err != nil {
					b.log.Warn("telling the thread the store is down", "thread", key, "err", err)
				}
			}
		}
		sleep(ctx, backoff)
		backoff = min(2*backoff, storeMaxBackoff)
	}
}
