package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
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
			m.threads["C9/1"] = tt.give
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
