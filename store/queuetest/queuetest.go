// Package queuetest is the conformance suite every work queue passes, so MemoryQueue,
// which a bot with no Redis uses, cannot drift from Redis's, which replicas share
// (as storetest does for threads).
//
// Time: a memory queue runs on a FakeClock the suite moves; Redis keeps its own clock,
// so on Redis the suite waits (WallClock). Either way a check that something has
// expired comes only after at least its duration has passed, and a check that
// something has not expired uses an hour, or is made only when the suite measured
// that less time passed; so no check depends on how busy the machine is.
package queuetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/adplan/adplan/store"
)

// Queue is what the suite exercises: every role the bot uses. Callers declare their
// own, smaller interfaces; this one only pins down that every implementation has the
// whole set.
type Queue interface {
	Enqueue(ctx context.Context, eventID, thread string, payload []byte, eventTTL time.Duration) (bool, error)
	Take(ctx context.Context, consumer string, count int, block time.Duration) ([]store.Job, error)
	Reclaim(ctx context.Context, consumer string, minIdle time.Duration, count int) ([]store.Job, error)
	Done(ctx context.Context, jobID string) error
	Pending(ctx context.Context) (int64, time.Duration, error)
	Applied(ctx context.Context, thread string) (int64, error)
	MarkApplied(ctx context.Context, thread string, seq int64) error
	Heartbeat(ctx context.Context, consumer string, ttl time.Duration) error
	Alive(ctx context.Context, consumer string) (bool, error)
	Renew(ctx context.Context, consumer string, jobIDs ...string) (int, error)
	HandBack(ctx context.Context, consumer string) (int, error)
	ForgetIdleConsumers(ctx context.Context, idleOver time.Duration) (int, error)
	Throttle(ctx context.Context, name string, every time.Duration, burst int) (time.Duration, error)
	Life(ctx context.Context) (string, error)
}

var (
	_ Queue = (*store.MemoryQueue)(nil)
	_ Queue = (*store.Redis)(nil)
)

// Clock is the time the queue decides by, as the suite sees and moves it.
type Clock interface {
	// Now is the time now; the suite subtracts two readings to know how much time
	// passed for the queue between them, at most.
	Now() time.Time
	// Advance lets at least d pass for the queue.
	Advance(d time.Duration)
}

// FakeClock is a clock that moves only when told; pass its Now to NewMemoryQueue.
type FakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFakeClock returns a clock standing at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{t: t} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// WallClock is real time, for a queue that keeps its own clock (Redis's).
type WallClock struct{}

// Now returns the time now.
func (WallClock) Now() time.Time { return time.Now() }

// Advance waits d, and 2 ms more: Redis counts idle times and expiries in whole
// milliseconds, so an entry d old can read as a millisecond younger.
func (WallClock) Advance(d time.Duration) { time.Sleep(d + 2*time.Millisecond) }

// idle is how long the suite lets jobs and consumers go unheard when it wants them
// idle; short, because on Redis the suite waits for it.
const idle = 50 * time.Millisecond

// Run runs the suite. open is called once per sub-test and must return an empty
// queue of its own, and the clock it decides by, because sub-tests run in parallel.
func Run(t *testing.T, open func(t *testing.T) (Queue, Clock)) {
	tests := []struct {
		name string
		test func(t *testing.T, q Queue, c Clock)
	}{
		{"KeepsJobsUntilDone", testKeepsJobsUntilDone},
		{"RemembersEventsForTheirTTL", testRemembersEventsForTheirTTL},
		{"EnqueueInvalid", testEnqueueInvalid},
		{"NumbersAThreadsJobsInOrderUnderRacingProducers", testNumbersUnderRacingProducers},
		{"TakeWaitsForAJob", testTakeWaitsForAJob},
		{"AppliedNeverMovesBack", testAppliedNeverMovesBack},
		{"AppliedIgnoresNumbersTheQueueNeverGave", testAppliedIgnoresNumbersTheQueueNeverGave},
		{"LifeStaysWhileTheQueueKeepsItsData", testLifeStays},
		{"HeartbeatsExpire", testHeartbeatsExpire},
		{"RenewKeepsABusyWorkersJobsFromBeingReclaimed", testRenew},
		{"HandBackMakesAStoppingWorkersJobsReclaimableAtOnce", testHandBack},
		{"ForgetIdleConsumersKeepsThoseWithJobs", testForgetIdleConsumers},
		{"PendingCountsJobsWaitingAndInHand", testPending},
		{"ThrottleSharesOneBudget", testThrottle},
		{"ContextCancelled", testContextCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, c := open(t)
			tt.test(t, q, c)
		})
	}
}

func testKeepsJobsUntilDone(t *testing.T, q Queue, c Clock) {
	ctx := t.Context()
	tests := []struct {
		event, thread string
		wantFirst     bool
	}{
		{"Ev1", "T/C/1", true},
		{"Ev2", "T/C/1", true},
		{"Ev1", "T/C/1", false}, // Slack's re-delivery of Ev1
		{"Ev3", "T/C/2", true},
		{"Ev4", "", true},
	}
	for _, tt := range tests {
		first, err := q.Enqueue(ctx, tt.event, tt.thread, []byte("payload "+tt.event), time.Hour)
		if err != nil || first != tt.wantFirst {
			t.Fatalf("Enqueue(%s) = %v, %v; want first=%v", tt.event, first, err, tt.wantFirst)
		}
	}
	jobs, err := q.Take(ctx, "a", 10, time.Second)
	if err != nil || len(jobs) != 4 {
		t.Fatalf("Take = %d jobs, %v; want 4", len(jobs), err)
	}
	want := []struct {
		event, thread string
		seq           int64
	}{{"Ev1", "T/C/1", 1}, {"Ev2", "T/C/1", 2}, {"Ev3", "T/C/2", 1}, {"Ev4", "", 0}}
	for i, w := range want {
		j := jobs[i]
		if j.EventID != w.event || j.Thread != w.thread || j.Seq != w.seq || string(j.Payload) != "payload "+w.event || j.ID == "" {
			t.Errorf("job %d = %+v, want %s in %q, seq %d", i, j, w.event, w.thread, w.seq)
		}
	}
	if more, err := q.Take(ctx, "b", 10, 10*time.Millisecond); err != nil || len(more) != 0 {
		t.Errorf("a second consumer was handed %d jobs already taken (%v)", len(more), err)
	}
	if n, _, err := q.Pending(ctx); err != nil || n != 4 {
		t.Errorf("Pending = %d, %v; want 4", n, err)
	}
	// Consumer a finishes Ev1 and Ev2, then dies holding Ev3 and Ev4; b reclaims them
	// once they are idle, and not before.
	for _, j := range jobs[:2] {
		if err := q.Done(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := q.Reclaim(ctx, "b", time.Hour, 10); err != nil || len(got) != 0 {
		t.Errorf("Reclaim = %+v, %v; want nothing: no job was idle an hour", got, err)
	}
	c.Advance(idle)
	got, err := q.Reclaim(ctx, "b", idle, 10)
	if err != nil || len(got) != 2 || got[0].EventID != "Ev3" || got[1].EventID != "Ev4" || string(got[1].Payload) != "payload Ev4" {
		t.Fatalf("Reclaim = %+v, %v; want Ev3 and Ev4", got, err)
	}
	for _, j := range got {
		if err := q.Done(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Done(ctx, got[0].ID); err != nil {
		t.Errorf("Done of a job already done = %v; want nil", err)
	}
	if n, oldest, err := q.Pending(ctx); err != nil || n != 0 || oldest != 0 {
		t.Errorf("Pending = %d, %s, %v after all were done; want 0", n, oldest, err)
	}
}

func testRemembersEventsForTheirTTL(t *testing.T, q Queue, c Clock) {
	ctx := t.Context()
	if first, err := q.Enqueue(ctx, "Ev1", "T/C/1", nil, idle); err != nil || !first {
		t.Fatalf("Enqueue = %v, %v; want first", first, err)
	}
	if first, err := q.Enqueue(ctx, "Ev2", "T/C/1", nil, time.Hour); err != nil || !first {
		t.Fatalf("Enqueue = %v, %v; want first", first, err)
	}
	c.Advance(idle)
	// Ev1's id was forgotten after its ttl: Slack's late re-delivery queues it again,
	// third in its thread. Ev2's is remembered for the hour.
	if first, err := q.Enqueue(ctx, "Ev1", "T/C/1", nil, idle); err != nil || !first {
		t.Errorf("Enqueue after the event ttl = %v, %v; want it queued again", first, err)
	}
	if first, err := q.Enqueue(ctx, "Ev2", "T/C/1", nil, time.Hour); err != nil || first {
		t.Errorf("Enqueue within the event ttl = %v, %v; want it dropped", first, err)
	}
	jobs, err := q.Take(ctx, "a", 10, time.Second)
	if err != nil || len(jobs) != 3 || jobs[2].EventID != "Ev1" || jobs[2].Seq != 3 {
		t.Errorf("Take = %+v, %v; want Ev1, Ev2, then Ev1 again as seq 3", jobs, err)
	}
}

func testEnqueueInvalid(t *testing.T, q Queue, _ Clock) {
	ctx := t.Context()
	for _, tt := range []struct {
		event string
		ttl   time.Duration
	}{{"", time.Hour}, {"Ev1", 0}, {"Ev1", -time.Second}} {
		if first, err := q.Enqueue(ctx, tt.event, "T/C/1", nil, tt.ttl); err == nil || first {
			t.Errorf("Enqueue(%q, ttl %s) = %v, nil; want an error", tt.event, tt.ttl, first)
		}
	}
	if n, _, err := q.Pending(ctx); err != nil || n != 0 {
		t.Errorf("Pending = %d, %v after refused jobs; want 0", n, err)
	}
}

func testNumbersUnderRacingProducers(t *testing.T, q Queue, _ Clock) {
	ctx := t.Context()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if _, err := q.Enqueue(ctx, fmt.Sprintf("Ev%d", i), "T/C/9", nil, time.Hour); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	jobs, err := q.Take(ctx, "a", 100, time.Second)
	if err != nil || len(jobs) != 50 {
		t.Fatalf("Take = %d, %v", len(jobs), err)
	}
	// Queue order and thread sequence agree: the n-th job queued is the n-th applied.
	for i, j := range jobs {
		if j.Seq != int64(i+1) {
			t.Fatalf("job %d has seq %d", i, j.Seq)
		}
	}
}

func testTakeWaitsForAJob(t *testing.T, q Queue, _ Clock) {
	ctx := t.Context()
	got := make(chan []store.Job, 1)
	go func() {
		jobs, err := q.Take(ctx, "a", 1, time.Minute)
		if err != nil {
			t.Error(err)
		}
		got <- jobs
	}()
	enqueue(t, q, "", "Ev1")
	if jobs := <-got; len(jobs) != 1 || jobs[0].EventID != "Ev1" {
		t.Errorf("Take = %+v; want Ev1, queued while it waited", jobs)
	}
}

func testAppliedNeverMovesBack(t *testing.T, q Queue, _ Clock) {
	ctx := t.Context()
	enqueue(t, q, "T/C/1", "Ev1", "Ev2", "Ev3")
	for _, step := range []struct{ mark, want int64 }{{0, 0}, {2, 2}, {1, 2}, {3, 3}} {
		if step.mark > 0 {
			if err := q.MarkApplied(ctx, "T/C/1", step.mark); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := q.Applied(ctx, "T/C/1"); err != nil || got != step.want {
			t.Errorf("after marking %d: Applied = %d, %v; want %d", step.mark, got, err, step.want)
		}
	}
	if got, err := q.Applied(ctx, "T/C/2"); err != nil || got != 0 {
		t.Errorf("another thread: Applied = %d, %v; want 0", got, err)
	}
}

// A job numbered before the queue lost its state (Redis back empty) finishes with a
// number the queue has not given again: marking it must not advance the thread, or
// the jobs numbered afresh would be taken for done and never run.
func testAppliedIgnoresNumbersTheQueueNeverGave(t *testing.T, q Queue, _ Clock) {
	ctx := t.Context()
	enqueue(t, q, "T/C/9", "Ev1")
	if err := q.MarkApplied(ctx, "T/C/9", 3); err != nil {
		t.Fatal(err)
	}
	if got, err := q.Applied(ctx, "T/C/9"); err != nil || got != 0 {
		t.Errorf("after marking job 3 of a thread numbered up to 1: Applied = %d, %v; want 0", got, err)
	}
	if err := q.MarkApplied(ctx, "T/C/9", 1); err != nil {
		t.Fatal(err)
	}
	if got, err := q.Applied(ctx, "T/C/9"); err != nil || got != 1 {
		t.Errorf("after marking job 1: Applied = %d, %v; want 1", got, err)
	}
}

// A queue that keeps its data keeps its life mark: a replica that saw the mark change
// would queue again every job it queued lately.
func testLifeStays(t *testing.T, q Queue, _ Clock) {
	ctx := t.Context()
	first, err := q.Life(ctx)
	if err != nil || first == "" {
		t.Fatalf("Life = %q, %v; want a mark", first, err)
	}
	enqueue(t, q, "T/C/1", "Ev1")
	if again, err := q.Life(ctx); err != nil || again != first {
		t.Errorf("Life after queueing = %q, %v; want %q unchanged", again, err, first)
	}
}

func testHeartbeatsExpire(t *testing.T, q Queue, c Clock) {
	ctx := t.Context()
	if alive, err := q.Alive(ctx, "a"); err != nil || alive {
		t.Fatalf("Alive before any heartbeat = %v, %v", alive, err)
	}
	for consumer, ttl := range map[string]time.Duration{"a": time.Hour, "b": idle} {
		if err := q.Heartbeat(ctx, consumer, ttl); err != nil {
			t.Fatal(err)
		}
	}
	if alive, err := q.Alive(ctx, "a"); err != nil || !alive {
		t.Errorf("a consumer that just beat is not alive (%v)", err)
	}
	c.Advance(idle)
	if alive, err := q.Alive(ctx, "b"); err != nil || alive {
		t.Errorf("a consumer whose heartbeat expired is still alive (%v)", err)
	}
	if alive, err := q.Alive(ctx, "a"); err != nil || !alive {
		t.Errorf("a consumer whose heartbeat lasts an hour is not alive (%v)", err)
	}
}

func testRenew(t *testing.T, q Queue, c Clock) {
	ctx := t.Context()
	enqueue(t, q, "T/C/1", "Ev1", "Ev2")
	jobs, err := q.Take(ctx, "a", 2, time.Second)
	if err != nil || len(jobs) != 2 {
		t.Fatalf("Take = %d jobs, %v; want 2", len(jobs), err)
	}
	c.Advance(idle)
	// a is still working on Ev1 and says so; it says nothing about Ev2.
	renewed := c.Now()
	if n, err := q.Renew(ctx, "a", jobs[0].ID); err != nil || n != 1 {
		t.Fatalf("Renew = %d, %v; want 1", n, err)
	}
	got, err := q.Reclaim(ctx, "b", idle, 10)
	took := c.Now().Sub(renewed)
	if err != nil || !slices.ContainsFunc(got, func(j store.Job) bool { return j.EventID == "Ev2" }) {
		t.Fatalf("Reclaim = %+v, %v; want Ev2, the job a stopped renewing", got, err)
	}
	if took < idle-2*time.Millisecond && len(got) != 1 {
		t.Errorf("Reclaim = %+v, %s after a renewed Ev1; want only Ev2", got, took)
	}
	// Ev2 is b's now: a's renewal must not take it back, and a finished job is skipped.
	if n, err := q.Renew(ctx, "a", jobs[1].ID); err != nil || n != 0 {
		t.Errorf("Renew of a job another consumer claimed = %d, %v; want 0", n, err)
	}
	if err := q.Done(ctx, jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, err := q.Renew(ctx, "a", jobs[0].ID); err != nil || n != 0 {
		t.Errorf("Renew of a finished job = %d, %v; want 0", n, err)
	}
	if n, err := q.Renew(ctx, "a"); err != nil || n != 0 {
		t.Errorf("Renew of nothing = %d, %v", n, err)
	}
}

func testHandBack(t *testing.T, q Queue, _ Clock) {
	ctx := t.Context()
	enqueue(t, q, "", "Ev1", "Ev2", "Ev3")
	mine, _ := q.Take(ctx, "a", 2, time.Second)
	theirs, _ := q.Take(ctx, "c", 1, time.Second)
	if len(mine) != 2 || len(theirs) != 1 {
		t.Fatalf("took %d and %d jobs; want 2 and 1", len(mine), len(theirs))
	}
	if err := q.Heartbeat(ctx, "a", time.Hour); err != nil {
		t.Fatal(err)
	}
	n, err := q.HandBack(ctx, "a")
	if err != nil || n != 2 {
		t.Fatalf("HandBack = %d, %v; want 2", n, err)
	}
	if alive, _ := q.Alive(ctx, "a"); alive {
		t.Error("a consumer that handed back its work still counts as alive")
	}
	// Another replica with an hour's reclaim_after takes them now; c's job stays c's.
	got, err := q.Reclaim(ctx, "b", time.Hour, 10)
	if err != nil || len(got) != 2 || got[0].EventID != "Ev1" || got[1].EventID != "Ev2" {
		t.Fatalf("Reclaim after hand-back = %+v, %v; want Ev1 and Ev2", got, err)
	}
	if n, err := q.HandBack(ctx, "nobody"); err != nil || n != 0 {
		t.Errorf("HandBack of a consumer with no jobs = %d, %v", n, err)
	}
}

func testForgetIdleConsumers(t *testing.T, q Queue, c Clock) {
	ctx := t.Context()
	enqueue(t, q, "", "Ev1")
	if jobs, _ := q.Take(ctx, "holds-a-job", 1, time.Second); len(jobs) != 1 {
		t.Fatal("no job taken")
	}
	// "stopped" did a job and finished it, then went away.
	enqueue(t, q, "", "Ev2")
	jobs, _ := q.Take(ctx, "stopped", 1, time.Second)
	if len(jobs) != 1 || q.Done(ctx, jobs[0].ID) != nil {
		t.Fatal("stopped did not do its job")
	}
	if n, err := q.ForgetIdleConsumers(ctx, time.Hour); err != nil || n != 0 {
		t.Errorf("ForgetIdleConsumers(1h) = %d, %v; want 0: nobody was idle an hour", n, err)
	}
	c.Advance(idle)
	// "alive" asks for work all the time.
	asked := c.Now()
	enqueue(t, q, "", "Ev3")
	if jobs, _ := q.Take(ctx, "alive", 1, time.Second); len(jobs) != 1 || q.Done(ctx, jobs[0].ID) != nil {
		t.Fatal("alive did not do its job")
	}
	n, err := q.ForgetIdleConsumers(ctx, idle)
	took := c.Now().Sub(asked)
	switch {
	case err != nil:
		t.Fatalf("ForgetIdleConsumers: %v", err)
	case took < idle-2*time.Millisecond && n != 1:
		t.Errorf("ForgetIdleConsumers = %d; want 1, the stopped consumer with no job", n)
	case n < 1 || n > 2:
		// The machine was so slow that "alive" went idle too.
		t.Errorf("ForgetIdleConsumers = %d after %s; want the stopped consumer, and alive at most", n, took)
	}
	// The job of the consumer that was kept is still there to be reclaimed.
	got, err := q.Reclaim(ctx, "alive", idle, 10)
	if err != nil || len(got) != 1 || got[0].EventID != "Ev1" {
		t.Errorf("Reclaim after forgetting = %+v, %v; want Ev1", got, err)
	}
}

func testPending(t *testing.T, q Queue, c Clock) {
	ctx := t.Context()
	if n, oldest, err := q.Pending(ctx); err != nil || n != 0 || oldest != 0 {
		t.Fatalf("empty queue: Pending = %d, %s, %v", n, oldest, err)
	}
	enqueue(t, q, "", "Ev1", "Ev2")
	c.Advance(idle)
	if n, oldest, err := q.Pending(ctx); err != nil || n != 2 || oldest < idle {
		t.Errorf("two jobs waiting %s: Pending = %d, %s, %v", idle, n, oldest, err)
	}
	jobs, _ := q.Take(ctx, "a", 1, time.Second)
	if n, _, _ := q.Pending(ctx); n != 2 || len(jobs) != 1 {
		t.Errorf("one waiting, one in hand: Pending = %d; want 2", n)
	}
	if err := q.Done(ctx, jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := q.Pending(ctx); n != 1 {
		t.Errorf("after one is done: Pending = %d; want 1", n)
	}
}

func testThrottle(t *testing.T, q Queue, c Clock) {
	ctx := t.Context()
	// A burst of 3, then one call an hour, whoever asks.
	for i := range 3 {
		if wait, err := q.Throttle(ctx, "hourly", time.Hour, 3); err != nil || wait != 0 {
			t.Fatalf("call %d of the burst: wait %s, %v; want to go now", i+1, wait, err)
		}
	}
	wait, err := q.Throttle(ctx, "hourly", time.Hour, 3)
	if err != nil || wait <= 0 || wait > time.Hour {
		t.Fatalf("call past the burst: wait %s, %v; want up to an hour", wait, err)
	}
	if wait, err := q.Throttle(ctx, "other", time.Hour, 1); err != nil || wait != 0 {
		t.Errorf("another budget's first call: wait %s, %v; want to go now", wait, err)
	}
	// One call every idle: spend it until told to wait, wait as told, and go.
	for range 1000 {
		if wait, err = q.Throttle(ctx, "fast", idle, 1); err != nil || wait > 0 {
			break
		}
	}
	if err != nil || wait <= 0 || wait > idle {
		t.Fatalf("spending a budget of one call every %s: wait %s, %v", idle, wait, err)
	}
	c.Advance(wait)
	if wait, err := q.Throttle(ctx, "fast", idle, 1); err != nil || wait != 0 {
		t.Errorf("after waiting as told: wait %s, %v; want to go now", wait, err)
	}
	for _, bad := range []struct {
		every time.Duration
		burst int
	}{{0, 3}, {-time.Second, 3}, {time.Second, 0}} {
		if _, err := q.Throttle(ctx, "bad", bad.every, bad.burst); err == nil {
			t.Errorf("Throttle(every %s, burst %d) was accepted", bad.every, bad.burst)
		}
	}
}

func testContextCancelled(t *testing.T, q Queue, _ Clock) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := q.Enqueue(ctx, "Ev1", "T/C/1", nil, time.Hour); err == nil {
		t.Error("Enqueue with a cancelled context succeeded")
	}
	if _, err := q.Take(ctx, "a", 1, time.Minute); err == nil {
		t.Error("Take with a cancelled context succeeded")
	}
	if _, err := q.Reclaim(ctx, "a", 0, 1); err == nil {
		t.Error("Reclaim with a cancelled context succeeded")
	}
	if _, err := q.Applied(ctx, "T/C/1"); err == nil {
		t.Error("Applied with a cancelled context succeeded")
	}
	if err := q.Heartbeat(ctx, "a", time.Hour); err == nil {
		t.Error("Heartbeat with a cancelled context succeeded")
	}
	if _, err := q.Throttle(ctx, "budget", time.Second, 1); err == nil {
		t.Error("Throttle with a cancelled context succeeded")
	}
	if n, _, err := q.Pending(t.Context()); err != nil || n != 0 {
		t.Errorf("Pending = %d, %v after a cancelled Enqueue; want 0", n, err)
	}
}

// enqueue queues one job per event id, in thread ("" for none), with the id as payload.
func enqueue(t *testing.T, q Queue, thread string, events ...string) {
	t.Helper()
	for _, ev := range events {
		if _, err := q.Enqueue(t.Context(), ev, thread, []byte(ev), time.Hour); err != nil {
			t.Fatal(err)
		}
	}
}
