package bot_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/bot/slacktest"
)

// A word the bot did not read is named in the plan, and a currency it had to guess is
// asked about in the thread, once: a misread is never silent.
func TestThePlanNamesWhatItDidNotUnderstandAndAsksTheCurrencyOnce(t *testing.T) {
	srv := slacktest.New(t)
	h := startBot(t, srv, newBackend(t))
	m := srv.AppMentionEvent("C1", "U1", "awareness in Germany with lookalike audiences, 5000 $ over 30 days")
	srv.SendEventsAPI(m)
	plan := h.waitPlan(t, "C1", m.TS(), 1)
	blocks, err := plan.Blocks()
	if err != nil {
		t.Fatal(err)
	}
	if raw := blocksJSON(t, blocks); !strings.Contains(raw, "I did not understand: 'lookalike'.") {
		t.Errorf("plan v1 does not name the word it did not read:\n%s", raw)
	}
	asked := func() int {
		n := 0
		for _, c := range srv.Messages("C1", m.TS()) {
			if strings.Contains(c.Text(), "Which dollar is the budget of 5,000 in? I read it as USD for now.") {
				n++
			}
		}
		return n
	}
	eventually(t, func() bool { return asked() == 1 }, "the currency question")

	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "make it 6000", m.TS()))
	plan = h.waitPlan(t, "C1", m.TS(), 2)
	if blocks, _ := plan.Blocks(); strings.Contains(blocksJSON(t, blocks), "did not understand") {
		t.Errorf("plan v2 repeats v1's unread words")
	}
	// The reply follows from the stored version: v2 carries no question to post.
	if th := h.thread(t, "C1", m.TS()); th.Versions[1].Question != nil {
		t.Errorf("v2 asks %+v again; want each field asked once a thread", th.Versions[1].Question)
	}
	if n := asked(); n != 1 {
		t.Errorf("the currency question was asked %d times; want once a thread", n)
	}
}

func blocksJSON(t *testing.T, blocks slack.Blocks) string {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
