package redistest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/adplan/adplan/store/redistest"
)

// TestRestartEmptyForgetsWhatWasKept: a server restarted empty has lost what its
// append-only file held, and keeps what it is given afterwards across a Restart.
func TestRestartEmptyForgetsWhatWasKept(t *testing.T) {
	ctx := context.Background()
	s := redistest.Own(t, redistest.Options{AppendFsync: "always"})
	get := func(key string) (string, error) {
		c := redis.NewClient(&redis.Options{Addr: s.Addr()})
		defer c.Close()
		return c.Get(ctx, key).Result()
	}
	set := func(key string) {
		c := redis.NewClient(&redis.Options{Addr: s.Addr()})
		defer c.Close()
		if err := c.Set(ctx, key, "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	set("before")
	s.Kill()
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if v, err := get("before"); err != nil || v != "v" {
		t.Fatalf("after Restart: %q, %v; want the key kept", v, err)
	}
	s.Kill()
	if err := s.RestartEmpty(); err != nil {
		t.Fatal(err)
	}
	if _, err := get("before"); !errors.Is(err, redis.Nil) {
		t.Fatalf("after RestartEmpty: err %v; want the key gone", err)
	}
	set("after")
	s.Kill()
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if v, err := get("after"); err != nil || v != "v" {
		t.Errorf("after RestartEmpty and Restart: %q, %v; want the later key kept", v, err)
	}
}
