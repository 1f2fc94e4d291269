package session_test

import (
	"context"
	"errors"
	"testing"

	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
)

// TestUpdateKeepsAnotherWritersChange changes a thread while another writer saves it in
// between: Update reads it again and applies its change on top, so both are kept; a
// change that fails saves nothing, and another owner's thread is not found.
func TestUpdateKeepsAnotherWritersChange(t *testing.T) {
	stores(t, func(t *testing.T, st session.Store) {
		ctx := context.Background()
		svc := newService(t, st)
		turn, err := svc.Start(ctx, "alice", "awareness in Germany, 18-24, €5,000 over 30 days")
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		th, err := svc.Update(ctx, "alice", turn.Thread, func(th *conversation.Thread) error {
			calls++
			if calls == 1 {
				// Another writer saves first.
				if _, err := svc.Say(ctx, "alice", turn.Thread, "extend to 60 days"); err != nil {
					t.Fatal(err)
				}
			}
			th.Bookings = append(th.Bookings, conversation.Booking{ID: turn.Thread + ".b1", Version: len(th.Versions)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if calls != 2 || th.ID != turn.Thread {
			t.Errorf("fn ran %d times (want 2: once more after the conflict), thread id %q", calls, th.ID)
		}
		got, err := svc.Thread(ctx, "alice", turn.Thread)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Versions) != 2 || len(got.Bookings) != 1 || got.Booking(turn.Thread+".b1").Version != 2 {
			t.Errorf("stored %d versions and bookings %+v, want the other writer's version 2 and one booking of it", len(got.Versions), got.Bookings)
		}

		refused := errors.New("no")
		if _, err := svc.Update(ctx, "alice", turn.Thread, func(th *conversation.Thread) error {
			th.Bookings = nil
			return refused
		}); !errors.Is(err, refused) {
			t.Errorf("fn's error came back as %v", err)
		}
		if got, _ := svc.Thread(ctx, "alice", turn.Thread); len(got.Bookings) != 1 {
			t.Errorf("a failed change was saved: %d bookings", len(got.Bookings))
		}
		if _, err := svc.Update(ctx, "bob", turn.Thread, func(*conversation.Thread) error { return nil }); !errors.Is(err, session.ErrNotFound) {
			t.Errorf("bob updating alice's thread: %v, want ErrNotFound", err)
		}
	})
}
