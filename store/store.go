// Package store persists conversation threads and remembers which Slack events have
// already been handled. Memory serves the CLI and tests; Redis lets several bot
// replicas share threads. Both give the same guarantees, checked by one suite in
// storetest: a Save succeeds only over the revision the caller loaded
// (conversation.Thread.Rev, which counts saves), so two replicas updating the same
// thread at once — a new version, the ts a plan was posted as, an approval — can never
// overwrite each other.
//
// # Opening Redis
//
// OpenRedis takes a URL in one of these forms (query parameters are go-redis's own,
// e.g. dial_timeout=3s, pool_size=20, max_retries=2, skip_verify=true; unknown ones are
// an error):
//
//	redis://[[user]:password@]host[:port][/db]       one server (port 6379, db 0 by default)
//	rediss://[[user]:password@]host[:port][/db]      the same over TLS
//	unix://[[user]:password@]/path/to/redis.sock[?db=N]
//
//	redis://[[user]:password@]host1:port1,host2:port2[,...]    Redis Cluster (also rediss://)
//	redis://[[user]:password@]host1:port1?addr=host2:port2     the same, go-redis's ParseClusterURL form
//	redis+cluster://[[user]:password@]host:port                a cluster behind one address, such as
//	                                                           a configuration endpoint (also rediss+cluster://)
//
//	redis+sentinel://[[user]:password@]sentinel1:26379[,sentinel2:26379][/db]?master_name=NAME[&password=P]
//	redis://sentinel1:26379?master_name=NAME[&addr=sentinel2:26379]   go-redis's ParseFailoverURL form
//	                                                           (also rediss+sentinel:// and rediss://)
//
// For Sentinel, as in go-redis, the URL's user and password are the Sentinels' own;
// the master's go in the username and password query parameters. A cluster has only
// database 0. Errors name the URL with every password replaced by "xxxxx".
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
	// ErrConflict means the stored thread is no longer at the revision the caller
	// loaded, so someone else saved first; reload, re-apply and save again.
	ErrConflict = errors.New("thread changed since it was loaded")
)

// checkSave rejects calls that are mistakes rather than races, so they are never
// mistaken for ErrConflict and retried forever.
func checkSave(t *conversation.Thread) error {
	switch {
	case t == nil:
		return errors.New("saving thread: nil thread")
	case t.ID == "":
		return errors.New("saving thread: empty thread id")
	case t.Rev < 0:
		return fmt.Errorf("saving thread %s: negative revision %d", t.ID, t.Rev)
	}
	return nil
}

// encodeThread encodes t as it will be stored: at the next revision, without
// touching t, which changes only once the save has succeeded.
func encodeThread(t *conversation.Thread) ([]byte, error) {
	next := *t
	next.Rev = t.Rev + 1
	b, err := json.Marshal(&next)
	if err != nil {
		return nil, fmt.Errorf("saving thread %s: encoding: %w", t.ID, err)
	}
	return b, nil
}

func conflict(t *conversation.Thread, stored int) error {
	if stored == 0 {
		return fmt.Errorf("saving thread %s: loaded at revision %d, but none is stored: %w", t.ID, t.Rev, ErrConflict)
	}
	return fmt.Errorf("saving thread %s: loaded at revision %d, stored is %d: %w", t.ID, t.Rev, stored, ErrConflict)
}

// decodeThread checks what it reads against what the key says, because a stored value
// that disagrees with its own revision would break the conflict check silently.
func decodeThread(id string, data []byte, rev int) (*conversation.Thread, error) {
	var t conversation.Thread
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("loading thread %s: corrupt stored value: %w", id, err)
	}
	if t.ID != id {
		return nil, fmt.Errorf("loading thread %s: corrupt stored value: it holds thread %q", id, t.ID)
	}
	if t.Rev != rev {
		return nil, fmt.Errorf("loading thread %s: corrupt stored value: it says revision %d, the record %d", id, t.Rev, rev)
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
