package slacktest

import (
	"math"
	"time"
)

// rateLimit is one method's sliding window (WithRateLimit). Guarded by Server.mu.
type rateLimit struct {
	limit  int
	window time.Duration
	served []time.Time // arrival of the calls served within the window, oldest first
}

// admit counts a call arriving at now against the window. When the window is full it
// refuses the call and says how long until the oldest served call leaves the window.
func (l *rateLimit) admit(now time.Time) (retryAfter time.Duration, ok bool) {
	gone := 0
	for gone < len(l.served) && !l.served[gone].Add(l.window).After(now) {
		gone++
	}
	l.served = l.served[gone:]
	if len(l.served) >= l.limit {
		if len(l.served) == 0 { // a limit of 0 refuses every call
			return l.window, false
		}
		return l.served[0].Add(l.window).Sub(now), false
	}
	// Calls are timed before they queue for s.mu, so keep arrival order explicitly.
	i := len(l.served)
	for i > 0 && l.served[i-1].After(now) {
		i--
	}
	l.served = append(l.served, time.Time{})
	copy(l.served[i+1:], l.served[i:])
	l.served[i] = now
	return 0, true
}

// retryAfterSeconds is a Retry-After header value: whole seconds, rounded up, at least 1,
// as Slack sends it and slack-go parses it.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// RateLimited is how many calls of method the fake has answered HTTP 429, whether from
// FailNext or WithRateLimit.
func (s *Server) RateLimited(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited[method]
}
