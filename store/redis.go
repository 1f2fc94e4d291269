package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/adplan/adplan/conversation"
)

// RedisOptions configures a Redis store; the zero value gives the defaults.
type RedisOptions struct {
	// Prefix starts every key, so several deployments can share one Redis.
	// Empty means "adplan:".
	Prefix string
	// ThreadTTL is how long a thread is kept after its last save. Zero means 30 days;
	// negative means threads never expire.
	ThreadTTL time.Duration
}

// DefaultThreadTTL is how long a thread is kept after its last save unless
// RedisOptions.ThreadTTL says otherwise.
const DefaultThreadTTL = 30 * 24 * time.Hour

// Redis keeps threads and event ids in Redis, so every bot replica sees the same state.
// A thread is a hash at <prefix>thread:<id> with fields rev (its revision), json (the
// thread, which repeats rev) and token (which Save call wrote it); an event id is a
// string at <prefix>event:<id>. Every key is a single key, so the store works on a
// Redis Cluster as on one server.
type Redis struct {
	client    redis.UniversalClient
	prefix    string
	threadTTL time.Duration
}

// NewRedis returns a store using client: a *redis.Client, *redis.ClusterClient, a
// Sentinel-backed client or anything else go-redis's universal client covers.
// Close closes the client.
func NewRedis(client redis.UniversalClient, opts RedisOptions) *Redis {
	r := &Redis{client: client, prefix: opts.Prefix, threadTTL: opts.ThreadTTL}
	client.AddHook(fullHook{})
	if r.prefix == "" {
		r.prefix = "adplan:"
	}
	if r.threadTTL == 0 {
		r.threadTTL = DefaultThreadTTL
	}
	return r
}

// Close closes the Redis client.
func (r *Redis) Close() error {
	if err := r.client.Close(); err != nil {
		return fmt.Errorf("closing redis: %w", err)
	}
	return nil
}

func (r *Redis) threadKey(id string) string { return r.prefix + "thread:" + id }
func (r *Redis) eventKey(id string) string  { return r.prefix + "event:" + id }

// Load returns the thread stored under threadID, or ErrNotFound.
func (r *Redis) Load(ctx context.Context, threadID string) (*conversation.Thread, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, err)
	}
	vals, err := r.client.HMGet(ctx, r.threadKey(threadID), "rev", "json").Result()
	if err != nil {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, err)
	}
	// HMGET answers nil fields rather than redis.Nil for a missing key.
	if vals[0] == nil && vals[1] == nil {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, ErrNotFound)
	}
	revField, _ := vals[0].(string)
	data, _ := vals[1].(string)
	rev, err := strconv.Atoi(revField)
	if err != nil || vals[1] == nil {
		return nil, fmt.Errorf("loading thread %s: corrupt stored value: rev=%q, json present: %t", threadID, revField, vals[1] != nil)
	}
	return decodeThread(threadID, []byte(data), rev)
}

// redisSave compares the stored revision with the caller's and writes only when they
// match, all inside Redis so no other save can come between the check and the write.
// It answers -1 when it saved, else the stored revision (0: none stored).
//
// go-redis retries a command whose reply was lost, so the script may run twice for
// one Save. The token, unique to each Save call, tells the second run that the first
// one wrote: it answers -1 again rather than a conflict, which would make the caller
// re-apply its change on top of itself.
//
// KEYS[1] thread key; ARGV: revision read, new revision, json, ttl in ms (<= 0: none),
// token.
var redisSave = redis.NewScript(`
local stored = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
	stored = tonumber(redis.call('HGET', KEYS[1], 'rev'))
	if stored == nil then
		return redis.error_reply('corrupt stored value: revision is not a number')
	end
end
if stored ~= tonumber(ARGV[1]) then
	if stored == tonumber(ARGV[2]) and redis.call('HGET', KEYS[1], 'token') == ARGV[5] then
		return -1
	end
	return stored
end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'json', ARGV[3], 'token', ARGV[5])
if tonumber(ARGV[4]) > 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[4])
else
	redis.call('PERSIST', KEYS[1])
end
return -1
`)

// Save stores t if the stored thread is at revision t.Rev (0: none is stored yet),
// as revision t.Rev+1, and then sets t.Rev to it. Otherwise it stores nothing, leaves
// t as it was and returns ErrConflict. Every save restarts the thread's TTL.
func (r *Redis) Save(ctx context.Context, t *conversation.Thread) error {
	return r.save(ctx, t, rand.Text())
}

func (r *Redis) save(ctx context.Context, t *conversation.Thread, token string) error {
	if err := checkSave(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("saving thread %s: %w", t.ID, err)
	}
	data, err := encodeThread(t)
	if err != nil {
		return err
	}
	ttl := r.threadTTL.Milliseconds()
	if r.threadTTL > 0 {
		// A sub-millisecond TTL must not round to 0, which the script reads as "never".
		ttl = max(ttl, 1)
	}
	stored, err := redisSave.Run(ctx, r.client, []string{r.threadKey(t.ID)},
		t.Rev, t.Rev+1, data, ttl, token).Int()
	if err != nil {
		return fmt.Errorf("saving thread %s: %w", t.ID, err)
	}
	if stored != -1 {
		return conflict(t, stored)
	}
	t.Rev++
	return nil
}

// MarkEvent reports whether this is the first call with eventID within ttl.
func (r *Redis) MarkEvent(ctx context.Context, eventID string, ttl time.Duration) (bool, error) {
	if err := checkMarkEvent(eventID, ttl); err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("marking event %s: %w", eventID, err)
	}
	first, err := r.client.SetNX(ctx, r.eventKey(eventID), 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("marking event %s: %w", eventID, err)
	}
	return first, nil
}

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("pinging redis: %w", err)
	}
	return nil
}
