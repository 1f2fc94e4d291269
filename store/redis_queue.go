package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis's work queue: a Stream read by a consumer group, so a request acknowledged
// to Slack lives in Redis until a worker has answered it. A worker that dies leaves its
// entry pending, and another worker claims it once it has been idle long enough.
//
// All queue keys share the hash tag {q}, so the enqueue script (event id, thread
// sequence and stream in one step) runs on a Redis Cluster too.

const queueGroup = "adplan"

func (r *Redis) streamKey() string              { return r.prefix + "{q}:jobs" }
func (r *Redis) queueEventKey(id string) string { return r.prefix + "{q}:event:" + id }
func (r *Redis) seqKey(thread string) string    { return r.prefix + "{q}:seq:" + thread }

// enqueueScript records the event id (once), numbers the job within its thread and
// adds it to the stream, all or nothing.
var enqueueScript = redis.NewScript(`
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) == false then
  return false
end
local seq = 0
if ARGV[2] ~= '' then
  seq = redis.call('INCR', KEYS[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
end
return redis.call('XADD', KEYS[2], '*', 'event', ARGV[3], 'thread', ARGV[2], 'seq', seq, 'payload', ARGV[4])
`)

// Enqueue adds a job unless a job was already queued under eventID within eventTTL
// (Slack re-delivers what it thinks was not acknowledged); first says which.
func (r *Redis) Enqueue(ctx context.Context, eventID, thread string, payload []byte, eventTTL time.Duration) (bool, error) {
	if eventID == "" || eventTTL <= 0 {
		return false, errors.New("queueing a job: an event id and a positive ttl are required")
	}
	if err := r.ensureGroup(ctx); err != nil {
		return false, err
	}
	seqTTL := r.threadTTL
	if seqTTL <= 0 {
		seqTTL = DefaultThreadTTL
	}
	res, err := enqueueScript.Run(ctx, r.client,
		[]string{r.queueEventKey(eventID), r.streamKey(), r.seqKey(thread)},
		eventTTL.Milliseconds(), thread, eventID, payload, seqTTL.Milliseconds()).Result()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("queueing event %s: %w", eventID, err)
	}
	if _, ok := res.(string); !ok {
		return false, fmt.Errorf("queueing event %s: unexpected answer %v", eventID, res)
	}
	return true, nil
}

func (r *Redis) ensureGroup(ctx context.Context) error {
	err := r.client.XGroupCreateMkStream(ctx, r.streamKey(), queueGroup, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("creating the work queue's consumer group: %w", err)
	}
	return nil
}

// Take hands consumer up to count new jobs, waiting up to block for one to arrive.
func (r *Redis) Take(ctx context.Context, consumer string, count int, block time.Duration) ([]Job, error) {
	if err := r.ensureGroup(ctx); err != nil {
		return nil, err
	}
	streams, err := r.client.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: queueGroup, Consumer: consumer, Streams: []string{r.streamKey(), ">"},
		Count: int64(count), Block: block,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("taking jobs: %w", err)
	}
	var jobs []Job
	for _, s := range streams {
		for _, m := range s.Messages {
			jobs = append(jobs, jobOf(m))
		}
	}
	return jobs, nil
}

// Reclaim hands consumer up to count jobs that another consumer took but has not
// finished for at least minIdle — a worker that died, or one that gave a job back.
func (r *Redis) Reclaim(ctx context.Context, consumer string, minIdle time.Duration, count int) ([]Job, error) {
	if err := r.ensureGroup(ctx); err != nil {
		return nil, err
	}
	msgs, _, err := r.client.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: r.streamKey(), Group: queueGroup, Consumer: consumer,
		MinIdle: minIdle, Start: "0-0", Count: int64(count),
	}).Result()
	if err != nil {
		return nil, fmt.Errorf("reclaiming jobs: %w", err)
	}
	jobs := make([]Job, 0, len(msgs))
	for _, m := range msgs {
		jobs = append(jobs, jobOf(m))
	}
	return jobs, nil
}

// Done removes a finished job from the queue.
func (r *Redis) Done(ctx context.Context, jobID string) error {
	pipe := r.client.TxPipeline()
	pipe.XAck(ctx, r.streamKey(), queueGroup, jobID)
	pipe.XDel(ctx, r.streamKey(), jobID)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("finishing job %s: %w", jobID, err)
	}
	return nil
}

// Pending reports how many jobs are queued and not yet finished — waiting for a
// worker or being worked on — and how long the oldest of them has waited since it was
// queued. Finished jobs leave the stream, so its length is the count.
func (r *Redis) Pending(ctx context.Context) (int64, time.Duration, error) {
	pipe := r.client.Pipeline()
	length := pipe.XLen(ctx, r.streamKey())
	first := pipe.XRangeN(ctx, r.streamKey(), "-", "+", 1)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, 0, fmt.Errorf("reading the queue: %w", err)
	}
	n, msgs := length.Val(), first.Val()
	if n == 0 || len(msgs) == 0 {
		return 0, 0, nil
	}
	ms, _, _ := strings.Cut(msgs[0].ID, "-")
	queued, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return n, 0, nil
	}
	return n, time.Since(time.UnixMilli(queued)), nil
}

func jobOf(m redis.XMessage) Job {
	j := Job{ID: m.ID}
	j.EventID, _ = m.Values["event"].(string)
	j.Thread, _ = m.Values["thread"].(string)
	if s, ok := m.Values["seq"].(string); ok {
		j.Seq, _ = strconv.ParseInt(s, 10, 64)
	}
	if p, ok := m.Values["payload"].(string); ok {
		j.Payload = []byte(p)
	}
	return j
}

func (r *Redis) appliedKey(thread string) string { return r.prefix + "{q}:applied:" + thread }

var markAppliedScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local given = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) > cur and tonumber(ARGV[1]) <= given then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
`)

// Applied returns the highest job sequence of thread that was finished (0 for none).
func (r *Redis) Applied(ctx context.Context, thread string) (int64, error) {
	n, err := r.client.Get(ctx, r.appliedKey(thread)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading thread %s's progress: %w", thread, err)
	}
	return n, nil
}

// MarkApplied records that thread's jobs up to seq are finished; it never moves back,
// and ignores a seq the queue has not given: a job numbered before Redis came back
// empty would otherwise make the thread's new jobs look done.
func (r *Redis) MarkApplied(ctx context.Context, thread string, seq int64) error {
	ttl := r.threadTTL
	if ttl <= 0 {
		ttl = DefaultThreadTTL
	}
	if err := markAppliedScript.Run(ctx, r.client, []string{r.appliedKey(thread), r.seqKey(thread)}, seq, ttl.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("recording thread %s's progress: %w", thread, err)
	}
	return nil
}

// renewScript resets the idle time of the given entries that consumer still holds,
// so a worker busy with a long job (model calls) keeps it; an entry another consumer
// has claimed meanwhile is left alone, and a finished one is skipped.
var renewScript = redis.NewScript(`
local n = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
  if p[1] and p[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'JUSTID')
    n = n + 1
  end
end
return n
`)

// Renew tells the queue that consumer is still working on the given jobs, so they
// are not reclaimed while it lives however long they take. It reports how many of
// them consumer still held.
func (r *Redis) Renew(ctx context.Context, consumer string, jobIDs ...string) (int, error) {
	if len(jobIDs) == 0 {
		return 0, nil
	}
	args := make([]any, 0, len(jobIDs)+2)
	args = append(args, queueGroup, consumer)
	for _, id := range jobIDs {
		args = append(args, id)
	}
	n, err := renewScript.Run(ctx, r.client, []string{r.streamKey()}, args...).Int()
	if err != nil {
		return 0, fmt.Errorf("renewing %d jobs: %w", len(jobIDs), err)
	}
	return n, nil
}

// handBackIdle is the idle time a handed-back job is given: far beyond any
// reclaim_after, so the next reclaimer of any replica takes it at once.
const handBackIdle = 24 * time.Hour

// HandBack returns consumer's unfinished jobs to the queue at once, instead of after
// reclaim_after, and forgets its heartbeat: a replica that stops does this with what it
// could not finish.
func (r *Redis) HandBack(ctx context.Context, consumer string) (int, error) {
	if err := r.ensureGroup(ctx); err != nil {
		return 0, err
	}
	pending, err := r.client.XPendingExt(ctx, &redis.XPendingExtArgs{
		Stream: r.streamKey(), Group: queueGroup, Consumer: consumer, Start: "-", End: "+", Count: 1000,
	}).Result()
	if err != nil {
		return 0, fmt.Errorf("listing %s's jobs: %w", consumer, err)
	}
	pipe := r.client.TxPipeline()
	if len(pending) > 0 {
		// XCLAIM's IDLE sets how long the entry counts as idle; go-redis's XClaimArgs
		// has no field for it, hence the raw command.
		args := []any{"XCLAIM", r.streamKey(), queueGroup, consumer, 0}
		for _, p := range pending {
			args = append(args, p.ID)
		}
		args = append(args, "IDLE", handBackIdle.Milliseconds(), "JUSTID")
		pipe.Do(ctx, args...)
	}
	pipe.Del(ctx, r.aliveKey(consumer))
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, fmt.Errorf("handing back %d jobs: %w", len(pending), err)
	}
	return len(pending), nil
}

// forgetConsumerScript removes a consumer from the group only when it holds no job: a
// consumer deleted with jobs pending would take them out of the queue for good.
var forgetConsumerScript = redis.NewScript(`
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then
  return 0
end
return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
`)

// ForgetIdleConsumers removes from the group the consumers that hold no job and have
// not asked for one in idleOver: replicas that stopped or died (every start makes a
// consumer of a new name), so the group's list does not grow with every deploy.
func (r *Redis) ForgetIdleConsumers(ctx context.Context, idleOver time.Duration) (int, error) {
	if err := r.ensureGroup(ctx); err != nil {
		return 0, err
	}
	consumers, err := r.client.XInfoConsumers(ctx, r.streamKey(), queueGroup).Result()
	if err != nil {
		return 0, fmt.Errorf("listing the queue's consumers: %w", err)
	}
	forgot := 0
	for _, c := range consumers {
		if c.Pending > 0 || c.Idle < idleOver {
			continue
		}
		if err := forgetConsumerScript.Run(ctx, r.client, []string{r.streamKey()}, queueGroup, c.Name).Err(); err != nil {
			return forgot, fmt.Errorf("forgetting consumer %s: %w", c.Name, err)
		}
		forgot++
	}
	return forgot, nil
}

func (r *Redis) aliveKey(consumer string) string { return r.prefix + "{q}:alive:" + consumer }

// Heartbeat records that consumer is alive for the next ttl.
func (r *Redis) Heartbeat(ctx context.Context, consumer string, ttl time.Duration) error {
	if err := r.client.Set(ctx, r.aliveKey(consumer), 1, ttl).Err(); err != nil {
		return fmt.Errorf("recording that %s is alive: %w", consumer, err)
	}
	return nil
}

// Alive reports whether consumer's last heartbeat has not yet expired.
func (r *Redis) Alive(ctx context.Context, consumer string) (bool, error) {
	n, err := r.client.Exists(ctx, r.aliveKey(consumer)).Result()
	if err != nil {
		return false, fmt.Errorf("checking whether %s is alive: %w", consumer, err)
	}
	return n == 1, nil
}

func (r *Redis) lifeKey() string { return r.prefix + "{q}:life" }

// lifeScript returns the queue's life mark, setting a new one when there is none
// (the first start, or Redis came back without its data).
var lifeScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur then return cur end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
`)

// Life names the queue's current life: it stays the same while Redis keeps its data
// and changes when Redis comes back without it (restarted with no persistence,
// flushed), so a replica can tell the jobs it queued are gone and queue them again.
func (r *Redis) Life(ctx context.Context) (string, error) {
	mark := strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatUint(rand.Uint64(), 36)
	life, err := lifeScript.Run(ctx, r.client, []string{r.lifeKey()}, mark).Text()
	if err != nil {
		return "", fmt.Errorf("reading the queue's life mark: %w", err)
	}
	return life, nil
}
