package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// throttleScript is a generic cell rate algorithm (GCRA) on Redis's clock: one key
// holds the theoretical arrival time of the next call. A call is allowed when it comes
// no earlier than that time less the burst tolerance; otherwise the answer is how
// long to wait. All replicas share the key, so together they keep one budget.
var throttleScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local every = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if now < tat - tolerance then
  return tat - tolerance - now
end
local nextTat = tat + every
redis.call('SET', KEYS[1], nextTat, 'PX', math.floor((nextTat - now) / 1000) + 1000)
return 0
`)

// Throttle spends one call of the budget name: one call every `every`, in bursts of
// up to burst, shared by every replica on this Redis. It returns 0 when the call may
// go now, else how long to wait before asking again.
func (r *Redis) Throttle(ctx context.Context, name string, every time.Duration, burst int) (time.Duration, error) {
	if every <= 0 || burst < 1 {
		return 0, fmt.Errorf("throttling %s: a positive interval and burst are required", name)
	}
	tolerance := every * time.Duration(burst-1)
	wait, err := throttleScript.Run(ctx, r.client, []string{r.prefix + "{q}:throttle:" + name},
		every.Microseconds(), tolerance.Microseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("throttling %s: %w", name, err)
	}
	return time.Duration(wait) * time.Microsecond, nil
}
