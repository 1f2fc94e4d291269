package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/conversation"
)

// The suite cannot reach inside a store to damage it, so corrupt values are
// planted here.
func TestMemoryLoadCorrupt(t *testing.T) {
	tests := []struct {
		name string
		give memoryThread
		want string
	}{
		{name: "not JSON", give: memoryThread{json: []byte(`{"id":`), rev: 1}, want: "corrupt stored value"},
		{name: "wrong type", give: memoryThread{json: []byte(`{"id":"C9/1","rev":1,"versions":{}}`), rev: 1}, want: "corrupt stored value"},
		{name: "bad date", give: memoryThread{json: []byte(`{"id":"C9/1","rev":1,"versions":[{"n":1,"brief":{"schedule":{"start":"soon"}}}]}`), rev: 1}, want: "corrupt stored value"},
		{name: "another thread", give: memoryThread{json: []byte(`{"id":"C9/2","rev":1,"versions":[]}`), rev: 1}, want: `holds thread "C9/2"`},
		{name: "revision disagrees", give: memoryThread{json: []byte(`{"id":"C9/1","rev":1,"versions":[{"n":1}]}`), rev: 2}, want: "it says revision 1, the record 2"},
		{name: "revision missing", give: memoryThread{json: []byte(`{"id":"C9/1","versions":[{"n":1}]}`), rev: 1}, want: "it says revision 0, the record 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMemory()
			tt.give.id, tt.give.saved = "C9/1", time.Now()
			m.threads["C9/1"] = m.bySave.PushFront(&tt.give)
			got, err := m.Load(t.Context(), "C9/1")
			if err == nil {
				t.Fatalf("Load = %+v, nil; want an error", got)
			}
			if errors.Is(err, ErrNotFound) {
				t.Errorf("Load = %v; a corrupt value is not a missing one", err)
			}
			for _, want := range []string{"C9/1", tt.want} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Load error %q does not contain %q", err, want)
				}
			}
		})
	}
}

// Slack sends each event once and retries a few times, so ids pile up; expired ones
// must be dropped or a long-running bot leaks memory.
func TestMemoryMarkEventSweepsExpired(t *testing.T) {
	m := NewMemory()
	for i := range 3 * memoryMinSweep {
		if _, err := m.MarkEvent(t.Context(), fmt.Sprintf("Ev%d", i), time.Nanosecond); err != nil {
			t.Fatalf("MarkEvent: %v", err)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.events) >= memoryMinSweep {
		t.Errorf("%d event ids kept after they all expired; want fewer than %d", len(m.events), memoryMinSweep)
	}
}

// A memory store is bounded: a thread expires ThreadTTL after its last save, and past
// MaxThreads the thread saved longest ago makes room; a thread saved again counts as
// recent.
func TestMemoryThreadsExpireAndAreCapped(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	m := NewMemoryWith(MemoryOptions{ThreadTTL: time.Hour, MaxThreads: 3, Now: func() time.Time { return now }})
	save := func(id string) {
		t.Helper()
		th, err := m.Load(t.Context(), id)
		if errors.Is(err, ErrNotFound) {
			th = conversation.New(id)
		} else if err != nil {
			t.Fatal(err)
		}
		if err := m.Save(t.Context(), th); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
	has := func(id string) bool {
		_, err := m.Load(t.Context(), id)
		return err == nil
	}
	for _, id := range []string{"a", "b", "c"} {
		save(id)
	}
	save("a") // a is now the most recent
	save("d") // over the cap: b, saved longest ago, goes
	if has("b") || !has("a") || !has("c") || !has("d") || m.Threads() != 3 {
		t.Errorf("after the cap: a %v b %v c %v d %v, %d threads; want b forgotten, 3 kept", has("a"), has("b"), has("c"), has("d"), m.Threads())
	}
	now = now.Add(57 * time.Minute) // +62m: c (saved at +2m) is past its hour; a (+3m) and d (+4m) are not
	if has("c") || !has("a") || !has("d") {
		t.Errorf("after an hour: a %v c %v d %v; want c expired", has("a"), has("c"), has("d"))
	}
	now = now.Add(time.Hour)
	if n := m.Threads(); n != 0 {
		t.Errorf("%d threads two hours on; want none", n)
	}
}
