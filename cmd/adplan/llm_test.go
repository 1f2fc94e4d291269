package main

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/llmtest"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/config"
)

func TestLLMForNoneKeepsTheRules(t *testing.T) {
	var cfg config.Config
	cfg.LLM.Provider = "none"
	cfg.Agents.SpecialistTimeout = 2 * time.Second
	cfg.LLM.Timeout = 10 * time.Second
	parts, err := llmFor(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if parts.Router != nil || parts.Notes != nil || parts.Metrics != nil {
		t.Errorf("provider none built %+v, want no router, note writer or metrics", parts)
	}
	want := rules.Specialists()
	if len(parts.Specialists) != len(want) {
		t.Fatalf("provider none built %d specialists, want the %d rule-based ones", len(parts.Specialists), len(want))
	}
	for i, s := range parts.Specialists {
		if reflect.TypeOf(s) != reflect.TypeOf(want[i]) {
			t.Errorf("specialist %d is %T, want the rule-based %T", i, s, want[i])
		}
	}
	if got := specialistTimeoutFor(cfg); got != 2*time.Second {
		t.Errorf("specialist timeout = %s, want the configured 2s", got)
	}
}

func TestLLMForWiresTheEngine(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.AnswerTexts(llmtest.NoiseAnswers)
	var cfg config.Config
	cfg.LLM = config.LLM{Provider: "openai", Model: "test-model", BaseURL: srv.OpenAIBaseURL(), APIKey: llmtest.APIKey,
		Timeout: 3 * time.Second, MaxConcurrency: 4, Mode: "hybrid"}
	cfg.Agents.SpecialistTimeout = 2 * time.Second
	parts, err := llmFor(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts.Specialists) != 4 || parts.Router == nil || parts.Notes == nil || parts.Metrics == nil {
		t.Fatalf("parts = %+v", parts)
	}
	if got := specialistTimeoutFor(cfg); got <= cfg.LLM.Timeout {
		t.Errorf("specialist timeout %s does not outlast llm.timeout %s", got, cfg.LLM.Timeout)
	}
	coord, err := agents.NewCoordinator(agents.CoordinatorOptions{
		Specialists: parts.Specialists, Router: parts.Router, SpecialistTimeout: specialistTimeoutFor(cfg),
	})
	if err != nil {
		t.Fatal(err)
	}
	reading, err := coord.Read(context.Background(), agents.Brief{}, llmtest.NoiseBrief, false, llmtest.Now)
	if err != nil {
		t.Fatal(err)
	}
	if a := reading.Brief.Audience; a == nil || !slices.Equal(a.Geo.Countries, []string{"JP"}) {
		t.Errorf("audience = %+v, want JP from the model", a)
	}
	if parts.Metrics.Calls.Load() != 3 {
		t.Errorf("calls = %d, want 3", parts.Metrics.Calls.Load())
	}

	cfg.LLM.Model = ""
	if _, err := llmFor(cfg, nil); err == nil {
		t.Error("a provider without a model: no error")
	}
}

// TestParseUsesTheConfiguredModel runs `adplan parse` as a user would, with the
// provider set through the environment, against the local OpenAI-compatible server.
func TestParseUsesTheConfiguredModel(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.AnswerTexts(llmtest.NoiseAnswers)
	t.Setenv("ADPLAN_LLM_PROVIDER", "openai")
	t.Setenv("ADPLAN_LLM_MODEL", "test-model")
	t.Setenv("ADPLAN_LLM_BASE_URL", srv.OpenAIBaseURL())
	t.Setenv("ADPLAN_LLM_API_KEY", llmtest.APIKey)
	out, errOut, code := adplan(t, "", "parse", "--json", "--now", llmtest.Now.Format(time.RFC3339), llmtest.NoiseBrief)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"countries":["JP"]`) || len(srv.Requests()) == 0 {
		t.Errorf("parse with a model = %s (%d requests)", out, len(srv.Requests()))
	}

	// A clear brief costs no model call in hybrid mode.
	before := len(srv.Requests())
	if _, errOut, code := adplan(t, "", "parse", "--json", "--now", llmtest.Now.Format(time.RFC3339),
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := len(srv.Requests()) - before; n != 0 {
		t.Errorf("a clear brief made %d model requests in hybrid mode", n)
	}
}
