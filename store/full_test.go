package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/redistest"
)

// A Redis at maxmemory with no eviction answers pings and refuses every write. The
// store names that "storage full" — not unreachable — on every call that writes, and
// the readiness probe fails; once Redis has room again both recover.
func TestAFullRedisIsStorageFull(t *testing.T) {
	srv := redistest.Own(t, redistest.Options{})
	ctx := context.Background()
	st, err := store.OpenRedis(ctx, srv.URL(), store.RedisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer admin.Close()
	setMaxMemory := func(v string) {
		t.Helper()
		if err := admin.ConfigSet(ctx, "maxmemory-policy", "noeviction").Err(); err != nil {
			t.Fatal(err)
		}
		if err := admin.ConfigSet(ctx, "maxmemory", v).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Probe(ctx); err != nil {
		t.Fatalf("probe on a healthy Redis: %v", err)
	}

	setMaxMemory("1") // below what Redis already uses: every write is refused
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("a full Redis still answers pings, but Ping = %v", err)
	}
	if err := st.Probe(ctx); !errors.Is(err, store.ErrStorageFull) {
		t.Errorf("Probe on a full Redis = %v, want storage full", err)
	}
	if err := st.Save(ctx, conversation.New("T1/C1/1.1")); !errors.Is(err, store.ErrStorageFull) {
		t.Errorf("Save on a full Redis = %v, want storage full", err)
	}
	if _, err := st.Enqueue(ctx, "ev-full", "T1/C1/1.1", []byte("{}"), time.Hour); !errors.Is(err, store.ErrStorageFull) {
		t.Errorf("Enqueue on a full Redis = %v, want storage full", err)
	}

	setMaxMemory("0")
	if err := st.Probe(ctx); err != nil {
		t.Errorf("probe after Redis has room again: %v", err)
	}
	if err := st.Save(ctx, conversation.New("T1/C1/1.1")); err != nil {
		t.Errorf("Save after Redis has room again: %v", err)
	}
}
