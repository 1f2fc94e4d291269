package store_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
)

// A bot replica answering a message: drop Slack's retries, then load, apply and save,
// starting again from a fresh load whenever another replica saved first.
func ExampleMemory_Save() {
	ctx := context.Background()
	s := store.NewMemory()

	handle := func(eventID, threadID, text string) error {
		first, err := s.MarkEvent(ctx, eventID, 10*time.Minute)
		if err != nil || !first {
			return err
		}
		for range 5 {
			th, err := s.Load(ctx, threadID)
			if errors.Is(err, store.ErrNotFound) {
				th = conversation.New(threadID)
			} else if err != nil {
				return err
			}
			// The bot calls th.Apply(ctx, coordinator, text, now) here; recording
			// the ts a plan was posted as, or an approval, goes through the same loop.
			th.Versions = append(th.Versions, conversation.Version{N: len(th.Versions) + 1, Message: text})
			err = s.Save(ctx, th) // saves only over the revision loaded; sets th.Rev
			if !errors.Is(err, store.ErrConflict) {
				return err
			}
		}
		return fmt.Errorf("saving thread %s: gave up after repeated conflicts", threadID)
	}

	for _, m := range []struct{ event, text string }{
		{"Ev1", "5k in Germany over 30 days"},
		{"Ev1", "5k in Germany over 30 days"}, // Slack's retry
		{"Ev2", "extend to 60 days"},
	} {
		if err := handle(m.event, "C1/1700000000.000100", m.text); err != nil {
			fmt.Println(err)
		}
	}
	th, _ := s.Load(ctx, "C1/1700000000.000100")
	for _, v := range th.Versions {
		fmt.Println(v.N, v.Message)
	}
	fmt.Println("revision", th.Rev)
	// Output:
	// 1 5k in Germany over 30 days
	// 2 extend to 60 days
	// revision 2
}
