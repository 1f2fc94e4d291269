package slacktest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/bot/slacktest"
)

func TestRateLimitSlidingWindow(t *testing.T) {
	const limit, window = 3, time.Second
	srv := slacktest.New(t, slacktest.WithRateLimit("chat.update", limit, window))
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)
	_, ts, err := api.PostMessage("C1", slack.MsgOptionText("plan v1", false))
	if err != nil {
		t.Fatal(err)
	}
	update := func() error {
		_, _, _, err := api.UpdateMessage("C1", ts, slack.MsgOptionText("superseded", false))
		return err
	}

	// Update until refused. The first three always pass; on a machine so slow that calls
	// are a third of a second apart the window keeps sliding and a few more pass.
	var limited *slack.RateLimitedError
	for i := 0; limited == nil; i++ {
		if i == 20 {
			t.Fatalf("20 chat.update calls and none refused")
		}
		err := update()
		if err != nil && !errors.As(err, &limited) {
			t.Fatalf("call %d: %v, want nil or a *slack.RateLimitedError", i+1, err)
		}
	}
	if limited.RetryAfter < time.Second || limited.RetryAfter > window {
		t.Errorf("RetryAfter = %v, want whole seconds in [1s, %v]", limited.RetryAfter, window)
	}

	// The server's own clock says why: each call was served while fewer than three served
	// calls lay within the second before it, and the refused one had three.
	calls := srv.Calls("chat.update")
	refused := calls[len(calls)-1]
	if refused.Error != "http 429" {
		t.Errorf("refused call recorded with Error %q, want %q", refused.Error, "http 429")
	}
	for i, c := range calls {
		if i < len(calls)-1 && !c.OK() {
			t.Errorf("call %d refused (%s) before the last", i+1, c.Error)
		}
		inWindow := 0
		for _, earlier := range calls[:i] {
			if c.Time.Sub(earlier.Time) < window {
				inWindow++
			}
		}
		if full := inWindow >= limit; full != (i == len(calls)-1) {
			t.Errorf("call %d had %d served calls in the window before it, yet ok = %v", i+1, inWindow, c.OK())
		}
	}
	if n := srv.RateLimited("chat.update"); n != 1 {
		t.Errorf("RateLimited(chat.update) = %d, want 1", n)
	}

	// Other methods are not limited.
	for range 5 {
		if _, _, err := api.PostMessage("C1", slack.MsgOptionText("more", false)); err != nil {
			t.Fatalf("chat.postMessage: %v", err)
		}
	}
	if n := srv.RateLimited("chat.postMessage"); n != 0 {
		t.Errorf("RateLimited(chat.postMessage) = %d", n)
	}

	// Once Retry-After has passed the oldest call has left the window.
	time.Sleep(limited.RetryAfter)
	if err := update(); err != nil {
		t.Errorf("chat.update after waiting Retry-After: %v", err)
	}
}

func TestRateLimitBody(t *testing.T) {
	srv := slacktest.New(t, slacktest.WithRateLimit("auth.test", 0, time.Minute))
	resp, err := http.PostForm(srv.URL()+"auth.test", map[string][]string{"token": {slacktest.BotToken}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" {
		t.Errorf("status %d, Retry-After %q; want 429 and 60", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	var body struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := decodeJSON(resp, &body); err != nil || body.OK || body.Error != "ratelimited" {
		t.Errorf("body = %+v, %v", body, err)
	}
}

func TestFailNextCountsAsRateLimited(t *testing.T) {
	srv := slacktest.New(t)
	srv.FailNext("chat.postMessage",
		slacktest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 1500 * time.Millisecond},
		slacktest.Fault{Status: http.StatusServiceUnavailable})
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)
	var limited *slack.RateLimitedError
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false)); !errors.As(err, &limited) || limited.RetryAfter != 2*time.Second {
		t.Errorf("first post: %v, want a rate limit with Retry-After 2s (1.5s rounded up)", err)
	}
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false)); err == nil || errors.As(err, &limited) {
		t.Errorf("second post: %v, want a 503", err)
	}
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false)); err != nil {
		t.Errorf("third post: %v", err)
	}
	if n := srv.RateLimited("chat.postMessage"); n != 1 {
		t.Errorf("RateLimited = %d, want 1 (the 503 is no rate limit)", n)
	}
}

func decodeJSON(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

// TestStormRefusesEveryCallUntilItEnds: during a storm every call of the method gets
// 429 with the storm's Retry-After, other methods are served, and once it has passed
// the method answers again.
func TestStormRefusesEveryCallUntilItEnds(t *testing.T) {
	srv := slacktest.New(t)
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)
	const d = 300 * time.Millisecond
	srv.Storm("chat.postMessage", d, 2*time.Second)
	start := time.Now()
	for i := range 5 {
		_, _, err := api.PostMessage("C1", slack.MsgOptionText("hi", false))
		var limited *slack.RateLimitedError
		if !errors.As(err, &limited) {
			if time.Since(start) >= d {
				t.Skipf("call %d came after the storm on a slow machine", i+1)
			}
			t.Fatalf("call %d in the storm: %v, want a *slack.RateLimitedError", i+1, err)
		}
		if limited.RetryAfter != 2*time.Second {
			t.Errorf("RetryAfter = %v, want 2s", limited.RetryAfter)
		}
	}
	if _, err := api.PostEphemeral("C1", "U1", slack.MsgOptionText("other method", false)); err != nil {
		t.Errorf("chat.postEphemeral during a chat.postMessage storm: %v", err)
	}
	if got := srv.RateLimited("chat.postMessage"); got != 5 {
		t.Errorf("RateLimited = %d, want 5", got)
	}
	time.Sleep(time.Until(start.Add(d)))
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("after", false)); err != nil {
		t.Errorf("after the storm: %v", err)
	}
}
