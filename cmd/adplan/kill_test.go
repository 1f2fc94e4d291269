package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents/llmtest"
	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/store/storetest"
)

// TestAReplicaKilledMidPlanIsFinishedByAnother runs two `adplan serve` processes on one
// Redis. The first takes a brief and is killed with SIGKILL while its model calls are
// still out; the second claims the job once it has been idle and posts the plan, once.
func TestAReplicaKilledMidPlanIsFinishedByAnother(t *testing.T) {
	redisURL := os.Getenv("ADPLAN_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("skipping: set ADPLAN_TEST_REDIS_URL to run replicas on Redis")
	}
	bin := filepath.Join(t.TempDir(), "adplan")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building adplan: %v\n%s", err, out)
	}
	srv := slacktest.New(t)
	model := llmtest.NewServer(t)
	model.AnswerTexts(llmtest.ClearAnswers)
	model.SetDelay(30 * time.Second) // the first replica never gets its answers
	prefix := "adplan-kill-test-" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
	t.Cleanup(func() { storetest.DeleteKeys(t, redisURL, prefix) })
	env := append(os.Environ(),
		"HOME="+t.TempDir(),
		"ADPLAN_SLACK_APP_TOKEN="+slacktest.AppToken, "ADPLAN_SLACK_BOT_TOKEN="+slacktest.BotToken,
		"ADPLAN_SLACK_API_URL="+srv.URL(), "ADPLAN_REDIS_URL="+redisURL, "ADPLAN_REDIS_KEY_PREFIX="+prefix,
		"ADPLAN_OPS_ADDR=off", "ADPLAN_BOT_RECLAIM_AFTER=1s",
		"ADPLAN_LLM_PROVIDER=openai", "ADPLAN_LLM_MODEL=test-model", "ADPLAN_LLM_BASE_URL="+model.OpenAIBaseURL(),
		"ADPLAN_LLM_API_KEY="+llmtest.APIKey, "ADPLAN_LLM_MODE=always", "ADPLAN_LLM_TIMEOUT=60s",
	)
	start := func(name string) *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--now", testNow)
		cmd.Env = env
		var logs strings.Builder
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
			if t.Failed() {
				t.Logf("%s logs:\n%s", name, logs.String())
			}
		})
		return cmd
	}

	a := start("replica A")
	if err := srv.WaitConnections(1, 30*time.Second); err != nil {
		t.Fatalf("replica A did not connect: %v", err)
	}
	m := srv.AppMentionEvent("C1", "U1", llmtest.ClearBrief)
	srv.SendEventsAPI(m)
	deadline := time.Now().Add(30 * time.Second)
	for len(model.Requests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("replica A never started planning")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := a.Process.Kill(); err != nil { // SIGKILL: no shutdown, no hand-back
		t.Fatal(err)
	}
	a.Wait()

	model.SetDelay(0)
	start("replica B")
	if _, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.HasPrefix(c.Text(), "Plan v1:")
	}, 60*time.Second); err != nil {
		t.Fatalf("replica B did not finish the job: %v", err)
	}
	// Give a stray second post the time it would take, then count.
	time.Sleep(2 * time.Second)
	plans := 0
	for _, c := range srv.Messages("C1", m.TS()) {
		if c.Method == "chat.postMessage" && strings.HasPrefix(c.Text(), "Plan v1:") {
			plans++
		}
	}
	if plans != 1 {
		t.Errorf("plan v1 posted %d times; want once", plans)
	}
}
