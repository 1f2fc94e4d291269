package bot

import (
	"context"
	"errors"
	"time"

	"github.com/slack-go/slack"
)

// Slack's Web API answers 429 with Retry-After when a method's rate limit is hit, and
// sometimes 5xx. A plan that is ready must still reach the thread, so calls wait as
// long as Slack says and try again, for up to Options.SlackRetryFor; after that the
// job is left in the queue (slackUnavailable), not dropped.
const (
	slackFirstBackoff = 200 * time.Millisecond
	slackMaxWait      = 30 * time.Second
	// DefaultSlackRetryFor is Options.SlackRetryFor's default.
	DefaultSlackRetryFor = 5 * time.Minute
)

// slackUnavailable is a Slack call that still met rate limits or server errors when
// its retry time ran out: retrying later may succeed, so the job is kept.
type slackUnavailable struct{ err error }

func (e *slackUnavailable) Error() string { return e.err.Error() }
func (e *slackUnavailable) Unwrap() error { return e.err }

// retrySlack runs call until it succeeds, fails for a reason retrying cannot fix, has
// retried for Options.SlackRetryFor, or ctx ends.
func (b *Bot) retrySlack(ctx context.Context, method string, call func() error) error {
	backoff := slackFirstBackoff
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil {
			return nil
		}
		wait, retry := slackRetryAfter(err, backoff)
		if !retry {
			b.opts.Metrics.SlackError(method)
			return err
		}
		if time.Since(start)+wait > b.opts.SlackRetryFor {
			b.opts.Metrics.SlackError(method)
			return &slackUnavailable{err}
		}
		b.opts.Metrics.SlackRetry(method)
		b.log.Warn("slack asked to wait; retrying", "method", method, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		}
		backoff = min(2*backoff, slackMaxWait)
	}
}

// slackRetryAfter says whether err is worth retrying and how long to wait first.
func slackRetryAfter(err error, backoff time.Duration) (time.Duration, bool) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return min(max(rl.RetryAfter, slackFirstBackoff), slackMaxWait), true
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) && sc.Code >= 500 {
		return backoff, true
	}
	return 0, false
}

// post posts a message, retrying rate limits and server errors.
func (b *Bot) post(ctx context.Context, channel string, opts ...slack.MsgOption) (string, error) {
	var ts string
	err := b.retrySlack(ctx, "chat.postMessage", func() error {
		var err error
		_, ts, err = b.opts.API.PostMessageContext(ctx, channel, opts...)
		return err
	})
	return ts, err
}

// edit updates a message, retrying rate limits and server errors.
func (b *Bot) edit(ctx context.Context, channel, ts string, opts ...slack.MsgOption) error {
	return b.retrySlack(ctx, "chat.update", func() error {
		_, _, _, err := b.opts.API.UpdateMessageContext(ctx, channel, ts, opts...)
		return err
	})
}
