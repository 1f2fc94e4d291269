package bot_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/bot"
	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/redistest"
	"github.com/adplan/adplan/store/storetest"
)

// The end-to-end tests run the real bot, with the real slack-go Web API and Socket
// Mode clients, against a fake Slack speaking both protocols, and keep threads and
// work in real Redis where ADPLAN_TEST_REDIS_URL is set (CI sets it), else in memory.

const wait = 10 * time.Second

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

var (
	engineOnce  sync.Once
	testPlanner *planner.Planner
	coordinator *agents.Coordinator
	engineErr   error
)

func engine(t testing.TB) (*planner.Planner, *agents.Coordinator) {
	t.Helper()
	engineOnce.Do(func() {
		coordinator, engineErr = agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
		if engineErr == nil {
			testPlanner, engineErr = planner.New(planner.Options{})
		}
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return testPlanner, coordinator
}

// backend is where a bot keeps threads and work: Redis for both, under a prefix of
// the test's own, or memory. Replicas of one test share one backend.
type backend struct {
	store bot.Store
	queue bot.Queue
}

// newBackend returns Redis when ADPLAN_TEST_REDIS_URL is set (CI sets it) or
// ADPLAN_REQUIRE_REDIS=1 (then a redis-server of the test binary's own, unless the
// URL is set), else memory: the bot takes the same path through either.
func newBackend(t testing.TB) backend {
	t.Helper()
	if os.Getenv("ADPLAN_TEST_REDIS_URL") == "" && os.Getenv("ADPLAN_REQUIRE_REDIS") != "1" {
		return backend{store: store.NewMemory(), queue: store.NewMemoryQueue(nil)}
	}
	r := openRedis(t, redistest.URL(t))
	return backend{store: r, queue: r}
}

// openRedis opens the Redis at url under a prefix of the test's own, deleted when the
// test ends.
func openRedis(t testing.TB, url string) *store.Redis {
	t.Helper()
	prefix := "adplan-e2e-" + rand.Text()[:12] + ":"
	r, err := store.OpenRedis(context.Background(), url, store.RedisOptions{Prefix: prefix, ThreadTTL: time.Hour})
	if err != nil {
		t.Fatalf("opening Redis at %s: %v", url, err)
	}
	t.Cleanup(func() {
		r.Close()
		storetest.DeleteKeys(t, url, prefix)
	})
	return r
}

// harness is one running bot connected to a fake Slack.
type harness struct {
	srv   *slacktest.Server
	store bot.Store
	queue bot.Queue
	stop  func()
}

// startBot connects a new bot to srv, keeping threads and work in be.
func startBot(t testing.TB, srv *slacktest.Server, be backend, configure ...func(*bot.Options)) *harness {
	t.Helper()
	p, c := engine(t)
	api := slack.New(slacktest.BotToken, slack.OptionAppLevelToken(slacktest.AppToken), slack.OptionAPIURL(srv.URL()))
	opts := bot.Options{
		API: api, Socket: socketmode.New(api), Store: be.store, Queue: be.queue, Reader: c, Planner: p,
		Now: func() time.Time { return now },
		// The fake limits no method unless a test asks it to (and then sets this too).
		UpdatesPerMinute: 60000, UpdateBurst: 100,
		// Stopping a bot waits out its workers' blocked takes: keep them short.
		TakeWait: 100 * time.Millisecond,
	}
	if os.Getenv("ADPLAN_TEST_LOG") != "" {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	for _, f := range configure {
		f(&opts)
	}
	b, err := bot.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	before := srv.Connections()
	go func() { done <- b.Run(ctx) }()
	if err := srv.WaitConnections(before+1, wait); err != nil {
		t.Fatalf("the bot did not connect: %v", err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("bot.Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return &harness{srv: srv, store: opts.Store, queue: opts.Queue, stop: stop}
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	return startBot(t, slacktest.New(t), newBackend(t))
}

// drained waits until the queue holds no job: every job queued so far was answered.
func (h *harness) drained(t testing.TB) {
	t.Helper()
	eventually(t, func() bool { n, _, err := h.queue.Pending(context.Background()); return err == nil && n == 0 }, "the queue to drain")
}

// waitPlan waits for plan vN to be posted in the thread and returns the call.
func (h *harness) waitPlan(t testing.TB, channel, threadTS string, n int) slacktest.Call {
	t.Helper()
	header := "Plan v" + itoa(n)
	c, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.Channel() == channel && c.ThreadTS() == threadTS && strings.HasPrefix(c.Text(), header+":")
	}, wait)
	if err != nil {
		t.Fatalf("waiting for %s in %s/%s: %v\nmessages: %v", header, channel, threadTS, err, texts(h.srv.Messages(channel, threadTS)))
	}
	return c
}

func (h *harness) thread(t testing.TB, channel, threadTS string) *conversation.Thread {
	t.Helper()
	th, err := h.store.Load(context.Background(), slacktest.TeamID+"/"+channel+"/"+threadTS)
	if err != nil {
		t.Fatalf("loading thread %s/%s: %v", channel, threadTS, err)
	}
	return th
}

func plansIn(srv *slacktest.Server, channel, threadTS string) []string {
	var out []string
	for _, c := range srv.Messages(channel, threadTS) {
		if c.Method == "chat.postMessage" && c.ThreadTS() == threadTS && strings.HasPrefix(c.Text(), "Plan v") {
			out = append(out, c.Text())
		}
	}
	return out
}

func texts(calls []slacktest.Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Method+": "+c.Text())
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func blockTypes(t testing.TB, c slacktest.Call) []string {
	t.Helper()
	blocks, err := c.Blocks()
	if err != nil {
		t.Fatalf("decoding blocks: %v", err)
	}
	var types []string
	for _, b := range blocks.BlockSet {
		types = append(types, string(b.BlockType()))
	}
	return types
}

func mustBlocks(t testing.TB, c slacktest.Call) slack.Blocks {
	t.Helper()
	b, err := c.Blocks()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func messages(th *conversation.Thread) []string {
	var out []string
	for _, v := range th.Versions {
		out = append(out, v.Message)
	}
	return out
}

// eventually polls cond until it holds, for state the bot writes after the Slack call
// a test can wait on.
func eventually(t testing.TB, cond func() bool, what string) {
	t.Helper()
	eventuallyProgressing(t, cond, func() int { return 0 }, what)
}

// eventuallyProgressing waits for cond while the work it waits on keeps moving:
// it gives up only after wait passes with progress() unchanged. A thread that has
// forty throttled edits to make takes longer on a busy machine, and that is not a
// failure; edits that stop coming are.
func eventuallyProgressing(t testing.TB, cond func() bool, progress func() int, what string) {
	t.Helper()
	last, deadline := progress(), time.Now().Add(wait)
	for !cond() {
		if p := progress(); p != last {
			last, deadline = p, time.Now().Add(wait)
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (nothing moved for %v)", what, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// testWriter sends the bot's logs to the test's log (ADPLAN_TEST_LOG=1), for debugging.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
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

const brief = "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"
