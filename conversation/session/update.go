package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
)

// Update changes the owner's thread with fn and saves it, loading it again and
// calling fn again when another writer saved first. fn sees the thread under its
// public id; an error from fn saves nothing and is returned as it is.
func (s *Service) Update(ctx context.Context, owner, thread string, fn func(*conversation.Thread) error) (*conversation.Thread, error) {
	k, err := lookupKey(owner, thread)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		th, err := s.load(ctx, k)
		if err != nil {
			return nil, err
		}
		th.ID = thread
		if err := fn(th); err != nil {
			return nil, err
		}
		th.ID = k
		err = s.Store.Save(ctx, th)
		th.ID = thread
		if err == nil {
			return th, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("saving thread: %w", err)
		}
		if attempt == saveAttempts {
			return nil, fmt.Errorf("saving thread: gave up after %d conflicting writers: %w", attempt, err)
		}
	}
}
