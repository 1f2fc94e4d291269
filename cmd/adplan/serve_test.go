package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/store/storetest"
)

func TestServeNeedsBothTokensAndSaysHowToGetThem(t *testing.T) {
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", "")
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", "")
	_, errOut, code := adplan(t, "", "serve")
	if code != 2 || !strings.Contains(errOut, "slack.app_token") || !strings.Contains(errOut, "slack.bot_token") || !strings.Contains(errOut, "App-Level Tokens") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", "xoxb-wrong-kind")
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", "xoxb-1")
	_, errOut, code = adplan(t, "", "serve")
	if code != 2 || !strings.Contains(errOut, "slack.app_token") || !strings.Contains(errOut, "xapp-") || strings.Contains(errOut, "wrong-kind") {
		t.Errorf("a bot token given as the app token: exit %d, stderr %q", code, errOut)
	}
}

func TestServeRefusesAnUnreachableRedis(t *testing.T) {
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", slacktest.AppToken)
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", slacktest.BotToken)
	t.Setenv("ADPLAN_REDIS_URL", "redis://:hunter2@127.0.0.1:1/0")
	t.Setenv("ADPLAN_OPS_ADDR", "off")
	_, errOut, code := adplan(t, "", "serve")
	if code != 1 || !strings.Contains(errOut, "redis.url") || strings.Contains(errOut, "hunter2") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// syncBuffer is a bytes.Buffer safe to write from the bot and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeAnswersSlackAndStopsCleanly runs `adplan serve` as a user would, against
// the fake Slack, and stops it as SIGTERM would (by ending its context).
func TestServeAnswersSlackAndStopsCleanly(t *testing.T) {
	t.Run("memory", func(t *testing.T) { serveAndStop(t, "") })
	t.Run("redis queue", func(t *testing.T) {
		url := os.Getenv("ADPLAN_TEST_REDIS_URL")
		if url == "" {
			t.Skip("skipping: set ADPLAN_TEST_REDIS_URL to serve with Redis and its work queue")
		}
		serveAndStop(t, url)
	})
}

func serveAndStop(t *testing.T, redisURL string) {
	srv := slacktest.New(t)
	t.Chdir(t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", slacktest.AppToken)
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", slacktest.BotToken)
	t.Setenv("ADPLAN_SLACK_API_URL", srv.URL())
	t.Setenv("ADPLAN_REDIS_URL", redisURL)
	// Keys of this run only: the fake's message timestamps repeat from run to run.
	prefix := "adplan-serve-test-" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
	t.Setenv("ADPLAN_REDIS_KEY_PREFIX", prefix)
	if redisURL != "" {
		t.Cleanup(func() { storetest.DeleteKeys(t, redisURL, prefix) })
	}
	t.Setenv("ADPLAN_OPS_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--now", testNow}, strings.NewReader(""), &stdout, &stderr) }()
	if err := srv.WaitConnections(1, 15*time.Second); err != nil {
		t.Fatalf("serve did not connect: %v\n%s", err, stderr.String())
	}
	m := srv.AppMentionEvent("C1", "U1", "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days")
	srv.SendEventsAPI(m)
	if _, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.HasPrefix(c.Text(), "Plan v1:")
	}, 15*time.Second); err != nil {
		t.Fatalf("no plan: %v\n%s", err, stderr.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after the signal: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after the signal")
	}
	logs := stderr.String()
	wants := []string{"adplan serving Slack", "adplan stopped"}
	if redisURL == "" {
		wants = append(wants, "will not survive a restart")
	}
	for _, want := range wants {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}
