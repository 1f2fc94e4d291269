package store_test

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/storetest"
)

const redisStartHint = `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`

// redisAddr asks once whether Redis answers, so an unreachable address costs one
// timeout for the whole run rather than one per test.
var redisAddr = sync.OnceValues(func() (string, error) {
	addr := cmp.Or(os.Getenv("ADPLAN_TEST_REDIS_ADDR"), "127.0.0.1:6379")
	client := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return addr, client.Ping(ctx).Err()
})

// requireRedis returns the test Redis's address, skipping the test when there is
// none, except in CI (ADPLAN_REQUIRE_REDIS=1), where a silently skipped suite would
// let Redis bugs through.
func requireRedis(t *testing.T) string {
	t.Helper()
	addr, err := redisAddr()
	if err != nil {
		msg := fmt.Sprintf("no Redis at %s (%v); start one with\n\t%s\nor point ADPLAN_TEST_REDIS_ADDR at one", addr, err, redisStartHint)
		if os.Getenv("ADPLAN_REQUIRE_REDIS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return addr
}

func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	addr := requireRedis(t)
	client := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { client.Close() })
	return client
}

// openRedis returns a store whose keys start with a prefix of its own, deleted when
// the test ends, so tests can run in parallel and leave the server as they found it.
func openRedis(t *testing.T, opts store.RedisOptions) (*store.Redis, *redis.Client, string) {
	t.Helper()
	client := redisClient(t)
	if opts.Prefix == "" {
		opts.Prefix = "adplantest:" + rand.Text() + ":"
	}
	t.Cleanup(func() { deleteKeys(t, client, opts.Prefix+"*") })
	return store.NewRedis(client, opts), client, opts.Prefix
}

func deleteKeys(t *testing.T, client *redis.Client, pattern string) {
	t.Helper()
	// t.Context is already cancelled while cleanups run.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys, err := scanKeys(ctx, client, pattern)
	if err == nil && len(keys) > 0 {
		err = client.Del(ctx, keys...).Err()
	}
	if err != nil {
		t.Errorf("deleting test keys %s: %v", pattern, err)
	}
}

func scanKeys(ctx context.Context, client *redis.Client, pattern string) ([]string, error) {
	var keys []string
	iter := client.Scan(ctx, 0, pattern, 100).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	slices.Sort(keys)
	return keys, iter.Err()
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
			if err := s.Save(ctx, storetest.Thread("C1/1", 1), 0); err != nil {
				t.Fatalf("Save: %v", err)
			}
			checkTTL("after the first save")

			// Every save must restart the clock, or an active thread would expire
			// 30 days after it began rather than after it went quiet.
			if err := client.PExpire(ctx, key, shortened).Err(); err != nil {
				t.Fatalf("PEXPIRE: %v", err)
			}
			if err := s.Save(ctx, storetest.Thread("C1/1", 2), 1); err != nil {
				t.Fatalf("Save: %v", err)
			}
			checkTTL("after the second save")
		})
	}
}

func TestRedisEventTTL(t *testing.T) {
	s, client, prefix := openRedis(t, store.RedisOptions{})
	if _, err := s.MarkEvent(t.Context(), "Ev01", 90*time.Second); err != nil {
		t.Fatalf("MarkEvent: %v", err)
	}
	got, err := client.PTTL(t.Context(), prefix+"event:Ev01").Result()
	if err != nil {
		t.Fatalf("PTTL: %v", err)
	}
	if got <= 80*time.Second || got > 90*time.Second {
		t.Errorf("TTL of the event key = %v; want just under 90s", got)
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
			if err := s.Save(ctx, storetest.Thread("C1/"+own, 1), 0); err != nil {
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
		})
	}
}

func TestRedisCorrupt(t *testing.T) {
	requireRedis(t)
	const id = "C9/1"
	tests := []struct {
		name      string
		give      func(ctx context.Context, client *redis.Client, key string) error
		want      string
		saveFails bool // whether Save over the value must fail too, rather than repair it
	}{
		{
			name: "not JSON",
			give: func(ctx context.Context, c *redis.Client, key string) error {
				return c.HSet(ctx, key, "n", 1, "json", `{"id":`).Err()
			},
			want: "corrupt stored value",
		},
		{
			name: "count disagrees",
			give: func(ctx context.Context, c *redis.Client, key string) error {
				return c.HSet(ctx, key, "n", 2, "json", `{"id":"C9/1","versions":[{"n":1}]}`).Err()
			},
			want: "1 versions, count says 2",
		},
		{
			name: "count not a number",
			give: func(ctx context.Context, c *redis.Client, key string) error {
				return c.HSet(ctx, key, "n", "one", "json", `{"id":"C9/1","versions":[{"n":1}]}`).Err()
			},
			want:      "corrupt stored value",
			saveFails: true,
		},
		{
			name: "count missing",
			give: func(ctx context.Context, c *redis.Client, key string) error {
				return c.HSet(ctx, key, "json", `{"id":"C9/1","versions":[{"n":1}]}`).Err()
			},
			want:      "corrupt stored value",
			saveFails: true,
		},
		{
			name: "not a hash",
			give: func(ctx context.Context, c *redis.Client, key string) error {
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
			err = s.Save(ctx, storetest.Thread(id, 2), 1)
			if err == nil || errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "saving thread "+id) {
				t.Errorf("Save over a corrupt value = %v; want an error naming the thread, not a conflict", err)
			}
		})
	}
}

// A Redis that is down must not look like an empty one, or the bot would start
// every thread afresh.
func TestRedisUnreachable(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { client.Close() })
	s := store.NewRedis(client, store.RedisOptions{})
	ctx := t.Context()
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping succeeded")
	}
	if _, err := s.Load(ctx, "C1/1"); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load = %v; want an error other than ErrNotFound", err)
	}
	if err := s.Save(ctx, storetest.Thread("C1/1", 1), 0); err == nil || errors.Is(err, store.ErrConflict) {
		t.Errorf("Save = %v; want an error other than ErrConflict", err)
	}
	if first, err := s.MarkEvent(ctx, "Ev01", time.Minute); err == nil {
		t.Errorf("MarkEvent = %t, nil; want an error", first)
	}
}
