package store

// The work queue shared by bot replicas, in two implementations: Redis's (a Stream
// and a consumer group, redis_queue.go), which survives any one replica, and
// MemoryQueue, for a bot with no Redis. Both hold the same jobs in the same order,
// number a thread's jobs, remember who is alive and keep a shared call budget; the
// suite in queuetest runs on both.

// Job is one queued piece of work.
type Job struct {
	// ID names the job in the queue (a stream entry id); pass it to Done.
	ID string
	// EventID is the Slack event or envelope id the job was queued under.
	EventID string
	// Thread is the thread the job belongs to; "" for a job that starts its own thread.
	Thread string
	// Seq is the job's place among its thread's jobs, from 1 (0 when Thread is "").
	// Workers apply a thread's jobs in Seq order.
	Seq int64
	// Payload is the caller's description of the work.
	Payload []byte
}
