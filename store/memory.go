package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/adplan/adplan/conversation"
)

// Memory keeps threads and event ids in this process. It is safe for concurrent use.
// Threads never expire; event ids do, after the ttl given to MarkEvent.
type Memory struct {
	mu      sync.Mutex
	threads map[string]memoryThread
	events  map[string]time.Time // event id → expiry
	// sweepAt is the event count at which expired ids are next swept, so sweeping
	// costs amortised O(1) per MarkEvent and the map cannot grow without bound.
	sweepAt int
}

// memoryThread holds the thread as JSON, not as a pointer, so a caller mutating its
// thread after Save cannot change what is stored, and so Memory round-trips threads
// exactly as Redis does.
type memoryThread struct {
	json []byte
	rev  int
}

const memoryMinSweep = 1024

// NewMemory returns an empty store.
func NewMemory() *Memory {
	return &Memory{
		threads: map[string]memoryThread{},
		events:  map[string]time.Time{},
		sweepAt: memoryMinSweep,
	}
}

// Load returns the thread stored under threadID, or ErrNotFound.
func (m *Memory) Load(ctx context.Context, threadID string) (*conversation.Thread, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loading thread %s: %w", threadID, err)
	}
	m.mu.Lock()
	stored, ok := m.threads[threadID]
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
	if stored := m.threads[t.ID].rev; stored != t.Rev {
		return conflict(t, stored)
	}
	m.threads[t.ID] = memoryThread{json: data, rev: t.Rev + 1}
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
	now := time.Now()
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
