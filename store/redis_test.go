package store_test

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/redistest"
	"github.com/adplan/adplan/store/storetest"
)

// requireRedis returns the test Redis's URL (see redistest.URL): CI's, or a
// redis-server of the test binary's own.
func requireRedis(t *testing.T) string {
	t.Helper()
	return redistest.URL(t)
}

func redisClient(t *testing.T) redis.UniversalClient {
	t.Helper()
	client, err := store.NewRedisClient(requireRedis(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

// openRedis returns a store whose keys start with a prefix of its own, deleted when
// the test ends, so tests can run in parallel and leave the server as they found it.
// The client is the store's, reached directly to inspect and plant keys.
func openRedis(t *testing.T, opts store.RedisOptions) (*store.Redis, redis.UniversalClient, string) {
	t.Helper()
	client := redisClient(t)
	if opts.Prefix == "" {
		opts.Prefix = "adplantest:" + rand.Text() + ":"
	}
	t.Cleanup(func() { deleteKeys(t, client, opts.Prefix+"*") })
	return store.NewRedis(client, opts), client, opts.Prefix
}

func deleteKeys(t *testing.T, client redis.UniversalClient, pattern string) {
	t.Helper()
	// t.Context is already cancelled while cleanups run.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys, err := scanKeys(ctx, client, pattern)
	// One key at a time: a cluster refuses a DEL of keys in different slots.
	for _, key := range keys {
		if err != nil {
			break
		}
		err = client.Del(ctx, key).Err()
	}
	if err != nil {
		t.Errorf("deleting test keys %s: %v", pattern, err)
	}
}

// scanKeys lists the keys matching pattern, on every primary of a cluster.
func scanKeys(ctx context.Context, client redis.UniversalClient, pattern string) ([]string, error) {
	var (
		mu   sync.Mutex
		keys []string
	)
	scan := func(ctx context.Context, c redis.UniversalClient) error {
		iter := c.Scan(ctx, 0, pattern, 100).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	var err error
	if cc, ok := client.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	} else {
		err = scan(ctx, client)
	}
	slices.Sort(keys)
	return keys, err
}

func TestRedis(t *testing.T) {
	// Skip once here rather than in each of the suite's sub-tests.
	requireRedis(t)
	storetest.Run(t, func(t *testing.T) storetest.Store {
		s, _, _ := openRedis(t, store.RedisOptions{})
		return s
	})
}

func TestRedisThreadTTL(t *testing.T) {
	requireRedis(t)
	const shortened = 5 * time.Second
	tests := []struct {
		name string
		give time.Duration
		want time.Duration // -1: no expiry
	}{
		{name: "default", give: 0, want: store.DefaultThreadTTL},
		{name: "an hour", give: time.Hour, want: time.Hour},
		{name: "never", give: -1, want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			s, client, prefix := openRedis(t, store.RedisOptions{ThreadTTL: tt.give})
			key := prefix + "thread:C1/1"
			checkTTL := func(when string) {
				t.Helper()
				got, err := client.PTTL(ctx, key).Result()
				if err != nil {
					t.Fatalf("PTTL %s: %v", key, err)
				}
				ok := got == tt.want
				if tt.want > 0 {
					ok = got > tt.want-time.Minute && got <= tt.want
				}
				if !ok {
					t.Errorf("%s: TTL of %s = %v; want %v", when, key, got, tt.want)
				}
			}
			th := storetest.Thread("C1/1", 1)
			if err := s.Save(ctx, th); err != nil {
				t.Fatalf("Save: %v", err)
			}
			checkTTL("after the first save")

			// Every save must restart the clock, or an active thread would expire
			// 30 days after it began rather than after it went quiet; an approval
			// counts as much as a new version.
			if err := client.PExpire(ctx, key, shortened).Err(); err != nil {
				t.Fatalf("PEXPIRE: %v", err)
			}
			if _, err := th.Approve("U01", time.Now()); err != nil {
				t.Fatalf("Approve: %v", err)
			}
			if err := s.Save(ctx, th); err != nil {
				t.Fatalf("Save: %v", err)
			}
			checkTTL("after the second save")
		})
	}
}

func TestRedisEventTTL(t *testing.T) {
	s, client, prefix := openRedis(t, store.RedisOptions{})
	start := time.Now()
	if _, err := s.MarkEvent(t.Context(), "Ev01", 90*time.Second); err != nil {
		t.Fatalf("MarkEvent: %v", err)
	}
	got, err := client.PTTL(t.Context(), prefix+"event:Ev01").Result()
	if err != nil {
		t.Fatalf("PTTL: %v", err)
	}
	// No more than the time the two calls took can have passed for the key (Redis
	// counts in whole milliseconds), however busy the machine.
	if low := 90*time.Second - time.Since(start) - time.Millisecond; got < low || got > 90*time.Second {
		t.Errorf("TTL of the event key = %v; want between %v and 90s", got, low)
	}
}

// The key layout is documented on Redis because operators look at it; this keeps
// the documentation true.
func TestRedisKeys(t *testing.T) {
	requireRedis(t)
	tests := []struct {
		name string
		give string // prefix
	}{
		{name: "own prefix", give: "adplantest:" + rand.Text() + ":"},
		{name: "default prefix", give: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			client := redisClient(t)
			prefix := cmp.Or(tt.give, "adplan:")
			// Under the default prefix only this test's own ids are touched, so a
			// developer's real threads survive the run.
			own := "storetest-" + rand.Text()
			t.Cleanup(func() { deleteKeys(t, client, prefix+"*"+own) })
			s := store.NewRedis(client, store.RedisOptions{Prefix: tt.give})
			if err := s.Save(ctx, storetest.Thread("C1/"+own, 1)); err != nil {
				t.Fatalf("Save: %v", err)
			}
			if _, err := s.MarkEvent(ctx, "Ev-"+own, time.Minute); err != nil {
				t.Fatalf("MarkEvent: %v", err)
			}
			got, err := scanKeys(ctx, client, prefix+"*"+own)
			if err != nil {
				t.Fatalf("scanning keys: %v", err)
			}
			want := []string{prefix + "event:Ev-" + own, prefix + "thread:C1/" + own}
			if !slices.Equal(got, want) {
				t.Errorf("keys = %q; want %q", got, want)
			}
			fields, err := client.HKeys(ctx, prefix+"thread:C1/"+own).Result()
			if err != nil {
				t.Fatalf("HKEYS: %v", err)
			}
			slices.Sort(fields)
			if want := []string{"json", "rev", "token"}; !slices.Equal(fields, want) {
				t.Errorf("thread fields = %q; want %q", fields, want)
			}
		})
	}
}

func TestRedisCorrupt(t *testing.T) {
	requireRedis(t)
	const id = "C9/1"
	tests := []struct {
		name      string
		give      func(ctx context.Context, client redis.UniversalClient, key string) error
		want      string
		saveFails bool // whether Save over the value must fail too, rather than repair it
	}{
		{
			name: "not JSON",
			give: func(ctx context.Context, c redis.UniversalClient, key string) error {
				return c.HSet(ctx, key, "rev", 1, "json", `{"id":`).Err()
			},
			want: "corrupt stored value",
		},
		{
			name: "revision disagrees",
			give: func(ctx context.Context, c redis.UniversalClient, key string) error {
				return c.HSet(ctx, key, "rev", 2, "json", `{"id":"C9/1","rev":1,"versions":[{"n":1}]}`).Err()
			},
			want: "it says revision 1, the record 2",
		},
		{
			name: "revision not a number",
			give: func(ctx context.Context, c redis.UniversalClient, key string) error {
				return c.HSet(ctx, key, "rev", "one", "json", `{"id":"C9/1","rev":1,"versions":[{"n":1}]}`).Err()
			},
			want:      "corrupt stored value",
			saveFails: true,
		},
		{
			name: "revision missing",
			give: func(ctx context.Context, c redis.UniversalClient, key string) error {
				return c.HSet(ctx, key, "json", `{"id":"C9/1","rev":1,"versions":[{"n":1}]}`).Err()
			},
			want:      "corrupt stored value",
			saveFails: true,
		},
		{
			name: "not a hash",
			give: func(ctx context.Context, c redis.UniversalClient, key string) error {
				return c.Set(ctx, key, "hello", 0).Err()
			},
			want:      "WRONGTYPE",
			saveFails: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			s, client, prefix := openRedis(t, store.RedisOptions{})
			if err := tt.give(ctx, client, prefix+"thread:"+id); err != nil {
				t.Fatalf("planting the corrupt value: %v", err)
			}
			got, err := s.Load(ctx, id)
			if err == nil {
				t.Fatalf("Load = %+v, nil; want an error", got)
			}
			if errors.Is(err, store.ErrNotFound) {
				t.Errorf("Load = %v; a corrupt value is not a missing one", err)
			}
			for _, want := range []string{"loading thread " + id, tt.want} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Load error %q does not contain %q", err, want)
				}
			}
			if !tt.saveFails {
				return
			}
			th := storetest.Thread(id, 2)
			th.Rev = 1
			err = s.Save(ctx, th)
			if err == nil || errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "saving thread "+id) {
				t.Errorf("Save over a corrupt value = %v; want an error naming the thread, not a conflict", err)
			}
		})
	}
}

// go-redis resends a command whose reply was lost. If the first attempt had saved,
// the resent one must report success, not a conflict: on a conflict the bot would
// reload, find its own change and apply it a second time.
func TestRedisSaveResentAfterLostReply(t *testing.T) {
	ctx := t.Context()
	s, _, _ := openRedis(t, store.RedisOptions{})
	first := storetest.Thread("C1/1", 1)
	if err := s.SaveWithToken(ctx, first, "attempt-A"); err != nil {
		t.Fatalf("Save: %v", err)
	}
	resent := storetest.Thread("C1/1", 1) // the same call, still at revision 0
	if err := s.SaveWithToken(ctx, resent, "attempt-A"); err != nil {
		t.Fatalf("the resent save = %v; want success", err)
	}
	if resent.Rev != 1 {
		t.Errorf("after the resent save, Rev = %d; want 1", resent.Rev)
	}
	other := storetest.Thread("C1/1", 2) // another writer that loaded revision 0
	if err := s.SaveWithToken(ctx, other, "attempt-B"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("another call's save over revision 0 = %v; want ErrConflict", err)
	}
	// Once someone has saved since, even the resend is stale.
	if err := s.Save(ctx, first); err != nil {
		t.Fatalf("Save: %v", err)
	}
	late := storetest.Thread("C1/1", 1)
	if err := s.SaveWithToken(ctx, late, "attempt-A"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a resend after a later save = %v; want ErrConflict", err)
	}
	got, err := s.Load(ctx, "C1/1")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.Rev != 2 || len(got.Versions) != 1 {
		t.Errorf("stored: revision %d with %d versions; want 2 with 1", got.Rev, len(got.Versions))
	}
}

// A Redis that is down must not look like an empty one, or the bot would start
// every thread afresh.
func TestRedisUnreachable(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: time.Second})
	s := store.NewRedis(client, store.RedisOptions{})
	t.Cleanup(func() { s.Close() })
	checkDown(t, s)
}

// checkDown checks that every call on a store whose Redis is down fails clearly:
// not as a missing thread, not as a conflict, and without storing anything.
func checkDown(t *testing.T, s *store.Redis) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping succeeded")
	}
	if got, err := s.Load(ctx, "C1/1"); err == nil || errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "loading thread C1/1") {
		t.Errorf("Load = %v, %v; want an error naming the thread, not ErrNotFound", got, err)
	}
	th := storetest.Thread("C1/1", 1)
	if err := s.Save(ctx, th); err == nil || errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "saving thread C1/1") {
		t.Errorf("Save = %v; want an error naming the thread, not ErrConflict", err)
	}
	if th.Rev != 0 {
		t.Errorf("a failed Save set Rev to %d", th.Rev)
	}
	if first, err := s.MarkEvent(ctx, "Ev01", time.Minute); err == nil {
		t.Errorf("MarkEvent = %t, nil; want an error", first)
	}
}

// TestRedisServerRestart runs a Redis of its own, kills it and starts another on the
// same port: while it is down the store fails clearly, and afterwards the same store
// works again without being reopened. (The server keeps nothing on disk, so the
// restarted one is empty, as after losing a cache node.)
func TestRedisServerRestart(t *testing.T) {
	rs := redistest.Own(t, redistest.Options{})
	rawURL := rs.URL()

	ctx := t.Context()
	s, err := store.OpenRedis(ctx, rawURL, store.RedisOptions{})
	if err != nil {
		t.Fatalf("OpenRedis: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	th := storetest.Thread("C1/1", 2)
	if err := s.Save(ctx, th); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if _, err := s.Load(ctx, "C1/1"); err != nil {
		t.Fatalf("Load: %v", err)
	}

	rs.Kill()
	checkDown(t, s)

	if err := rs.Restart(); err != nil {
		t.Fatal(err)
	}
	// The pool still holds connections to the old server; the store must get past
	// them on its own.
	deadline := time.Now().Add(10 * time.Second)
	for err := s.Ping(ctx); err != nil; err = s.Ping(ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("the store never reached the restarted server: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got, err := s.Load(ctx, "C1/1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load from the empty restarted server = %v, %v; want ErrNotFound", got, err)
	}
	// The new server has not seen the save script: go-redis must load it again.
	again := storetest.Thread("C1/1", 1)
	if err := s.Save(ctx, again); err != nil {
		t.Fatalf("Save after the restart: %v", err)
	}
	got, err := s.Load(ctx, "C1/1")
	if err != nil {
		t.Fatalf("Load after the restart: %v", err)
	}
	if !reflect.DeepEqual(got, again) {
		t.Errorf("after the restart, Load = %+v; want %+v", got, again)
	}
	if first, err := s.MarkEvent(ctx, "Ev01", time.Minute); err != nil || !first {
		t.Errorf("MarkEvent after the restart = %t, %v; want true, nil", first, err)
	}
}
