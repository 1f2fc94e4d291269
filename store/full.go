package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrStorageFull is what every store call returns, wrapped, when Redis refuses a
// write because it has reached maxmemory and may not evict (the "OOM command not
// allowed" reply): the store answers but cannot keep anything new, which is not the
// same trouble as being unreachable and is named so to users and operators.
var ErrStorageFull = errors.New("storage full")

// fullHook marks Redis's out-of-memory replies as ErrStorageFull on every command
// and pipeline, so no call site has to recognise them.
type fullHook struct{}

func (fullHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (fullHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if isOOM(err) {
			err = fmt.Errorf("%w: %w", ErrStorageFull, err)
			cmd.SetErr(err)
		}
		return err
	}
}

func (fullHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, c := range cmds {
			if isOOM(c.Err()) {
				c.SetErr(fmt.Errorf("%w: %w", ErrStorageFull, c.Err()))
			}
		}
		if isOOM(err) {
			err = fmt.Errorf("%w: %w", ErrStorageFull, err)
		}
		return err
	}
}

func isOOM(err error) bool {
	var rerr redis.Error
	return err != nil && !errors.Is(err, ErrStorageFull) && errors.As(err, &rerr) && strings.HasPrefix(rerr.Error(), "OOM ")
}

// probeTTL is how long the readiness probe's key lives; it is rewritten on every check.
const probeTTL = time.Minute

// Probe checks that Redis answers and takes a write, for readiness: a Redis at
// maxmemory answers pings while refusing every write, and a replica in front of it
// can then keep nothing it is sent.
func (r *Redis) Probe(ctx context.Context) error {
	if err := r.Ping(ctx); err != nil {
		return err
	}
	if err := r.client.Set(ctx, r.prefix+"probe", time.Now().UTC().Format(time.RFC3339Nano), probeTTL).Err(); err != nil {
		return fmt.Errorf("writing the readiness probe: %w", err)
	}
	return nil
}
