// Package store persists conversation threads and remembers which Slack events have
// already been handled. Memory serves the CLI and tests; Redis lets several bot
// replicas share threads. Both give the same guarantees, checked by one suite in
// storetest: a Save succeeds only against the version count the caller read, so two
// replicas answering the same thread at once can never overwrite each other's version.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/adplan/adplan/conversation"
)

var (
	// ErrNotFound means no thread is stored under the id.
	ErrNotFound = errors.New("thread not found")
	// ErrConflict means the stored thread no longer has the number of versions the
	// caller read, so someone else saved first; reload, re-apply and save again.
	ErrConflict = errors.New("thread changed since it was loaded")
)

// checkSave rejects calls that are mistakes rather than races, so they are never
// mistaken for ErrConflict and retried forever.
func checkSave(t *conversation.Thread, prevVersions int) error {
	switch {
	case t == nil:
		return errors.New("saving thread: nil thread")
	case t.ID == "":
		return errors.New("saving thread: empty thread id")
	case prevVersions < 0:
		return fmt.Errorf("saving thread %s: negative previous version count %d", t.ID, prevVersions)
	case len(t.Versions) < prevVersions:
		// Saving fewer versions than were read would drop someone's version.
		return fmt.Errorf("saving thread %s: %d versions would replace %d", t.ID, len(t.Versions), prevVersions)
	}
	return nil
}

func encodeThread(t *conversation.Thread) ([]byte, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("saving thread %s: encoding: %w", t.ID, err)
	}
	return b, nil
}

// decodeThread checks what it reads against what the key says, because a stored value
// that disagrees with its own version count would break the conflict check silently.
func decodeThread(id string, data []byte, n int) (*conversation.Thread, error) {
	var t conversation.Thread
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("loading thread %s: corrupt stored value: %w", id, err)
	}
	if t.ID != id {
		return nil, fmt.Errorf("loading thread %s: corrupt stored value: it holds thread %q", id, t.ID)
	}
	if len(t.Versions) != n {
		return nil, fmt.Errorf("loading thread %s: corrupt stored value: %d versions, count says %d", id, len(t.Versions), n)
	}
	return &t, nil
}

func checkMarkEvent(eventID string, ttl time.Duration) error {
	if eventID == "" {
		return errors.New("marking event: empty event id")
	}
	if ttl <= 0 {
		// Without an expiry every event id would be kept forever.
		return fmt.Errorf("marking event %s: ttl must be positive, got %v", eventID, ttl)
	}
	return nil
}
