package store

import (
	"context"

	"github.com/adplan/adplan/conversation"
)

// NewRedisClient builds the client OpenRedis would, without connecting, so tests can
// reach the same Redis underneath a store.
var NewRedisClient = newRedisClient

// SaveWithToken is Save with the token of a given call, to play go-redis retrying
// a save whose reply was lost.
func (r *Redis) SaveWithToken(ctx context.Context, t *conversation.Thread, token string) error {
	return r.save(ctx, t, token)
}
