package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Journal keeps, on this machine's disk, the jobs a replica acknowledged to Slack
// while the queue could not take them (Redis unreachable or full). Each Hold is
// fsynced before it returns, so an acknowledged job survives the replica dying; the
// replica, or the next one started on the same journal, queues them once Redis is
// back and Releases them. It is an embedded bbolt file: one process at a time.
type Journal struct {
	db   *bolt.DB
	path string
}

var journalBucket = []byte("held")

// HeldJob is a job in the journal, in the order it was held.
type HeldJob struct {
	EventID string
	Payload []byte
}

// OpenJournal opens (creating it and its directory) the journal at path. It waits up
// to a second for another process holding the file, then fails.
func OpenJournal(path string) (*Journal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("opening the journal %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("opening the journal %s: another process holds it", path)
		}
		return nil, fmt.Errorf("opening the journal %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(journalBucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the journal %s: %w", path, err)
	}
	return &Journal{db: db, path: path}, nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Hold keeps a job durably (the write is fsynced before Hold returns).
func (j *Journal) Hold(eventID string, payload []byte) error {
	if eventID == "" {
		return errors.New("holding a job in the journal: no event id")
	}
	err := j.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(journalBucket)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		// Keyed by arrival, so Held lists jobs in the order they came; the value
		// carries the event id, for Release.
		return b.Put(seqKey(seq), append([]byte(eventID+"\x00"), payload...))
	})
	if err != nil {
		return fmt.Errorf("holding job %s in the journal: %w", eventID, err)
	}
	return nil
}

// Held lists the jobs held, oldest first.
func (j *Journal) Held() ([]HeldJob, error) {
	var out []HeldJob
	err := j.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(journalBucket).ForEach(func(_, v []byte) error {
			id, payload, ok := cutNUL(v)
			if !ok {
				return nil // not written by Hold: skip rather than block the rest
			}
			out = append(out, HeldJob{EventID: id, Payload: append([]byte(nil), payload...)})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading the journal: %w", err)
	}
	return out, nil
}

// Release forgets the held job eventID, once the queue has it.
func (j *Journal) Release(eventID string) error {
	err := j.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(journalBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if id, _, ok := cutNUL(v); ok && id == eventID {
				return c.Delete()
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("releasing job %s from the journal: %w", eventID, err)
	}
	return nil
}

// Close closes the journal's file.
func (j *Journal) Close() error { return j.db.Close() }

func seqKey(seq uint64) []byte {
	k := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		k[i] = byte(seq)
		seq >>= 8
	}
	return k
}

func cutNUL(v []byte) (string, []byte, bool) {
	for i, c := range v {
		if c == 0 {
			return string(v[:i]), v[i+1:], true
		}
	}
	return "", nil, false
}
