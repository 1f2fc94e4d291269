package store

import (
	"context"
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
// A thread is a hash at <prefix>thread:<id> with fields n (its version count) and json
// (the thread); an event id is a string at <prefix>event:<id>.
type Redis struct {
	client    *redis.Client
	prefix    string
	threadTTL time.Duration
}

// NewRedis returns a store using client, which the caller keeps and closes.
func NewRedis(client *redis.Client, opts RedisOptions) *Redis {
	r := &Redis{client: client, prefix: opts.Prefix, threadTTL: opts.ThreadTTL}
	if r.prefix == "" {
		r.prefix = "adplan:"
	}
	if r.threadTTL == 0 {
		r.threadTTL = DefaultThreadTTL
	}
	return r
}

func (r *Redis) threadKey(id string) string { return r.prefix + "thread:" + id }
func (r *Redis) eventKey(id string) string  { return r.prefix + "event:" + id }

// Load returns the thread stored under threadID, or ErrNotFound.
func (r *Redis) Load(ctx context.Context, threadID string) (*conversation.Thread, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, err)
	}
	vals, err := r.client.HMGet(ctx, r.threadKey(threadID), "n", "json").Result()
	if err != nil {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, err)
	}
	// HMGET answers nil fields rather than redis.Nil for a missing key.
	if vals[0] == nil && vals[1] == nil {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, ErrNotFound)
	}
	nField, _ := vals[0].(string)
	data, _ := vals[1].(string)
	n, err := strconv.Atoi(nField)
	if err != nil || vals[1] == nil {
		return nil, fmt.Errorf("loading thread %s: corrupt stored value: n=%q, json present: %t", threadID, nField, vals[1] != nil)
	}
	return decodeThread(threadID, []byte(data), n)
}

// redisSave compares the stored version count with the caller's and writes only when
// they match, all inside Redis so no other save can come between the check and the
// write. It answers -1 when it saved, else the stored count.
//
// KEYS[1] thread key; ARGV: previous count, new count, json, ttl in ms (<= 0: none).
var redisSave = redis.NewScript(`
local stored = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
	stored = tonumber(redis.call('HGET', KEYS[1], 'n'))
	if stored == nil then
		return redis.error_reply('corrupt stored value: version count is not a number')
	end
end
if stored ~= tonumber(ARGV[1]) then
	return stored
end
redis.call('HSET', KEYS[1], 'n', ARGV[2], 'json', ARGV[3])
if tonumber(ARGV[4]) > 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[4])
else
	redis.call('PERSIST', KEYS[1])
end
return -1
`)

// Save stores t if the stored thread has exactly prevVersions versions (0: none is
// stored yet); otherwise it stores nothing and returns ErrConflict. Every save
// restarts the thread's TTL.
func (r *Redis) Save(ctx context.Context, t *conversation.Thread, prevVersions int) error {
	if err := checkSave(t, prevVersions); err != nil {
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
		prevVersions, len(t.Versions), data, ttl).Int()
	if err != nil {
		return fmt.Errorf("saving thread %s: %w", t.ID, err)
	}
	if stored != -1 {
		return fmt.Errorf("saving thread %s: %d versions stored, %d expected: %w", t.ID, stored, prevVersions, ErrConflict)
	}
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
