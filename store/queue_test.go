package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/queuetest"
)

func TestMemoryQueue(t *testing.T) {
	queuetest.Run(t, func(t *testing.T) (queuetest.Queue, queuetest.Clock) {
		clock := queuetest.NewFakeClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
		return store.NewMemoryQueue(clock.Now), clock
	})
}

func TestRedisQueue(t *testing.T) {
	// Skip once here rather than in each of the suite's sub-tests.
	requireRedis(t)
	queuetest.Run(t, func(t *testing.T) (queuetest.Queue, queuetest.Clock) {
		r, _, _ := openRedis(t, store.RedisOptions{})
		return r, queuetest.WallClock{}
	})
}

// TestRedisLifeChangesWhenRedisLosesItsData: Redis restarted without persistence (here,
// its keys deleted) is a new life, which the replicas must be able to tell.
func TestRedisLifeChangesWhenRedisLosesItsData(t *testing.T) {
	r, client, prefix := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	before, err := r.Life(ctx)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := scanKeys(ctx, client, prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Del(ctx, keys...).Err(); err != nil {
		t.Fatal(err)
	}
	after, err := r.Life(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after == before {
		t.Errorf("Life after Redis lost its data = %q, the same as before", after)
	}
	if again, err := r.Life(ctx); err != nil || again != after {
		t.Errorf("Life asked again = %q, %v; want %q", again, err, after)
	}
}

// TestRedisQueueKeys pins down the queue's keys, which replicas of different versions
// share during a deploy: all under the prefix and the {q} hash tag.
func TestRedisQueueKeys(t *testing.T) {
	r, client, prefix := openRedis(t, store.RedisOptions{})
	ctx := context.Background()
	if _, err := r.Enqueue(ctx, "Ev1", "T/C/1", []byte("job"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := r.MarkApplied(ctx, "T/C/1", 1); err != nil {
		t.Fatal(err)
	}
	if err := r.Heartbeat(ctx, "replica-a", time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Throttle(ctx, "chat.update", time.Second, 1); err != nil {
		t.Fatal(err)
	}
	got, err := scanKeys(ctx, client, prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{prefix + "{q}:alive:replica-a", prefix + "{q}:applied:T/C/1", prefix + "{q}:event:Ev1",
		prefix + "{q}:jobs", prefix + "{q}:seq:T/C/1", prefix + "{q}:throttle:chat.update"}
	if !slices.Equal(got, want) {
		t.Errorf("keys = %q; want %q", got, want)
	}
	entries, err := client.XRange(ctx, prefix+"{q}:jobs", "-", "+").Result()
	if err != nil || len(entries) != 1 {
		t.Fatalf("XRANGE = %v, %v", entries, err)
	}
	values := map[string]any{"event": "Ev1", "thread": "T/C/1", "seq": "1", "payload": "job"}
	for k, v := range values {
		if entries[0].Values[k] != v {
			t.Errorf("entry field %s = %v; want %v", k, entries[0].Values[k], v)
		}
	}
	if applied, err := client.Get(ctx, prefix+"{q}:applied:T/C/1").Result(); err != nil || applied != "1" {
		t.Errorf("applied = %q, %v; want 1", applied, err)
	}
}
