package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/adplan/adplan/store"
)

func TestQueueKeepsJobsUntilDone(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	tests := []struct {
		event, thread string
		wantFirst     bool
		wantSeq       int64
	}{
		{"Ev1", "T/C/1", true, 1},
		{"Ev2", "T/C/1", true, 2},
		{"Ev1", "T/C/1", false, 0}, // Slack's re-delivery of Ev1
		{"Ev3", "T/C/2", true, 1},
		{"Ev4", "", true, 0},
	}
	for _, tt := range tests {
		first, err := r.Enqueue(ctx, tt.event, tt.thread, []byte("payload "+tt.event), time.Hour)
		if err != nil || first != tt.wantFirst {
			t.Fatalf("Enqueue(%s) = %v, %v; want first=%v", tt.event, first, err, tt.wantFirst)
		}
	}
	jobs, err := r.Take(ctx, "a", 10, 100*time.Millisecond)
	if err != nil || len(jobs) != 4 {
		t.Fatalf("Take = %d jobs, %v; want 4", len(jobs), err)
	}
	want := []struct {
		event string
		seq   int64
	}{{"Ev1", 1}, {"Ev2", 2}, {"Ev3", 1}, {"Ev4", 0}}
	for i, w := range want {
		if jobs[i].EventID != w.event || jobs[i].Seq != w.seq || string(jobs[i].Payload) != "payload "+w.event {
			t.Errorf("job %d = %+v, want %s seq %d", i, jobs[i], w.event, w.seq)
		}
	}
	if more, _ := r.Take(ctx, "b", 10, 50*time.Millisecond); len(more) != 0 {
		t.Errorf("a second consumer was handed %d jobs already taken", len(more))
	}
	if n, _, err := r.Pending(ctx); err != nil || n != 4 {
		t.Errorf("Pending = %d, %v; want 4", n, err)
	}
	// Consumer a dies holding Ev3 and Ev4; b reclaims them once they are idle.
	for _, j := range jobs[:2] {
		if err := r.Done(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := r.Reclaim(ctx, "b", time.Hour, 10); len(got) != 0 {
		t.Errorf("reclaimed %d jobs that were not idle long enough", len(got))
	}
	time.Sleep(60 * time.Millisecond)
	got, err := r.Reclaim(ctx, "b", 50*time.Millisecond, 10)
	if err != nil || len(got) != 2 || got[0].EventID != "Ev3" || got[1].EventID != "Ev4" {
		t.Fatalf("Reclaim = %+v, %v; want Ev3 and Ev4", got, err)
	}
	for _, j := range got {
		if err := r.Done(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n, _, _ := r.Pending(ctx); n != 0 {
		t.Errorf("%d jobs still pending after all were done", n)
	}
}

func TestQueueNumbersAThreadsJobsInOrderUnderRacingProducers(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if _, err := r.Enqueue(ctx, fmt.Sprintf("Ev%d", i), "T/C/9", nil, time.Hour); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	jobs, err := r.Take(ctx, "a", 100, 100*time.Millisecond)
	if err != nil || len(jobs) != 50 {
		t.Fatalf("Take = %d, %v", len(jobs), err)
	}
	// Stream order and thread sequence agree: the n-th job queued is the n-th applied.
	for i, j := range jobs {
		if j.Seq != int64(i+1) {
			t.Fatalf("job %d has seq %d", i, j.Seq)
		}
	}
}

func TestQueueAppliedNeverMovesBack(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	for _, step := range []struct{ mark, want int64 }{{0, 0}, {2, 2}, {1, 2}, {3, 3}} {
		if step.mark > 0 {
			if err := r.MarkApplied(ctx, "T/C/1", step.mark); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := r.Applied(ctx, "T/C/1"); err != nil || got != step.want {
			t.Errorf("after marking %d: Applied = %d, %v; want %d", step.mark, got, err, step.want)
		}
	}
}

func TestHeartbeatsExpire(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	if alive, err := r.Alive(ctx, "a"); err != nil || alive {
		t.Fatalf("Alive before any heartbeat = %v, %v", alive, err)
	}
	if err := r.Heartbeat(ctx, "a", 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if alive, _ := r.Alive(ctx, "a"); !alive {
		t.Error("a consumer that just beat is not alive")
	}
	time.Sleep(150 * time.Millisecond)
	if alive, _ := r.Alive(ctx, "a"); alive {
		t.Error("a consumer whose heartbeat expired is still alive")
	}
}

func TestRenewKeepsABusyWorkersJobsFromBeingReclaimed(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	enqueue(t, r, "T/C/1", "Ev1", "Ev2")
	jobs, err := r.Take(ctx, "a", 2, 100*time.Millisecond)
	if err != nil || len(jobs) != 2 {
		t.Fatalf("Take = %d jobs, %v; want 2", len(jobs), err)
	}
	time.Sleep(80 * time.Millisecond)
	// a is still working on Ev1 and says so; it says nothing about Ev2.
	if n, err := r.Renew(ctx, "a", jobs[0].ID); err != nil || n != 1 {
		t.Fatalf("Renew = %d, %v; want 1", n, err)
	}
	got, err := r.Reclaim(ctx, "b", 50*time.Millisecond, 10)
	if err != nil || len(got) != 1 || got[0].EventID != "Ev2" {
		t.Fatalf("Reclaim = %+v, %v; want only Ev2, the job a stopped renewing", got, err)
	}
	// Ev2 is b's now: a's renewal must not take it back, and a finished job is skipped.
	if n, err := r.Renew(ctx, "a", jobs[1].ID); err != nil || n != 0 {
		t.Errorf("Renew of a job another consumer claimed = %d, %v; want 0", n, err)
	}
	if err := r.Done(ctx, jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Renew(ctx, "a", jobs[0].ID); err != nil || n != 0 {
		t.Errorf("Renew of a finished job = %d, %v; want 0", n, err)
	}
	if n, err := r.Renew(ctx, "a"); err != nil || n != 0 {
		t.Errorf("Renew of nothing = %d, %v", n, err)
	}
}

func TestHandBackMakesAStoppingWorkersJobsReclaimableAtOnce(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	enqueue(t, r, "", "Ev1", "Ev2", "Ev3")
	mine, _ := r.Take(ctx, "a", 2, 100*time.Millisecond)
	theirs, _ := r.Take(ctx, "c", 1, 100*time.Millisecond)
	if len(mine) != 2 || len(theirs) != 1 {
		t.Fatalf("took %d and %d jobs; want 2 and 1", len(mine), len(theirs))
	}
	if err := r.Heartbeat(ctx, "a", time.Hour); err != nil {
		t.Fatal(err)
	}
	n, err := r.HandBack(ctx, "a")
	if err != nil || n != 2 {
		t.Fatalf("HandBack = %d, %v; want 2", n, err)
	}
	if alive, _ := r.Alive(ctx, "a"); alive {
		t.Error("a consumer that handed back its work still counts as alive")
	}
	// Another replica with an hour's reclaim_after takes them now; c's job stays c's.
	got, err := r.Reclaim(ctx, "b", time.Hour, 10)
	if err != nil || len(got) != 2 || got[0].EventID != "Ev1" || got[1].EventID != "Ev2" {
		t.Fatalf("Reclaim after hand-back = %+v, %v; want Ev1 and Ev2", got, err)
	}
	if n, err := r.HandBack(ctx, "nobody"); err != nil || n != 0 {
		t.Errorf("HandBack of a consumer with no jobs = %d, %v", n, err)
	}
}

func TestForgetIdleConsumersKeepsThoseWithJobs(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	enqueue(t, r, "", "Ev1")
	if jobs, _ := r.Take(ctx, "holds-a-job", 1, 50*time.Millisecond); len(jobs) != 1 {
		t.Fatal("no job taken")
	}
	// "stopped" did a job and finished it, then went away.
	enqueue(t, r, "", "Ev2")
	jobs, _ := r.Take(ctx, "stopped", 1, 50*time.Millisecond)
	if len(jobs) != 1 || r.Done(ctx, jobs[0].ID) != nil {
		t.Fatal("stopped did not do its job")
	}
	time.Sleep(60 * time.Millisecond)
	// "alive" asks for work all the time.
	enqueue(t, r, "", "Ev3")
	if jobs, _ := r.Take(ctx, "alive", 1, 50*time.Millisecond); len(jobs) != 1 || r.Done(ctx, jobs[0].ID) != nil {
		t.Fatal("alive did not do its job")
	}
	n, err := r.ForgetIdleConsumers(ctx, 50*time.Millisecond)
	if err != nil || n != 1 {
		t.Fatalf("ForgetIdleConsumers = %d, %v; want 1 (the stopped consumer with no job)", n, err)
	}
	// The job of the consumer that was kept is still there to be reclaimed.
	got, err := r.Reclaim(ctx, "alive", 50*time.Millisecond, 10)
	if err != nil || len(got) != 1 || got[0].EventID != "Ev1" {
		t.Errorf("Reclaim after forgetting = %+v, %v; want Ev1", got, err)
	}
}

func TestPendingCountsJobsWaitingAndInHand(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	if n, oldest, err := r.Pending(ctx); err != nil || n != 0 || oldest != 0 {
		t.Fatalf("empty queue: Pending = %d, %s, %v", n, oldest, err)
	}
	enqueue(t, r, "", "Ev1", "Ev2")
	time.Sleep(30 * time.Millisecond)
	if n, oldest, err := r.Pending(ctx); err != nil || n != 2 || oldest < 30*time.Millisecond {
		t.Errorf("two jobs waiting 30ms: Pending = %d, %s, %v", n, oldest, err)
	}
	jobs, _ := r.Take(ctx, "a", 1, 50*time.Millisecond)
	if n, _, _ := r.Pending(ctx); n != 2 {
		t.Errorf("one waiting, one in hand: Pending = %d; want 2", n)
	}
	if err := r.Done(ctx, jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := r.Pending(ctx); n != 1 {
		t.Errorf("after one is done: Pending = %d; want 1", n)
	}
}

func TestThrottleSharesOneBudget(t *testing.T) {
	r, _, _ := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	name := fmt.Sprintf("test-%d", time.Now().UnixNano())
	// A burst of 3, then one call every 200 ms, whoever asks.
	for i := range 3 {
		if wait, err := r.Throttle(ctx, name, 200*time.Millisecond, 3); err != nil || wait != 0 {
			t.Fatalf("call %d of the burst: wait %s, %v; want to go now", i+1, wait, err)
		}
	}
	wait, err := r.Throttle(ctx, name, 200*time.Millisecond, 3)
	if err != nil || wait <= 0 || wait > 200*time.Millisecond {
		t.Fatalf("call past the burst: wait %s, %v; want up to 200ms", wait, err)
	}
	time.Sleep(wait)
	if wait, err := r.Throttle(ctx, name, 200*time.Millisecond, 3); err != nil || wait != 0 {
		t.Errorf("after waiting as told: wait %s, %v; want to go now", wait, err)
	}
	if _, err := r.Throttle(ctx, name, 0, 3); err == nil {
		t.Error("a zero interval was accepted")
	}
}

// enqueue queues one job per event id, in thread ("" for none), with the id as payload.
func enqueue(t *testing.T, r *store.Redis, thread string, events ...string) {
	t.Helper()
	for _, ev := range events {
		if _, err := r.Enqueue(context.Background(), ev, thread, []byte(ev), time.Hour); err != nil {
			t.Fatal(err)
		}
	}
}
