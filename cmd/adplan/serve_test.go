package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/redistest"
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

// With redis.startup_wait set, serve gives up on a Redis that never answers, naming the
// setting and never the password.
func TestServeGivesUpOnAnUnreachableRedisAfterItsStartupWait(t *testing.T) {
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", slacktest.AppToken)
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", slacktest.BotToken)
	t.Setenv("ADPLAN_REDIS_URL", "redis://:hunter2@127.0.0.1:1/0")
	t.Setenv("ADPLAN_REDIS_STARTUP_WAIT", "1s")
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

// TestServeReadinessFollowsRedisWrites: /readyz fails once Redis refuses writes
// (maxmemory reached, no eviction: it still answers pings) and is ready again once
// Redis has room. Each /readyz runs the write probe, so the change shows on the next
// request; the test logs how long it took and allows far more than that (the machine
// may be busy), so it checks the behaviour, not the speed.
func TestServeReadinessFollowsRedisWrites(t *testing.T) {
	rs := redistest.Own(t, redistest.Options{})
	srv := slacktest.New(t)
	t.Chdir(t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", slacktest.AppToken)
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", slacktest.BotToken)
	t.Setenv("ADPLAN_SLACK_API_URL", srv.URL())
	t.Setenv("ADPLAN_REDIS_URL", rs.URL())
	t.Setenv("ADPLAN_OPS_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--now", testNow}, strings.NewReader(""), &stdout, &stderr) }()
	t.Cleanup(func() { cancel(); <-done })
	if err := srv.WaitConnections(1, 15*time.Second); err != nil {
		t.Fatalf("serve did not connect: %v\n%s", err, stderr.String())
	}
	addr := regexp.MustCompile(`serving /healthz, /readyz and /metrics.*addr=(\S+)`).FindStringSubmatch(stderr.String())
	if addr == nil {
		t.Fatalf("no ops address in the log:\n%s", stderr.String())
	}
	var lastBody string
	readyz := func() int {
		resp, err := http.Get("http://" + addr[1] + "/readyz")
		if err != nil {
			return 0
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		lastBody = string(b)
		return resp.StatusCode
	}
	within := func(d time.Duration, want int, what string) {
		t.Helper()
		start := time.Now()
		for readyz() != want {
			if time.Since(start) > d {
				t.Fatalf("/readyz not %d within %s of %s", want, d, what)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("/readyz %d %s after %s", want, time.Since(start).Round(time.Millisecond), what)
	}
	within(15*time.Second, http.StatusOK, "start")
	// `adplan ready`, the container health check, asks the same /readyz.
	t.Setenv("ADPLAN_OPS_ADDR", addr[1])
	ready := func() (int, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"ready"}, strings.NewReader(""), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, out := ready(); code != 0 {
		t.Errorf("adplan ready on a ready bot = %d: %s", code, out)
	}
	admin := redis.NewClient(&redis.Options{Addr: rs.Addr()})
	defer admin.Close()
	for _, kv := range [][2]string{{"maxmemory-policy", "noeviction"}, {"maxmemory", "1"}} {
		if err := admin.ConfigSet(context.Background(), kv[0], kv[1]).Err(); err != nil {
			t.Fatal(err)
		}
	}
	within(30*time.Second, http.StatusServiceUnavailable, "Redis refusing writes")
	if !strings.Contains(lastBody, "storage full") {
		t.Errorf("/readyz says %q; want it to name the store full", lastBody)
	}
	if code, out := ready(); code != 1 || !strings.Contains(out, "storage full") {
		t.Errorf("adplan ready on a full store = %d: %s; want 1, naming the store full", code, out)
	}
	if err := admin.ConfigSet(context.Background(), "maxmemory", "0").Err(); err != nil {
		t.Fatal(err)
	}
	within(30*time.Second, http.StatusOK, "Redis having room again")
}

// At start-up serve waits for a Redis that does not answer yet (an orchestrator
// starting both at once), retrying with backoff while /readyz says what it waits for,
// and serves once Redis is up.
func TestServeWaitsForRedisAtStartUp(t *testing.T) {
	rs := redistest.Own(t, redistest.Options{})
	rs.Kill()
	srv := slacktest.New(t)
	t.Chdir(t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", slacktest.AppToken)
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", slacktest.BotToken)
	t.Setenv("ADPLAN_SLACK_API_URL", srv.URL())
	t.Setenv("ADPLAN_REDIS_URL", rs.URL())
	t.Setenv("ADPLAN_OPS_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--now", testNow}, strings.NewReader(""), &stdout, &stderr) }()
	t.Cleanup(func() { cancel(); <-done })
	opsAddr := regexp.MustCompile(`serving /healthz, /readyz and /metrics.*addr=(\S+)`)
	var body string
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(body, "redis: waiting at start-up") {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never said it waits for Redis (last %q):\n%s", body, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
		if m := opsAddr.FindStringSubmatch(stderr.String()); m != nil {
			if resp, err := http.Get("http://" + m[1] + "/readyz"); err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusServiceUnavailable {
					body = string(b)
				}
			}
		}
	}
	select {
	case code := <-done:
		t.Fatalf("serve exited %d while Redis was down: %s", code, stderr.String())
	default:
	}
	if err := rs.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitConnections(1, 60*time.Second); err != nil {
		t.Fatalf("serve did not connect once Redis was up: %v\n%s", err, stderr.String())
	}
	m := srv.AppMentionEvent("C1", "U1", "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days")
	srv.SendEventsAPI(m)
	if _, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.HasPrefix(c.Text(), "Plan v1:")
	}, 30*time.Second); err != nil {
		t.Fatalf("no plan: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "redis answers; starting") {
		t.Errorf("the log does not say Redis answered after waiting:\n%s", stderr.String())
	}
}

// A privacy request from the command line: `adplan forget --user` deletes the threads a
// user wrote in, as the bot saved them, and leaves the others.
func TestForgetDeletesAUsersThreads(t *testing.T) {
	rs := redistest.Own(t, redistest.Options{})
	ctx := context.Background()
	st, err := store.OpenRedis(ctx, rs.URL(), store.RedisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for id, user := range map[string]string{"T1/C1/1.1": "U1", "T1/C1/2.2": "U2"} {
		th := &conversation.Thread{ID: id, Versions: []conversation.Version{{N: 1, User: user, Message: "a brief"}}}
		if err := st.Save(ctx, th); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("ADPLAN_REDIS_URL", rs.URL())
	out, errOut, code := adplan(t, "", "forget", "--user", "U1")
	if code != 0 || !strings.Contains(out, "deleted 1 thread(s) of U1") || !strings.Contains(out, "T1/C1/1.1") {
		t.Fatalf("forget --user U1: exit %d, %q %q", code, out, errOut)
	}
	if _, err := st.Load(ctx, "T1/C1/1.1"); err == nil {
		t.Error("U1's thread is still stored")
	}
	if _, err := st.Load(ctx, "T1/C1/2.2"); err != nil {
		t.Errorf("another user's thread was deleted: %v", err)
	}
	if out, _, code := adplan(t, "", "forget", "--thread", "T1/C1/2.2"); code != 0 || !strings.Contains(out, "deleted thread T1/C1/2.2") {
		t.Errorf("forget --thread: exit %d, %q", code, out)
	}
	if _, errOut, code := adplan(t, "", "forget"); code != 2 || !strings.Contains(errOut, "--thread") {
		t.Errorf("forget with nothing to forget: exit %d, %q", code, errOut)
	}
}
