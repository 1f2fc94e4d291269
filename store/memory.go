package store

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/adplan/adplan/conversation"
)

// Memory keeps threads and event ids in this process. It is safe for concurrent use.
// It is bounded, as a process's memory must be: a thread expires ThreadTTL after its
// last save, as in Redis, and past MaxThreads the thread saved longest ago is
// forgotten to make room. Event ids expire after the ttl given to MarkEvent.
type Memory struct {
	mu      sync.Mutex
	opts    MemoryOptions
	threads map[string]*list.Element // of *memoryThread
	// bySave orders the threads by last save, most recent first: the back is the
	// first to expire and the first forgotten at the cap.
	bySave list.List
	events map[string]time.Time // event id → expiry
	// sweepAt is the event count at which expired ids are next swept, so sweeping
	// costs amortised O(1) per MarkEvent and the map cannot grow without bound.
	sweepAt int
}

// MemoryOptions bounds a memory store; the zero value gives the defaults.
type MemoryOptions struct {
	// ThreadTTL is how long a thread is kept after its last save (default
	// DefaultThreadTTL, as Redis); negative means threads never expire.
	ThreadTTL time.Duration
	// MaxThreads is how many threads are kept at most (default DefaultMaxMemoryThreads).
	MaxThreads int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// DefaultMaxMemoryThreads bounds a memory store unless MemoryOptions says otherwise:
// a thread is a few kilobytes, so this is tens of megabytes at most.
const DefaultMaxMemoryThreads = 10000

// memoryThread holds the thread as JSON, not as a pointer, so a caller mutating its
// thread after Save cannot change what is stored, and so Memory round-trips threads
// exactly as Redis does.
type memoryThread struct {
	id    string
	json  []byte
	rev   int
	saved time.Time
}

const memoryMinSweep = 1024

// NewMemory returns an empty store with the default bounds.
func NewMemory() *Memory { return NewMemoryWith(MemoryOptions{}) }

// NewMemoryWith returns an empty store bounded by opts.
func NewMemoryWith(opts MemoryOptions) *Memory {
	if opts.ThreadTTL == 0 {
		opts.ThreadTTL = DefaultThreadTTL
	}
	if opts.MaxThreads <= 0 {
		opts.MaxThreads = DefaultMaxMemoryThreads
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Memory{
		opts:    opts,
		threads: map[string]*list.Element{},
		events:  map[string]time.Time{},
		sweepAt: memoryMinSweep,
	}
}

// expireLocked forgets the threads whose ttl has passed; m.mu is held.
func (m *Memory) expireLocked(now time.Time) {
	if m.opts.ThreadTTL < 0 {
		return
	}
	for e := m.bySave.Back(); e != nil; e = m.bySave.Back() {
		th := e.Value.(*memoryThread)
		if now.Sub(th.saved) < m.opts.ThreadTTL {
			return
		}
		m.forgetLocked(e)
	}
}

func (m *Memory) forgetLocked(e *list.Element) {
	delete(m.threads, e.Value.(*memoryThread).id)
	m.bySave.Remove(e)
}

// Threads reports how many threads the store holds now.
func (m *Memory) Threads() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireLocked(m.opts.Now())
	return len(m.threads)
}

// Load returns the thread stored under threadID, or ErrNotFound.
func (m *Memory) Load(ctx context.Context, threadID string) (*conversation.Thread, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, err)
	}
	m.mu.Lock()
	m.expireLocked(m.opts.Now())
	e, ok := m.threads[threadID]
	var stored memoryThread
	if ok {
		stored = *e.Value.(*memoryThread)
	}
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, ErrNotFound)
	}
	return decodeThread(threadID, stored.json, stored.rev)
}

// Save stores t if the stored thread is at revision t.Rev (0: none is stored yet),
// as revision t.Rev+1, and then sets t.Rev to it. Otherwise it stores nothing, leaves
// t as it was and returns ErrConflict.
func (m *Memory) Save(ctx context.Context, t *conversation.Thread) error {
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
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.opts.Now()
	m.expireLocked(now)
	e, ok := m.threads[t.ID]
	stored := 0
	if ok {
		stored = e.Value.(*memoryThread).rev
	}
	if stored != t.Rev {
		return conflict(t, stored)
	}
	if ok {
		th := e.Value.(*memoryThread)
		th.json, th.rev, th.saved = data, t.Rev+1, now
		m.bySave.MoveToFront(e)
	} else {
		for len(m.threads) >= m.opts.MaxThreads {
			m.forgetLocked(m.bySave.Back())
		}
		m.threads[t.ID] = m.bySave.PushFront(&memoryThread{id: t.ID, json: data, rev: t.Rev + 1, saved: now})
	}
	t.Rev++
	return nil
}

// MarkEvent reports whether this is the first call with eventID within ttl.
func (m *Memory) MarkEvent(ctx context.Context, eventID string, ttl time.Duration) (bool, error) {
	if err := checkMarkEvent(eventID, ttl); err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("marking event %s: %w", eventID, err)
	}
	now := m.opts.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if expiry, ok := m.events[eventID]; ok && now.Before(expiry) {
		return false, nil
	}
	m.events[eventID] = now.Add(ttl)
	if len(m.events) >= m.sweepAt {
		for id, expiry := range m.events {
			if !now.Before(expiry) {
				delete(m.events, id)
			}
		}
		m.sweepAt = max(2*len(m.events), memoryMinSweep)
	}
	return true, nil
}

// Ping reports only a done context: memory is always reachable.
func (m *Memory) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pinging memory store: %w", err)
	}
	return nil
}
