package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
)

// MemoryQueue is the work queue kept in this process, for a bot with no Redis: the
// same jobs, thread order, consumer liveness and throttle as Redis's queue, checked by
// the same suite (queuetest), so the bot has one code path with either. What it holds
// is lost with the process. It is safe for concurrent use.
//
// Every decision that depends on time (event ids remembered, idle jobs and consumers,
// heartbeats, the throttle) reads the clock given to NewMemoryQueue.
type MemoryQueue struct {
	now func() time.Time

	mu      sync.Mutex
	entries []*memoryEntry // queued and not yet done, oldest first
	lastID  memoryID
	// arrived is closed, and replaced, whenever a job is queued, waking Takes.
	arrived   chan struct{}
	events    map[string]time.Time // event id → expiry
	sweepAt   int
	seq       map[string]int64     // thread → last sequence given
	applied   map[string]int64     // thread → highest sequence finished
	consumers map[string]time.Time // consumer → last seen
	alive     map[string]time.Time // consumer → heartbeat expiry
	throttles map[string]time.Time // budget → theoretical arrival time of the next call
}

type memoryEntry struct {
	job       Job
	queued    time.Time
	delivered bool      // handed to a consumer, by Take or Reclaim
	owner     string    // the consumer holding it, once delivered
	since     time.Time // when owner last took or renewed it: its idle time counts from here
}

// memoryID numbers entries as Redis numbers stream entries: milliseconds, then a
// sequence within the millisecond, always increasing.
type memoryID struct{ ms, n int64 }

func (id memoryID) String() string {
	return strconv.FormatInt(id.ms, 10) + "-" + strconv.FormatInt(id.n, 10)
}

// NewMemoryQueue returns an empty queue reading the time from now (time.Now when nil).
func NewMemoryQueue(now func() time.Time) *MemoryQueue {
	if now == nil {
		now = time.Now
	}
	return &MemoryQueue{
		now:       now,
		arrived:   make(chan struct{}),
		events:    map[string]time.Time{},
		sweepAt:   memoryMinSweep,
		seq:       map[string]int64{},
		applied:   map[string]int64{},
		consumers: map[string]time.Time{},
		alive:     map[string]time.Time{},
		throttles: map[string]time.Time{},
	}
}

// Enqueue adds a job unless a job was already queued under eventID within eventTTL
// (Slack re-delivers what it thinks was not acknowledged); first says which. A job in
// a thread ("" for none) is numbered after the thread's earlier jobs.
func (q *MemoryQueue) Enqueue(ctx context.Context, eventID, thread string, payload []byte, eventTTL time.Duration) (bool, error) {
	if eventID == "" || eventTTL <= 0 {
		return false, errors.New("queueing a job: an event id and a positive ttl are required")
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("queueing event %s: %w", eventID, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	if expiry, ok := q.events[eventID]; ok && now.Before(expiry) {
		return false, nil
	}
	q.events[eventID] = now.Add(eventTTL)
	q.sweepEvents(now)
	var seq int64
	if thread != "" {
		q.seq[thread]++
		seq = q.seq[thread]
	}
	id := memoryID{ms: now.UnixMilli()}
	if id.ms <= q.lastID.ms {
		id = memoryID{ms: q.lastID.ms, n: q.lastID.n + 1}
	}
	q.lastID = id
	q.entries = append(q.entries, &memoryEntry{
		job:    Job{ID: id.String(), EventID: eventID, Thread: thread, Seq: seq, Payload: slices.Clone(payload)},
		queued: now,
	})
	close(q.arrived)
	q.arrived = make(chan struct{})
	return true, nil
}

// sweepEvents forgets expired event ids once there are many, so the map cannot grow
// without bound and sweeping costs amortised O(1) per job.
func (q *MemoryQueue) sweepEvents(now time.Time) {
	if len(q.events) < q.sweepAt {
		return
	}
	for id, expiry := range q.events {
		if !now.Before(expiry) {
			delete(q.events, id)
		}
	}
	q.sweepAt = max(2*len(q.events), memoryMinSweep)
}

// Take hands consumer up to count jobs no consumer was handed yet, oldest first,
// waiting up to block for one to arrive (block 0: until one arrives or ctx ends; a
// negative block: not at all), as Redis's XREADGROUP does.
func (q *MemoryQueue) Take(ctx context.Context, consumer string, count int, block time.Duration) ([]Job, error) {
	var timeout <-chan time.Time
	if block > 0 {
		t := time.NewTimer(block)
		defer t.Stop()
		timeout = t.C
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("taking jobs: %w", err)
		}
		q.mu.Lock()
		now := q.now()
		q.consumers[consumer] = now
		var jobs []Job
		for _, e := range q.entries {
			if len(jobs) == count {
				break
			}
			if !e.delivered {
				e.delivered, e.owner, e.since = true, consumer, now
				jobs = append(jobs, cloneJob(e.job))
			}
		}
		arrived := q.arrived
		q.mu.Unlock()
		if len(jobs) > 0 || block < 0 {
			return jobs, nil
		}
		select {
		case <-arrived:
		case <-timeout:
			return nil, nil
		case <-ctx.Done():
			return nil, fmt.Errorf("taking jobs: %w", ctx.Err())
		}
	}
}

// Reclaim hands consumer up to count jobs that another consumer took but has not
// finished for at least minIdle — a worker that died, or one that gave a job back.
func (q *MemoryQueue) Reclaim(ctx context.Context, consumer string, minIdle time.Duration, count int) ([]Job, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reclaiming jobs: %w", err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	q.consumers[consumer] = now
	jobs := []Job{}
	for _, e := range q.entries {
		if len(jobs) == count {
			break
		}
		if e.delivered && now.Sub(e.since) >= minIdle {
			e.owner, e.since = consumer, now
			jobs = append(jobs, cloneJob(e.job))
		}
	}
	return jobs, nil
}

// Done removes a finished job from the queue; a job not in it is no error.
func (q *MemoryQueue) Done(ctx context.Context, jobID string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("finishing job %s: %w", jobID, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.entries = slices.DeleteFunc(q.entries, func(e *memoryEntry) bool { return e.job.ID == jobID })
	return nil
}

// Pending reports how many jobs are queued and not yet finished — waiting for a
// worker or being worked on — and how long the oldest of them has waited since it was
// queued.
func (q *MemoryQueue) Pending(ctx context.Context) (int64, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, fmt.Errorf("reading the queue: %w", err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.entries) == 0 {
		return 0, 0, nil
	}
	return int64(len(q.entries)), q.now().Sub(q.entries[0].queued), nil
}

// Applied returns the highest job sequence of thread that was finished (0 for none).
func (q *MemoryQueue) Applied(ctx context.Context, thread string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("reading thread %s's progress: %w", thread, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.applied[thread], nil
}

// MarkApplied records that thread's jobs up to seq are finished; it never moves back,
// and ignores a seq the queue has not given (a job numbered before its state was lost).
func (q *MemoryQueue) MarkApplied(ctx context.Context, thread string, seq int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("recording thread %s's progress: %w", thread, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if seq <= q.seq[thread] { // a number given before the queue lost its state is stale
		q.applied[thread] = max(q.applied[thread], seq)
	}
	return nil
}

// Renew tells the queue that consumer is still working on the given jobs, so they
// are not reclaimed while it lives however long they take. It reports how many of
// them consumer still held.
func (q *MemoryQueue) Renew(ctx context.Context, consumer string, jobIDs ...string) (int, error) {
	if len(jobIDs) == 0 {
		return 0, nil
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("renewing %d jobs: %w", len(jobIDs), err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	n := 0
	for _, e := range q.entries {
		if e.delivered && e.owner == consumer && slices.Contains(jobIDs, e.job.ID) {
			e.since = now
			n++
		}
	}
	if n > 0 {
		q.consumers[consumer] = now
	}
	return n, nil
}

// HandBack returns consumer's unfinished jobs to the queue at once, instead of after
// reclaim_after, and forgets its heartbeat: a replica that stops does this with what it
// could not finish.
func (q *MemoryQueue) HandBack(ctx context.Context, consumer string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("handing back %s's jobs: %w", consumer, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	n := 0
	for _, e := range q.entries {
		if e.delivered && e.owner == consumer {
			e.since = now.Add(-handBackIdle)
			n++
		}
	}
	if n > 0 {
		q.consumers[consumer] = now
	}
	delete(q.alive, consumer)
	return n, nil
}

// ForgetIdleConsumers forgets the consumers that hold no job and have not asked for
// one in idleOver: replicas that stopped or died.
func (q *MemoryQueue) ForgetIdleConsumers(ctx context.Context, idleOver time.Duration) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("listing the queue's consumers: %w", err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	forgot := 0
	for c, seen := range q.consumers {
		holds := slices.ContainsFunc(q.entries, func(e *memoryEntry) bool { return e.delivered && e.owner == c })
		if holds || now.Sub(seen) < idleOver {
			continue
		}
		delete(q.consumers, c)
		forgot++
	}
	return forgot, nil
}

// Heartbeat records that consumer is alive for the next ttl.
func (q *MemoryQueue) Heartbeat(ctx context.Context, consumer string, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("recording that %s is alive: %w", consumer, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.alive[consumer] = q.now().Add(ttl)
	return nil
}

// Alive reports whether consumer's last heartbeat has not yet expired.
func (q *MemoryQueue) Alive(ctx context.Context, consumer string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("checking whether %s is alive: %w", consumer, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	expiry, ok := q.alive[consumer]
	return ok && q.now().Before(expiry), nil
}

// Throttle spends one call of the budget name: one call every `every`, in bursts of
// up to burst, shared by every caller of this queue. It returns 0 when the call may go
// now, else how long to wait before asking again. It keeps the same generic cell rate
// algorithm as Redis's, on this queue's clock.
func (q *MemoryQueue) Throttle(ctx context.Context, name string, every time.Duration, burst int) (time.Duration, error) {
	if every <= 0 || burst < 1 {
		return 0, fmt.Errorf("throttling %s: a positive interval and burst are required", name)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("throttling %s: %w", name, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	tolerance := every * time.Duration(burst-1)
	tat := q.throttles[name]
	if tat.Before(now) {
		tat = now
	}
	if allowAt := tat.Add(-tolerance); now.Before(allowAt) {
		return allowAt.Sub(now), nil
	}
	q.throttles[name] = tat.Add(every)
	return 0, nil
}

func cloneJob(j Job) Job {
	j.Payload = slices.Clone(j.Payload)
	return j
}

// Life names the queue's current life; a memory queue lives as long as its process,
// so it never changes.
func (q *MemoryQueue) Life(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return "memory", nil
}
