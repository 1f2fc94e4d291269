package bot_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"slices"
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
	"github.com/adplan/adplan/store/storetest"
)

// The end-to-end tests run the real bot, with the real slack-go Web API and Socket
// Mode clients, against a fake Slack speaking both protocols, and keep threads in real
// Redis where ADPLAN_TEST_REDIS_URL is set (CI sets it), else in memory.

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

// newStore returns the store the bot keeps threads in: Redis under a prefix of its own
// when ADPLAN_TEST_REDIS_URL is set, else memory.
func newStore(t testing.TB) bot.Store {
	t.Helper()
	url := os.Getenv("ADPLAN_TEST_REDIS_URL")
	if url == "" {
		if os.Getenv("ADPLAN_REQUIRE_REDIS") == "1" {
			t.Fatal("ADPLAN_REQUIRE_REDIS=1 but ADPLAN_TEST_REDIS_URL is not set")
		}
		return store.NewMemory()
	}
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "adplan-e2e-" + hex.EncodeToString(b) + ":"
	r, err := store.OpenRedis(context.Background(), url, store.RedisOptions{Prefix: prefix, ThreadTTL: time.Hour})
	if err != nil {
		t.Fatalf("opening Redis at ADPLAN_TEST_REDIS_URL: %v", err)
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
	stop  func()
}

// startBot connects a new bot to srv, keeping threads in st.
func startBot(t testing.TB, srv *slacktest.Server, st bot.Store, configure ...func(*bot.Options)) *harness {
	t.Helper()
	p, c := engine(t)
	api := slack.New(slacktest.BotToken, slack.OptionAppLevelToken(slacktest.AppToken), slack.OptionAPIURL(srv.URL()))
	opts := bot.Options{
		API: api, Socket: socketmode.New(api), Store: st, Reader: c, Planner: p,
		Now: func() time.Time { return now },
		// The fake limits no method unless a test asks it to (and then sets this too).
		UpdatesPerMinute: 60000, UpdateBurst: 100,
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
	return &harness{srv: srv, store: st, stop: stop}
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	return startBot(t, slacktest.New(t), newStore(t))
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

const brief = "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"

func TestSlashCommandPostsTheBriefAndThePlanInItsThread(t *testing.T) {
	h := newHarness(t)
	env := h.srv.SendSlashCommand(h.srv.SlashCommand("C1", "U1", brief))
	if _, err := h.srv.WaitAck(env, wait); err != nil {
		t.Fatal(err)
	}
	root, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.Channel() == "C1" && c.ThreadTS() == "" && strings.Contains(c.Text(), "asked")
	}, wait)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<@U1> asked: " + brief; root.Text() != want {
		t.Errorf("thread root = %q, want %q", root.Text(), want)
	}
	plan := h.waitPlan(t, "C1", root.TS, 1)
	types := blockTypes(t, plan)
	for _, want := range []string{"header", "table", "actions"} {
		if !slices.Contains(types, want) {
			t.Errorf("plan blocks %v lack a %s block", types, want)
		}
	}
	if !strings.Contains(plan.Text(), "REACH") || !strings.Contains(plan.Text(), "5,000 EUR") {
		t.Errorf("plan fallback text = %q", plan.Text())
	}
	// Where the plan was posted is saved right after posting it.
	eventually(t, func() bool {
		th := h.thread(t, "C1", root.TS)
		return len(th.Versions) == 1 && th.Versions[0].PostedAs == plan.TS && th.Versions[0].Plan != nil
	}, "the stored thread to record where plan v1 was posted")
}

func TestSlashCommandWithoutABriefAnswersWithAGuide(t *testing.T) {
	h := newHarness(t)
	for _, text := range []string{"", "help"} {
		env := h.srv.SendSlashCommand(h.srv.SlashCommand("C1", "U1", text))
		ack, err := h.srv.WaitAck(env, wait)
		if err != nil {
			t.Fatal(err)
		}
		var payload struct {
			ResponseType string          `json:"response_type"`
			Text         string          `json:"text"`
			Blocks       json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(ack.Payload, &payload); err != nil || payload.ResponseType != "ephemeral" || payload.Text == "" || len(payload.Blocks) < 10 {
			t.Errorf("/adplan %q acked with %s (%v); want an ephemeral guide", text, ack.Payload, err)
		}
	}
	if n := len(h.srv.Calls("chat.postMessage")); n != 0 {
		t.Errorf("the guide posted %d messages in the channel", n)
	}
}

func TestMentionAndDirectMessageGetAPlanInAThread(t *testing.T) {
	h := newHarness(t)
	mention := h.srv.AppMentionEvent("C2", "U1", "reach podcast listeners in the UK with £8,000 over 6 weeks")
	h.srv.SendEventsAPI(mention)
	h.waitPlan(t, "C2", mention.TS(), 1)

	dm := h.srv.MessageEvent("D1", "U1", "app installs from iPhone users in the US, $20k, Q1", "")
	h.srv.SendEventsAPI(dm)
	plan := h.waitPlan(t, "D1", dm.TS(), 1)
	if !strings.Contains(plan.Text(), "APP_INSTALLS") {
		t.Errorf("DM plan = %q", plan.Text())
	}
}

func TestFollowUpsReviseThePlanRunningOnlyWhatTheyTouch(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)

	steps := []struct {
		give    string
		wantRan []agents.Slot
		check   func(b agents.Brief) bool
	}{
		{"extend to 60 days", []agents.Slot{agents.SlotSchedule}, func(b agents.Brief) bool { return b.Schedule.Days == 60 && b.Budget.Amount == 5000 }},
		{"make it 8k", []agents.Slot{agents.SlotBudget}, func(b agents.Brief) bool { return b.Budget.Amount == 8000 && b.Schedule.Days == 60 }},
		{"add Austria too", []agents.Slot{agents.SlotAudience}, func(b agents.Brief) bool {
			return slices.Equal(b.Audience.Geo.Countries, []string{"DE", "AT"}) && b.Budget.Amount == 8000
		}},
	}
	prevTS := v1.TS
	for i, st := range steps {
		h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", st.give, m.TS()))
		plan := h.waitPlan(t, "C1", m.TS(), i+2)
		th := h.thread(t, "C1", m.TS())
		v := th.Versions[i+1]
		if !slices.Equal(v.Ran, st.wantRan) || !st.check(v.Brief) {
			t.Errorf("%q: ran %v, brief %+v %+v %+v", st.give, v.Ran, v.Brief.Budget, v.Brief.Schedule, v.Brief.Audience)
		}
		blocks, _ := json.Marshal(mustBlocks(t, plan))
		if !strings.Contains(string(blocks), "What changed") {
			t.Errorf("plan v%d has no What changed section", i+2)
		}
		if _, err := h.srv.WaitCall("chat.update", func(c slacktest.Call) bool {
			return c.Params.Get("ts") == prevTS && strings.Contains(c.Text(), "superseded by v"+itoa(i+2))
		}, wait); err != nil {
			t.Errorf("plan v%d was not marked superseded by v%d: %v", i+1, i+2, err)
		}
		prevTS = plan.TS
	}
}

func mustBlocks(t testing.TB, c slacktest.Call) slack.Blocks {
	t.Helper()
	b, err := c.Blocks()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestButtonsReviseAndApprove(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)

	// The first quick-revision button, as the plan offers it.
	var actionID, value, blockID string
	for _, b := range mustBlocks(t, v1).BlockSet {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, el := range a.Elements.ElementSet {
				if btn, ok := el.(*slack.ButtonBlockElement); ok && strings.Contains(btn.Text.Text, "30 days") {
					actionID, value, blockID = btn.ActionID, btn.Value, a.BlockID
				}
			}
		}
	}
	if actionID == "" {
		t.Fatal("plan v1 has no +30 days button")
	}
	env := h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", v1.TS, m.TS(), actionID, value, blockID))
	if _, err := h.srv.WaitAck(env, wait); err != nil {
		t.Fatal(err)
	}
	h.waitPlan(t, "C1", m.TS(), 2)
	if th := h.thread(t, "C1", m.TS()); th.Versions[1].Brief.Schedule.Days != 60 {
		t.Errorf("+30 days gave a %d-day flight", th.Versions[1].Brief.Schedule.Days)
	}

	h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", v1.TS, m.TS(), bot.ActionApprove, "2", "adplan:2"))
	if _, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.Contains(c.Text(), "approved by <@U2>")
	}, wait); err != nil {
		t.Fatal(err)
	}
	th := h.thread(t, "C1", m.TS())
	if len(th.Approvals) != 1 || th.Approvals[0].User != "U2" || th.Approvals[0].Version != 2 {
		t.Errorf("approvals = %+v", th.Approvals)
	}
}

func TestRedeliveredEventPostsNothingTwice(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	env := h.srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	again := h.srv.Redeliver(env)
	if _, err := h.srv.WaitAck(again, wait); err != nil {
		t.Fatalf("the re-delivery was not acknowledged: %v", err)
	}
	// A later message in the same thread is handled after anything queued before it,
	// so once its plan is up, a second v1 would have been posted too.
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", "make it 8k", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	if plans := plansIn(h.srv, "C1", m.TS()); len(plans) != 2 {
		t.Errorf("plans posted: %q; want v1 and v2 once each", plans)
	}
}

// TestRedeliveredSlashCommandPostsNothingTwice: Slack sends a slash command again
// under a new envelope id (it saw no ack in time); its trigger_id is the same, so the
// brief and its plan are posted once.
func TestRedeliveredSlashCommandPostsNothingTwice(t *testing.T) {
	h := newHarness(t)
	env := h.srv.SendSlashCommand(h.srv.SlashCommand("C1", "U1", brief))
	root, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == "" && strings.Contains(c.Text(), "asked")
	}, wait)
	if err != nil {
		t.Fatal(err)
	}
	h.waitPlan(t, "C1", root.TS, 1)
	again := h.srv.Redeliver(env)
	if _, err := h.srv.WaitAck(again, wait); err != nil {
		t.Fatalf("the re-delivery was not acknowledged: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // what a second run of the command would take
	roots := 0
	for _, c := range h.srv.Calls("chat.postMessage") {
		if c.OK() && c.ThreadTS() == "" && strings.Contains(c.Text(), "asked") {
			roots++
		}
	}
	if roots != 1 {
		t.Errorf("the brief was posted as a thread root %d times; want once", roots)
	}
}

func TestSimultaneousFollowUpsGiveVersionsInOrder(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U2", "make it 8k", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 3)
	th := h.thread(t, "C1", m.TS())
	if len(th.Versions) != 3 || th.Versions[1].Message != "extend to 60 days" || th.Versions[2].Message != "make it 8k" {
		t.Fatalf("versions: %d, messages %q", len(th.Versions), messages(th))
	}
	if b := th.Versions[2].Brief; b.Schedule.Days != 60 || b.Budget.Amount != 8000 {
		t.Errorf("v3 lost v2's change: %d days, %v", b.Schedule.Days, b.Budget.Amount)
	}
}

// TestTwoReplicasNeverForkAThread runs two bots on one store, as two replicas would,
// and sends each a follow-up to the same thread at the same moment: one saves first,
// the other re-applies its message on top, so the thread has versions 2 and 3.
func TestTwoReplicasNeverForkAThread(t *testing.T) {
	st := newStore(t)
	srvA, srvB := slacktest.New(t), slacktest.New(t)
	a, b := startBot(t, srvA, st), startBot(t, srvB, st)
	m := srvA.AppMentionEvent("C1", "U1", brief)
	srvA.SendEventsAPI(m)
	a.waitPlan(t, "C1", m.TS(), 1)

	// Both replicas see the thread (its root lives on A's fake; B posts into the same ids).
	srvA.SendEventsAPI(srvA.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
	srvB.SendEventsAPI(srvB.MessageEvent("C1", "U2", "make it 8k", m.TS()))
	deadline := time.Now().Add(wait)
	for {
		th := a.thread(t, "C1", m.TS())
		if len(th.Versions) == 3 {
			last := th.Versions[2].Brief
			if last.Schedule.Days != 60 || last.Budget.Amount != 8000 {
				t.Errorf("v3 = %d days, %v: a replica's change was lost", last.Schedule.Days, last.Budget.Amount)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("thread has %d versions (%q); want 3", len(th.Versions), messages(th))
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = b
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

func messages(th *conversation.Thread) []string {
	var out []string
	for _, v := range th.Versions {
		out = append(out, v.Message)
	}
	return out
}

func TestRestartMidThreadKeepsRevisingTheSamePlan(t *testing.T) {
	srv := slacktest.New(t)
	st := newStore(t)
	first := startBot(t, srv, st)
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	first.waitPlan(t, "C1", m.TS(), 1)
	first.stop()

	second := startBot(t, srv, st)
	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "double the budget", m.TS()))
	second.waitPlan(t, "C1", m.TS(), 2)
	th := second.thread(t, "C1", m.TS())
	if b := th.Versions[1].Brief; b.Budget.Amount != 10000 || b.Schedule.Days != 30 || b.Audience.Geo.Countries[0] != "DE" {
		t.Errorf("after the restart v2 = %+v %+v", b.Budget, b.Schedule)
	}
}

func TestUnreadableMessageGetsAFriendlyAnswer(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", "asdf")
	h.srv.SendEventsAPI(m)
	reply, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return c.ThreadTS() == m.TS() }, wait)
	if err != nil {
		t.Fatal(err)
	}
	if txt := reply.Text(); strings.Contains(txt, "nothing in the message") || !strings.Contains(strings.ToLower(txt), "budget") {
		t.Errorf("reply to asdf = %q; want a friendly note of what a brief needs", txt)
	}
	if _, err := h.store.Load(context.Background(), slacktest.TeamID+"/C1/"+m.TS()); err == nil {
		t.Error("an unreadable message was stored as a thread")
	}
}

func TestIgnoresItsOwnMessagesEditsJoinsAndStrangeThreads(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)

	own := h.srv.MessageEvent("C1", slacktest.BotUserID, "make it 8k", m.TS())
	bot := h.srv.MessageEvent("C1", "U9", "make it 8k", m.TS())
	bot["bot_id"] = "BOTHER"
	edit := h.srv.MessageEvent("C1", "U1", "make it 8k", m.TS())
	edit["subtype"] = "message_changed"
	join := h.srv.MessageEvent("C1", "U3", "<@U3> has joined the channel", "")
	join["subtype"] = "channel_join"
	stranger := h.srv.MessageEvent("C1", "U1", "make it 8k", "1600000000.000100")
	chatter := h.srv.MessageEvent("C1", "U1", "make it 8k", "")
	for _, ev := range []slacktest.Event{own, bot, edit, join, stranger, chatter} {
		h.srv.SendEventsAPI(ev)
	}
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	th := h.thread(t, "C1", m.TS())
	if len(th.Versions) != 2 || th.Versions[1].Brief.Budget.Amount != 5000 {
		t.Errorf("ignored messages changed the thread: %q", messages(th))
	}
	if calls := h.srv.Messages("C1", "1600000000.000100"); len(calls) != 0 {
		t.Errorf("the bot answered in a thread it has no plan in: %v", texts(calls))
	}
}

// TestReconnectsAfterTheSocketDrops: the connection goes away with no word from Slack
// (a network failure); the bot connects again and answers what is sent meanwhile.
func TestReconnectsAfterTheSocketDrops(t *testing.T) {
	h := newHarness(t)
	h.srv.DropConnections()
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	if err := h.srv.WaitConnections(2, wait); err != nil {
		t.Fatalf("no reconnection: %v", err)
	}
	h.waitPlan(t, "C1", m.TS(), 1)
}

func TestReconnectsAfterDisconnect(t *testing.T) {
	h := newHarness(t)
	h.srv.SendDisconnect("refresh_requested")
	if err := h.srv.WaitConnections(2, wait); err != nil {
		t.Fatalf("no reconnection: %v", err)
	}
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
}

func TestABriefWithGapsGetsAPlanAndOneQuestion(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", "awareness in Germany")
	h.srv.SendEventsAPI(m)
	plan := h.waitPlan(t, "C1", m.TS(), 1)
	q, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.HasSuffix(strings.TrimSpace(c.Text()), "?")
	}, wait)
	if err != nil {
		t.Fatalf("no question after a plan with assumptions: %v", err)
	}
	if !strings.Contains(strings.ToLower(q.Text()), "budget") || q.Time.Before(plan.Time) {
		t.Errorf("question %q; want one about the budget, after the plan", q.Text())
	}
	blocks, _ := json.Marshal(mustBlocks(t, plan))
	if !strings.Contains(string(blocks), "assumed") {
		t.Errorf("the plan does not label its assumptions")
	}
}

func TestAHugeMessageGetsAShortAnswer(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", strings.Repeat("grow awareness in Germany with €5,000 ", 1100)[:40000])
	h.srv.SendEventsAPI(m)
	reply, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return c.ThreadTS() == m.TS() }, wait)
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.Text()) > 500 || !strings.Contains(strings.ToLower(reply.Text()), "long") {
		t.Errorf("reply to a 40,000-character message = %q", reply.Text())
	}
}

// TestMarkupInABriefNeverPings sends a brief full of Slack markup and control
// characters; nothing the bot posts may carry live markup that pings or links.
func TestMarkupInABriefNeverPings(t *testing.T) {
	h := newHarness(t)
	evil := "awareness in Germany with €5,000 over 30 days <!channel> <!here> <@U999> <https://evil.example|click> \x07\x1b[31m for <#C999>"
	env := h.srv.SendSlashCommand(h.srv.SlashCommand("C1", "U1", evil))
	if _, err := h.srv.WaitAck(env, wait); err != nil {
		t.Fatal(err)
	}
	root, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return strings.Contains(c.Text(), "asked") }, wait)
	if err != nil {
		t.Fatal(err)
	}
	h.waitPlan(t, "C1", root.TS, 1)
	for _, c := range h.srv.Calls("") {
		if c.Method != "chat.postMessage" && c.Method != "chat.update" {
			continue
		}
		payload := c.Text() + c.Params.Get("blocks")
		for _, live := range []string{"<!channel>", "<!here>", "<@U999>", "<https://evil", "<#C999>", "\x07", "\x1b"} {
			if strings.Contains(payload, live) {
				t.Errorf("%s carries %q: %.300s", c.Method, live, payload)
			}
		}
	}
}

func TestButtonsOnlyActOnTheirOwnThreadsPlans(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)
	// A press claiming another channel's thread, and one on a message that is not a plan.
	h.srv.SendInteraction(h.srv.BlockAction("C2", "U2", v1.TS, m.TS(), bot.ActionApprove, "1", "adplan:1"))
	h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", m.TS(), m.TS(), bot.ActionApprove, "1", "adplan:1"))
	// A genuine press afterwards, on the same thread's worker, proves the others were handled.
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", "make it 8k", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	if th := h.thread(t, "C1", m.TS()); len(th.Approvals) != 0 {
		t.Errorf("forged presses approved the plan: %+v", th.Approvals)
	}
	for _, c := range h.srv.Calls("chat.postMessage") {
		if strings.Contains(c.Text(), "approved") {
			t.Errorf("a forged press was answered: %q in %s", c.Text(), c.Channel())
		}
	}
}

func TestEventsFromOtherWorkspacesOrAppsAreIgnored(t *testing.T) {
	for name, configure := range map[string]func(*bot.Options){
		"team": func(o *bot.Options) { o.AllowedTeams = []string{"T9"} },
		"app":  func(o *bot.Options) { o.AllowedApps = []string{"A9"} },
	} {
		t.Run(name, func(t *testing.T) {
			srv := slacktest.New(t)
			startBot(t, srv, newStore(t), configure)
			srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", brief))
			srv.SendSlashCommand(srv.SlashCommand("C1", "U1", brief))
			// Envelopes are dispatched in order, so once this one is acked the two
			// before it were dropped or queued.
			help := srv.SendSlashCommand(srv.SlashCommand("C1", "U1", "help"))
			ack, err := srv.WaitAck(help, wait)
			if err != nil {
				t.Fatal(err)
			}
			if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
				t.Errorf("answered a foreign workspace's /adplan help: %s", ack.Payload)
			}
			if calls := srv.Calls("chat.postMessage"); len(calls) != 0 {
				t.Errorf("posted for a foreign workspace or app: %v", texts(calls))
			}
		})
	}
}

func TestOnlyApproversMayApprove(t *testing.T) {
	srv := slacktest.New(t)
	h := startBot(t, srv, newStore(t), func(o *bot.Options) { o.Approvers = []string{"U7"} })
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)
	srv.SendInteraction(srv.BlockAction("C1", "U2", v1.TS, m.TS(), bot.ActionApprove, "1", "adplan:1"))
	if _, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return strings.Contains(c.Text(), "Only <@U7> can approve") }, wait); err != nil {
		t.Fatal(err)
	}
	srv.SendInteraction(srv.BlockAction("C1", "U7", v1.TS, m.TS(), bot.ActionApprove, "1", "adplan:1"))
	if _, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return strings.Contains(c.Text(), "approved by <@U7>") }, wait); err != nil {
		t.Fatal(err)
	}
	if th := h.thread(t, "C1", m.TS()); len(th.Approvals) != 1 || th.Approvals[0].User != "U7" {
		t.Errorf("approvals = %+v", th.Approvals)
	}
}

// TestTokensNeverReachTheLogs runs a full conversation with debug logging and scans
// every line for the tokens.
func TestTokensNeverReachTheLogs(t *testing.T) {
	var logs syncBuffer
	srv := slacktest.New(t)
	h := startBot(t, srv, newStore(t), func(o *bot.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)
	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "asdf", m.TS()))
	srv.SendInteraction(srv.BlockAction("C2", "U2", v1.TS, m.TS(), bot.ActionApprove, "1", "adplan:1"))
	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	srv.SendDisconnect("refresh_requested")
	if err := srv.WaitConnections(2, wait); err != nil {
		t.Fatal(err)
	}
	h.stop()
	out := logs.String()
	if !strings.Contains(out, `"thread"`) || !strings.Contains(out, `"event"`) {
		t.Errorf("logs carry no thread or event ids:\n%s", out)
	}
	for _, secret := range []string{slacktest.BotToken, slacktest.AppToken, "slacktest"} {
		if strings.Contains(out, secret) {
			t.Errorf("a token reached the logs (%q)", secret)
		}
	}
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

// TestSlackRateLimitsAndServerErrorsAreRetried makes Slack answer 429 with Retry-After
// and 503 before it accepts posts and edits: the plan still arrives, once.
func TestSlackRateLimitsAndServerErrorsAreRetried(t *testing.T) {
	h := newHarness(t)
	h.srv.FailNext("chat.postMessage",
		slacktest.Fault{Status: 429, RetryAfter: time.Second},
		slacktest.Fault{Status: 503},
		slacktest.Fault{Status: 429, RetryAfter: time.Second})
	h.srv.FailNext("chat.update", slacktest.Fault{Status: 429, RetryAfter: time.Second})
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	var plans, failed int
	for _, c := range h.srv.Calls("chat.postMessage") {
		switch {
		case c.Error != "":
			failed++
		case strings.HasPrefix(c.Text(), "Plan v1:"):
			plans++
		}
	}
	if plans != 1 || failed != 3 {
		t.Errorf("%d plans posted after %d failed calls; want 1 after 3", plans, failed)
	}
	eventually(t, func() bool {
		for _, c := range h.srv.Calls("chat.update") {
			if c.Error == "" {
				return true
			}
		}
		return false
	}, "the rate-limited edit to be retried")
}

// redisServer is a redis-server of the test's own, with an append-only file, so it can
// be stopped and started again on the same port without losing what it held.
type redisServer struct {
	t    *testing.T
	port int
	dir  string
	cmd  *exec.Cmd
}

func startRedisServer(t *testing.T) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("skipping: redis-server is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	r := &redisServer{t: t, port: port, dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *redisServer) url() string { return "redis://127.0.0.1:" + strconv.Itoa(r.port) + "/0" }

func (r *redisServer) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--dir", r.dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	eventually(r.t, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(r.port))
		if err == nil {
			c.Close()
		}
		return err == nil
	}, "redis-server to listen")
}

func (r *redisServer) stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	r.cmd.Process.Kill()
	r.cmd.Wait()
	r.cmd = nil
}

// TestRedisOutageIsAnsweredAndRecovered stops Redis mid-thread: the bot says in the
// thread that it cannot reach its store, keeps trying, and revises the right plan once
// Redis is back, with no version lost or forked.
func TestRedisOutageIsAnsweredAndRecovered(t *testing.T) {
	t.Run("in-process queue", func(t *testing.T) { redisOutage(t, false) })
	t.Run("durable queue", func(t *testing.T) { redisOutage(t, true) })
}

func redisOutage(t *testing.T, durable bool) {
	rs := startRedisServer(t)
	st, err := store.OpenRedis(context.Background(), rs.url(), store.RedisOptions{ThreadTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := slacktest.New(t)
	var configure []func(*bot.Options)
	if durable {
		configure = append(configure, withQueue(st, 2*time.Second))
	}
	h := startBot(t, srv, st, configure...)
	var roots []string
	for range 2 {
		m := srv.AppMentionEvent("C1", "U1", brief)
		srv.SendEventsAPI(m)
		h.waitPlan(t, "C1", m.TS(), 1)
		eventually(t, func() bool {
			p := h.thread(t, "C1", m.TS()).Versions[0].PostedAs
			return p != "" && !strings.HasPrefix(p, "posting:")
		}, "v1's message to be recorded")
		roots = append(roots, m.TS())
	}

	// Redis goes away; both threads get follow-ups, the first thread two.
	rs.stop()
	for _, msg := range []struct{ root, text string }{{roots[0], "make it 8k"}, {roots[1], "make it 8k"}, {roots[0], "extend to 60 days"}} {
		env := srv.SendEventsAPI(srv.MessageEvent("C1", "U1", msg.text, msg.root))
		if _, err := srv.WaitAck(env, wait); err != nil {
			t.Fatalf("the bot stopped acking while Redis was down: %v", err)
		}
	}
	for _, root := range roots {
		if _, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
			return c.ThreadTS() == root && strings.Contains(c.Text(), "can't reach my store")
		}, wait); err != nil {
			t.Fatalf("thread %s was not told the store is unreachable: %v", root, err)
		}
	}
	rs.start()
	h.waitPlan(t, "C1", roots[0], 3)
	h.waitPlan(t, "C1", roots[1], 2)
	want := [][]string{{brief, "make it 8k", "extend to 60 days"}, {brief, "make it 8k"}}
	for i, root := range roots {
		th := h.thread(t, "C1", root)
		if got := messages(th); !slices.Equal(got, want[i]) || th.Current().Budget.Amount != 8000 {
			t.Errorf("thread %d after the outage: versions %q, budget %v", i, got, th.Current().Budget.Amount)
		}
		if plans := plansIn(srv, "C1", root); len(plans) != len(want[i]) {
			t.Errorf("thread %d plans posted: %q", i, plans)
		}
		notices := 0
		for _, c := range srv.Messages("C1", root) {
			if strings.Contains(c.Text(), "can't reach my store") {
				notices++
			}
		}
		if notices != 1 {
			t.Errorf("thread %d was told %d times that the store is unreachable; want once", i, notices)
		}
	}
}

// testWriter sends the bot's logs to the test's log (ADPLAN_TEST_LOG=1), for debugging.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestAMessageDeliveredLateIsAppliedInTheOrderItWasSent: "make it 8k" was sent before
// "make it 9k" but Slack delivered it after (it retried it once the replica holding it
// had died). The plan keeps 9k, what was said last, and the thread is told why.
func TestAMessageDeliveredLateIsAppliedInTheOrderItWasSent(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	early := h.srv.MessageEvent("C1", "U1", "make it 8k", m.TS())
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", "make it 9k", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	h.srv.SendEventsAPI(early)
	if _, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.Contains(c.Text(), `sent before "make it 9k"`)
	}, wait); err != nil {
		t.Fatalf("no answer to the late message: %v", err)
	}
	th := h.thread(t, "C1", m.TS())
	if got := th.Current().Budget.Amount; got != 9000 || len(th.Versions) != 2 {
		t.Errorf("after the late 8k: budget %v in %d versions; want 9000 in 2", got, len(th.Versions))
	}
	if plans := plansIn(h.srv, "C1", m.TS()); len(plans) != 2 {
		t.Errorf("plans posted %q; want 2", plans)
	}
}
