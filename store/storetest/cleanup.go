package storetest

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
)

// DeleteKeys removes the keys a test wrote under its own prefix in the Redis at url,
// so a shared Redis (CI's) does not fill up with test threads and queues.
func DeleteKeys(t testing.TB, url, prefix string) {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Logf("cleaning up test keys: %v", err)
		return
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
	for iter.Next(ctx) {
		c.Del(ctx, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Logf("cleaning up test keys: %v", err)
	}
}
