package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"
)

// Privacy requests: a thread, or every thread a person wrote in or approved, is
// deleted at once rather than left to expire.

// Forget deletes the thread threadID; it reports whether there was one.
func (r *Redis) Forget(ctx context.Context, threadID string) (bool, error) {
	n, err := r.client.Del(ctx, r.threadKey(threadID)).Result()
	if err != nil {
		return false, fmt.Errorf("deleting thread %s: %w", threadID, err)
	}
	return n > 0, nil
}

// ForgetUser deletes every thread in which user sent a message or approved a plan,
// and returns their ids. It reads every thread (SCAN, on every master of a cluster):
// a rare request, not a hot path.
func (r *Redis) ForgetUser(ctx context.Context, user string) ([]string, error) {
	if user == "" {
		return nil, fmt.Errorf("deleting a user's threads: no user given")
	}
	var ids []string
	scan := func(ctx context.Context, c redis.UniversalClient) error {
		it := c.Scan(ctx, 0, r.prefix+"thread:*", 200).Iterator()
		for it.Next(ctx) {
			id := it.Val()[len(r.prefix+"thread:"):]
			th, err := r.Load(ctx, id)
			if err != nil {
				continue // expired meanwhile, or not a thread record
			}
			if slices.Contains(th.Participants(), user) {
				if _, err := r.Forget(ctx, id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
		}
		return it.Err()
	}
	var err error
	if cc, ok := r.client.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	} else {
		err = scan(ctx, r.client)
	}
	if err != nil {
		return ids, fmt.Errorf("deleting %s's threads: %w", user, err)
	}
	return ids, nil
}

// Forget deletes the thread threadID; it reports whether there was one.
func (m *Memory) Forget(ctx context.Context, threadID string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("deleting thread %s: %w", threadID, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.threads[threadID]
	if ok {
		m.forgetLocked(e)
	}
	return ok, nil
}

// ForgetUser deletes every thread in which user sent a message or approved a plan,
// and returns their ids.
func (m *Memory) ForgetUser(ctx context.Context, user string) ([]string, error) {
	if user == "" {
		return nil, fmt.Errorf("deleting a user's threads: no user given")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []string
	for id, e := range m.threads {
		stored := e.Value.(*memoryThread)
		th, err := decodeThread(id, stored.json, stored.rev)
		if err != nil || !slices.Contains(th.Participants(), user) {
			continue
		}
		m.forgetLocked(e)
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}
