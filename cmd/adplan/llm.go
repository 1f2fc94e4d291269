package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/llm"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/config"
)

// llmParts is what a configured language model adds to the engine. The zero value
// (llm.provider none) adds nothing: the rule-based engine, unchanged.
type llmParts struct {
	// Specialists go to CoordinatorOptions.Specialists; without a model, the
	// rule-based four.
	Specialists []agents.Specialist
	// Router goes to CoordinatorOptions.Router; nil routes by the rules alone.
	Router agents.Router
	// Notes goes to PlannerOptions.Notes; nil leaves plans without a note.
	Notes planner.Noter
	// Metrics counts model calls, answers used, fallbacks by reason, breaker opens and
	// notes kept or dropped; nil without a model.
	Metrics *llm.Metrics
}

// llmFor builds the language model side of the engine from cfg.LLM. Specialists,
// router and note writer share one client, one bound on concurrent calls
// (llm.max_concurrency), one circuit breaker and one set of metrics, so build it once
// per process.
func llmFor(cfg config.Config, log *slog.Logger) (llmParts, error) {
	model, err := newModel(cfg.LLM.Provider, cfg.LLM.Model, cfg.LLM.BaseURL, cfg.LLM.APIKey)
	if err != nil {
		return llmParts{}, fmt.Errorf("config: llm: %w", err)
	}
	if model == nil {
		return llmParts{Specialists: rules.Specialists()}, nil
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l, err := llm.New(llm.Options{
		Model:          model,
		Timeout:        cfg.LLM.Timeout,
		MaxConcurrency: cfg.LLM.MaxConcurrency,
		Mode:           cfg.LLM.Mode,
		Logger:         log.With("component", "llm", "provider", cfg.LLM.Provider),
	})
	if err != nil {
		return llmParts{}, fmt.Errorf("config: llm: %w", err)
	}
	log.Info("language model configured", "provider", cfg.LLM.Provider, "model", cfg.LLM.Model, "mode", l.Mode())
	return llmParts{Specialists: l.Specialists(), Router: l.Router(), Notes: l.NoteWriter(), Metrics: l.Metrics()}, nil
}

// specialistTimeoutFor is the coordinator's deadline for each specialist. With a model
// it outlasts one model call (llm.timeout, which includes the wait for a free slot), so
// that a slow model falls back to the rules instead of failing the message.
func specialistTimeoutFor(cfg config.Config) time.Duration {
	t := cfg.Agents.SpecialistTimeout
	if cfg.LLM.Provider != "" && cfg.LLM.Provider != providerNone {
		t = max(t, cfg.LLM.Timeout+250*time.Millisecond)
	}
	return t
}
