package planner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/agents/history"
	"github.com/adplan/adplan/agents/market"
)

// DefaultChannel is the buying channel a plan uses when none is asked for.
const DefaultChannel = "self-serve"

// Noter writes a plan's note: a short rationale from the computed plan, or "" for
// none (llm.NoteWriter is one). The planner calls it once a plan is built.
type Noter interface {
	Note(ctx context.Context, plan agents.Plan) string
}

// Options configures a Planner. The zero value plans from the embedded data.
type Options struct {
	// History is what the planner learns from; nil loads the embedded default set.
	History []history.Campaign
	// Facts are the market facts; nil uses the embedded ones.
	Facts *market.Facts
	// DefaultMarket is the market when a brief names none (ISO 3166-1 alpha-2).
	DefaultMarket string
	// DefaultCurrency is the plan currency when neither budget nor market gives one.
	DefaultCurrency string
	// Notes writes each plan's note (a NoteWriter, backed by a language model); nil
	// leaves Plan.Note empty.
	Notes Noter
}

// Planner turns a brief into a plan. It is built once (the forecast model is fitted on
// the history at that time) and is safe for concurrent use.
type Planner struct {
	facts           *market.Facts
	model           *forecast.Model
	rules           objectiveRules
	typical         typicalCampaigns
	historySize     int
	defaultMarket   string
	defaultCurrency string
	notes           Noter
}

// New loads the history and market facts and fits the forecasts.
func New(opts Options) (*Planner, error) {
	facts := opts.Facts
	if facts == nil {
		f, err := market.Load()
		if err != nil {
			return nil, fmt.Errorf("loading market facts: %w", err)
		}
		facts = f
	}
	campaigns := opts.History
	if campaigns == nil {
		c, err := history.Default()
		if err != nil {
			return nil, fmt.Errorf("loading the default history: %w", err)
		}
		campaigns = c
	}
	if len(campaigns) == 0 {
		return nil, errors.New("the history holds no campaigns to learn from")
	}
	// Markets back off to their region when they have too few campaigns of their
	// own, so the evidence reads "market → region Western Europe".
	model, err := forecast.FitWith(campaigns, forecast.Options{Region: func(code string) string {
		if m, ok := facts.Market(code); ok {
			return m.Region
		}
		return ""
	}})
	if err != nil {
		return nil, fmt.Errorf("fitting forecasts: %w", err)
	}
	rules, err := loadObjectiveRules()
	if err != nil {
		return nil, err
	}
	p := &Planner{
		facts:           facts,
		model:           model,
		rules:           rules,
		typical:         learnTypical(campaigns),
		historySize:     len(campaigns),
		defaultMarket:   strings.ToUpper(opts.DefaultMarket),
		defaultCurrency: strings.ToUpper(opts.DefaultCurrency),
		notes:           opts.Notes,
	}
	if p.defaultMarket == "" {
		p.defaultMarket = "US"
	}
	if _, ok := facts.Market(p.defaultMarket); !ok {
		return nil, fmt.Errorf("default market %q is not a market adplan has facts for", p.defaultMarket)
	}
	if p.defaultCurrency == "" {
		p.defaultCurrency = "USD"
	}
	return p, nil
}

// Plan builds the plan for a brief. now is the reference time ("tomorrow", dates in the
// past); channel is direct, self-serve or programmatic ("" = self-serve), the
// configured channel: a channel the brief names (Goal.Channel) comes first.
func (p *Planner) Plan(ctx context.Context, b agents.Brief, now time.Time, channel string) (agents.Plan, error) {
	return p.Revise(ctx, b, nil, now, channel)
}

// Revise builds the plan for a revised brief as Plan does, moving only what the
// revision touches: every ad set of prev (the plan of the brief before it) that the
// brief still allows keeps at least its minimum when the budget can pay for it, and
// each one dropped says why and what would keep it (Plan.Dropped). A nil prev plans
// from scratch.
func (p *Planner) Revise(ctx context.Context, b agents.Brief, prev *agents.Plan, now time.Time, channel string) (agents.Plan, error) {
	if err := ctx.Err(); err != nil {
		return agents.Plan{}, err
	}
	if b.Goal != nil && b.Goal.Channel != "" {
		channel = b.Goal.Channel
	}
	if channel == "" {
		channel = DefaultChannel
	}
	ch, err := p.facts.Channel(channel)
	if err != nil {
		return agents.Plan{}, err
	}
	in, err := p.complete(b, now, ch)
	if err != nil {
		return agents.Plan{}, err
	}
	cands, dropped := p.candidates(in)
	in.warnings = append(in.warnings, dropped...)
	if len(cands) == 0 {
		return agents.Plan{}, fmt.Errorf("nothing can be bought for this brief: %s", strings.Join(dropped, " "))
	}
	if prev != nil {
		in.keep = make([]string, len(prev.LineItems))
		for i, li := range prev.LineItems {
			in.keep[i] = li.ID
		}
	}
	alloc, short := p.allocate(in, cands)
	plan := p.assemble(b, in, cands, alloc)
	plan.Curve = p.curve(in, cands, alloc, plan)
	if prev != nil {
		plan.Added = p.added(in, cands, plan, *prev)
		plan.Dropped = p.dropped(in, cands, plan, short)
	}
	if p.notes != nil {
		plan.Note = p.notes.Note(ctx, plan)
	}
	return plan, nil
}

// HistorySize is how many past campaigns the planner learned from.
func (p *Planner) HistorySize() int { return p.historySize }
