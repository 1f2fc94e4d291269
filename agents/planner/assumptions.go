package planner

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/market"
	"github.com/adplan/adplan/agents/money"
)

// planInputs is the brief made complete: every gap filled and labelled.
type planInputs struct {
	objective   agents.Objective
	markets     []string
	currency    string
	budget      float64 // lifetime, plan currency
	budgetType  string
	start, end  agents.Date
	days        int
	formats     []string
	maxShare    map[string]float64
	audience    agents.Audience
	channel     market.Channel
	assumptions []agents.Assumption
	warnings    []string
	// keep lists, for a revision, the previous plan's ad sets, largest first: each
	// keeps its minimum when the budget can pay for it.
	keep []string
}

// assume records a gap the planner filled, with the reason a user can check.
func (in *planInputs) assume(field, value, why string) {
	in.assumptions = append(in.assumptions, agents.Assumption{Field: field, Value: value, Why: why})
}

func (in *planInputs) warn(w string) { in.warnings = append(in.warnings, w) }

// complete fills in what the brief leaves out, each gap as a labelled assumption
// backed by the history or the market facts. The steps run in this order because
// each leans on the ones before: the typical flight and budget depend on the
// objective and the first market, and the budget on the flight's length.
func (p *Planner) complete(b agents.Brief, now time.Time, ch market.Channel) (planInputs, error) {
	in := planInputs{channel: ch}
	if b.Audience != nil {
		in.audience = b.Audience.Clone()
	}
	if err := p.completeMarkets(&in); err != nil {
		return in, err
	}
	p.completeGoal(&in, b.Goal)
	p.completeCurrency(&in, b.Budget)
	tomorrow := agents.DateOf(now).AddDays(1)
	if err := p.completeFlight(&in, b.Schedule, tomorrow); err != nil {
		return in, err
	}
	if err := p.completeBudget(&in, b.Budget); err != nil {
		return in, err
	}
	p.warnBeforeBuying(&in, tomorrow)
	return in, nil
}

// completeMarkets keeps the audience's countries adplan has facts for, or the default
// market when the brief names none.
func (p *Planner) completeMarkets(in *planInputs) error {
	in.markets = slices.Clone(in.audience.Geo.Countries)
	var unknown []string
	in.markets = slices.DeleteFunc(in.markets, func(c string) bool {
		if _, ok := p.facts.Market(c); !ok {
			unknown = append(unknown, c)
			return true
		}
		return false
	})
	if len(unknown) > 0 {
		in.warn(fmt.Sprintf("No Spotify ad market data for %s; left out of the plan.", strings.Join(unknown, ", ")))
	}
	if len(in.markets) == 0 && len(unknown) > 0 {
		// Planning the default market instead of the one asked for would answer a
		// question nobody asked.
		return fmt.Errorf("adplan has no Spotify ad market data for %s, so it cannot plan there", strings.Join(unknown, ", "))
	}
	if len(in.markets) == 0 {
		in.markets = []string{p.defaultMarket}
		in.assume("audience.geo.countries", p.defaultMarket, "the brief names no market; the configured default market")
	}
	return nil
}

// completeGoal takes the brief's objective and format limits, or the objective past
// campaigns in the first market chose most often.
func (p *Planner) completeGoal(in *planInputs, g *agents.Goal) {
	if g != nil && g.Objective != "" {
		in.objective = g.Objective
	} else {
		o := p.typical.objective[in.markets[0]]
		scope := "in " + in.markets[0]
		if o == "" {
			o, scope = p.typical.objective[""], "overall"
		}
		in.objective = o
		in.assume("goal.objective", string(o), fmt.Sprintf("the brief states no goal; %s is the most common objective of past campaigns %s", o, scope))
	}
	if g != nil {
		in.formats = slices.Clone(g.Formats)
		in.maxShare = g.MaxShare
	}
}

// completeCurrency picks the plan currency: the budget's, else the first market's,
// else the default; USD when there is no rate to convert it.
func (p *Planner) completeCurrency(in *planInputs, bu *agents.Budget) {
	switch {
	case bu != nil && bu.Currency != "":
		in.currency = bu.Currency
	default:
		if m, ok := p.facts.Market(in.markets[0]); ok && m.Currency != "" {
			in.currency = m.Currency
		} else {
			in.currency = p.defaultCurrency
		}
	}
	if _, ok := p.facts.USDPerUnit(in.currency); !ok {
		in.warn(fmt.Sprintf("No exchange rate for %s; the plan is in USD.", in.currency))
		in.currency = "USD"
	}
}

// completeFlight fills a missing end or missing dates with the median flight of
// similar past campaigns.
func (p *Planner) completeFlight(in *planInputs, s *agents.Schedule, tomorrow agents.Date) error {
	switch {
	case s != nil && !s.Start.IsZero() && !s.End.IsZero():
		in.start, in.end = s.Start, s.End
	case s != nil && !s.Start.IsZero():
		d, scope := p.typical.lookup(p.typical.days, in.objective, in.markets[0])
		days := max(1, int(math.Round(d)))
		in.start, in.end = s.Start, s.Start.AddDays(days-1)
		in.assume("schedule.end", in.end.String(), fmt.Sprintf("the brief gives a start but no end; %d days is the median flight of %s", days, scope))
	default:
		d, scope := p.typical.lookup(p.typical.days, in.objective, in.markets[0])
		days := max(1, int(math.Round(d)))
		in.start, in.end = tomorrow, tomorrow.AddDays(days-1)
		in.assume("schedule.start", in.start.String(), "the brief gives no dates; starting tomorrow")
		in.assume("schedule.days", fmt.Sprint(days), fmt.Sprintf("the median flight of %s", scope))
	}
	in.days = in.start.DaysUntil(in.end) + 1
	if in.end.Before(in.start) {
		return fmt.Errorf("the flight ends (%s) before it starts (%s)", in.end, in.start)
	}
	return nil
}

// completeBudget makes the budget a lifetime amount in the plan currency, or fills it
// with the median budget of similar past campaigns.
func (p *Planner) completeBudget(in *planInputs, bu *agents.Budget) error {
	switch {
	case bu != nil && bu.Amount > 0:
		amount := bu.Amount
		if bu.Currency != "" && bu.Currency != in.currency {
			conv, err := p.facts.Convert(amount, bu.Currency, in.currency)
			if err != nil {
				return fmt.Errorf("converting the budget: %w", err)
			}
			amount = conv
		}
		in.budgetType = agents.BudgetLifetime
		if bu.Type == agents.BudgetDaily {
			in.budgetType = agents.BudgetDaily
			in.assume("budget.type", agents.BudgetLifetime, fmt.Sprintf("the brief gives %s %s a day; the ad sets book it as %s %s over the %d days, so their budgets add up exactly",
				money.FormatAmount(amount, in.currency), in.currency, money.FormatAmount(amount*float64(in.days), in.currency), in.currency, in.days))
			amount *= float64(in.days)
		}
		in.budget = amount
	case bu != nil:
		return fmt.Errorf("the budget is %s: a plan needs a budget above zero", agents.FormatBudget(*bu))
	default:
		usd, scope := p.typical.lookup(p.typical.budgetUSD, in.objective, in.markets[0])
		amount, err := p.facts.Convert(usd, "USD", in.currency)
		if err != nil {
			return fmt.Errorf("converting the typical budget: %w", err)
		}
		in.budget = roundBudget(amount)
		in.budgetType = agents.BudgetLifetime
		in.assume("budget.amount", money.FormatAmount(in.budget, in.currency)+" "+in.currency, "the brief states no budget; the median budget of "+scope)
	}
	in.budget = math.Round(in.budget*100) / 100
	if math.IsInf(in.budget, 0) || math.IsNaN(in.budget) {
		return fmt.Errorf("the budget %s %s is too large to plan", money.FormatAmount(in.budget, in.currency), in.currency)
	}
	if usd, err := p.facts.Convert(in.budget, in.currency, "USD"); err == nil && usd > agents.BudgetMaxUSD {
		return fmt.Errorf("the budget %s %s (about %s USD) is beyond any plausible ad budget (over 1 billion USD); check the amount",
			money.FormatAmount(in.budget, in.currency), in.currency, money.FormatAmount(math.Round(usd), "USD"))
	}
	return nil
}

// roundBudget rounds a filled-in budget to a figure a planner would write.
func roundBudget(v float64) float64 {
	if v <= 0 {
		return v
	}
	mag := math.Pow(10, math.Floor(math.Log10(v))-1)
	return math.Round(v/mag) * mag
}
