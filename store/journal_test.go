package store_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/adplan/adplan/store"
)

// Jobs held in the journal survive the process (the file is reopened, as a restarted
// replica would), come back in the order they were held, and go once released.
func TestJournalKeepsHeldJobsAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "journal.db")
	j, err := store.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"event:Ev1", "event:Ev2", "event:Ev3"} {
		if err := j.Hold(id, []byte(`{"text":"`+id+`"}`)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.OpenJournal(path); err == nil {
		t.Error("a second process opened the journal while the first held it")
	}
	if err := j.Release("event:Ev2"); err != nil {
		t.Fatal(err)
	}
	j.Close()

	j, err = store.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	held, err := j.Held()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range held {
		ids = append(ids, h.EventID)
		if string(h.Payload) != `{"text":"`+h.EventID+`"}` {
			t.Errorf("%s payload = %s", h.EventID, h.Payload)
		}
	}
	if !slices.Equal(ids, []string{"event:Ev1", "event:Ev3"}) {
		t.Errorf("held after a restart = %q, want Ev1 then Ev3", ids)
	}
	if err := j.Hold("", nil); err == nil {
		t.Error("a job with no event id was held")
	}
}
