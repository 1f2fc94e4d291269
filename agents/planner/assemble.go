package planner

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/agents/spotify"
)

// forecastMethod says, in every plan, how its forecasts were made.
const forecastMethod = "Forecasts come from past campaigns with the same objective, market, format and placement, in the same budget band and with overlapping ages, widened step by step when fewer than 30 match; CPM and result rates are their medians with 10th–90th percentile ranges, and reach saturates with the audience size."

// assemble turns the allocation into line items with budgets that add up to the
// total exactly, forecasts, totals, the plan's evidence (summed over its line
// items), warnings and API payloads.
func (p *Planner) assemble(b agents.Brief, in planInputs, cs []candidate, alloc allocation) agents.Plan {
	plan := agents.Plan{
		Brief: b, Channel: in.channel.Name, Objective: in.objective, Currency: in.currency,
		Budget: in.budget, BudgetType: in.budgetType, Flight: agents.NewSchedule(in.start, in.end),
		Assumptions: nonNilSlice(in.assumptions), Warnings: nonNilSlice(in.warnings),
	}
	usdPerUnit, _ := p.facts.USDPerUnit(in.currency)
	totalMicro := int64(math.Round(in.budget*100)) * 10_000
	micros := splitMicros(totalMicro, alloc)
	rule := p.rules.Objectives[in.objective]
	var sets []spotify.AdSetSpec
	for i, c := range cs {
		if micros[i] == 0 {
			continue
		}
		li, pred, err := p.lineItem(in, c, micros[i], totalMicro, usdPerUnit, rule.Result)
		if err != nil {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("No forecast for %s %s %s: %v", c.market, c.format, c.placement, err))
		}
		plan.LineItems = append(plan.LineItems, li)
		plan.Warnings = append(plan.Warnings, lineWarnings(in, c, li, pred, usdPerUnit)...)
		sets = append(sets, p.adSetSpec(in, c, li))
	}
	sort.SliceStable(plan.LineItems, func(i, j int) bool { return plan.LineItems[i].BudgetMicro > plan.LineItems[j].BudgetMicro })
	plan.Totals = totals(plan.LineItems, totalMicro, rule.Result)
	// The evidence follows the plan in front of the user: every line item's.
	plan.Evidence = p.planEvidence(in, plan.LineItems)
	plan.Warnings = append(plan.Warnings, p.spreadWarnings(in, cs, plan.LineItems, usdPerUnit)...)
	payloads, err := spotify.Build(spotify.CampaignSpec{Name: campaignName(b, in), Objective: string(in.objective)}, sets)
	if err != nil {
		plan.Warnings = append(plan.Warnings, "The Spotify Ads API payloads could not be built: "+err.Error())
	}
	plan.SpotifyAdsAPI = payloads
	return plan
}

// lineItem forecasts candidate c with its budget of micro units. A failed forecast
// still gives the line item, with an empty forecast, so that the budgets add up.
func (p *Planner) lineItem(in planInputs, c candidate, micro, totalMicro int64, usdPerUnit float64, metric string) (agents.LineItem, forecast.Prediction, error) {
	amount := float64(micro) / 1e6
	pred, err := p.predict(in, c, amount*usdPerUnit)
	li := agents.LineItem{
		ID:     c.id(),
		Market: c.market, Format: c.format, Placements: []string{c.placement},
		Budget: amount, BudgetMicro: micro, Share: float64(micro) / float64(totalMicro),
		Audience: math.Round(c.audience),
		Forecast: agents.LineForecast{
			Impressions: pred.Impressions, Reach: pred.Reach, Frequency: pred.Frequency,
			CPM:    scaleRange(pred.CPMUSD, 1/usdPerUnit),
			Result: agents.ResultForecast{Metric: metric, Range: pred.Result},
		},
		Evidence: pred.Evidence,
	}
	return li, pred, err
}

func platformSuffix(pl []string) string {
	if len(pl) == 1 {
		return "-" + strings.ToLower(pl[0])
	}
	return ""
}

func (p *Planner) adSetSpec(in planInputs, c candidate, li agents.LineItem) spotify.AdSetSpec {
	s := spotify.AdSetSpec{
		Name: li.ID, Market: c.market, Format: c.format, Placements: []string{c.placement},
		Platforms: c.platforms, Genders: in.audience.Genders, Genres: in.audience.Genres,
		Interests: in.audience.Interests, Languages: in.audience.Languages,
		BudgetMicro: li.BudgetMicro, Currency: in.currency, BudgetType: agents.BudgetLifetime,
		Start: in.start.Time(), End: in.end.Time(), Objective: string(in.objective),
		Regions: in.audience.Geo.Regions, Cities: in.audience.Geo.Cities,
		// Bid up to the top of the forecast CPM range, so the ad set can win the
		// auctions the forecast assumes.
		BidMicro: int64(math.Ceil(li.Forecast.CPM.High * 1e6)),
	}
	for _, r := range in.audience.AgeRanges {
		s.AgeRanges = append(s.AgeRanges, spotify.AgeRange{Min: r.Min, Max: r.Max})
	}
	return s
}

func campaignName(b agents.Brief, in planInputs) string {
	return fmt.Sprintf("adplan %s %s %s", in.objective, strings.Join(in.markets, "+"), in.start)
}

// splitMicros turns amounts into micro units that are whole cents and add up to total
// exactly: each is rounded down to the cent, and the cents left over go to the
// largest amounts first.
func splitMicros(total int64, alloc allocation) []int64 {
	sum := 0.0
	for _, a := range alloc {
		sum += a
	}
	out := make([]int64, len(alloc))
	if sum <= 0 {
		return out
	}
	totalCents := total / 10_000
	var given int64
	type frac struct {
		i int
		f float64
	}
	var fracs []frac
	for i, a := range alloc {
		exact := a / sum * float64(totalCents)
		c := int64(math.Floor(exact))
		out[i] = c
		given += c
		if a > 0 {
			fracs = append(fracs, frac{i, exact - float64(c)})
		}
	}
	sort.SliceStable(fracs, func(a, b int) bool { return fracs[a].f > fracs[b].f })
	for k := 0; given < totalCents && len(fracs) > 0; k = (k + 1) % len(fracs) {
		out[fracs[k].i]++
		given++
	}
	for i := range out {
		out[i] *= 10_000
	}
	return out
}

func scaleRange(r forecast.Range, f float64) forecast.Range {
	return forecast.Range{Low: r.Low * f, Mid: r.Mid * f, High: r.High * f}
}

func totals(items []agents.LineItem, totalMicro int64, metric string) agents.Totals {
	t := agents.Totals{BudgetMicro: totalMicro, Budget: float64(totalMicro) / 1e6, Result: agents.ResultForecast{Metric: metric}}
	for _, li := range items {
		t.Impressions = addRange(t.Impressions, li.Forecast.Impressions)
		t.Reach = addRange(t.Reach, li.Forecast.Reach)
		t.Result.Range = addRange(t.Result.Range, li.Forecast.Result.Range)
	}
	if t.Reach.Mid > 0 {
		t.Frequency = forecast.Range{Low: safeDiv(t.Impressions.Low, t.Reach.Low), Mid: t.Impressions.Mid / t.Reach.Mid, High: safeDiv(t.Impressions.High, t.Reach.High)}
		sortRange(&t.Frequency)
	}
	if t.Impressions.Mid > 0 {
		t.CPM = forecast.Range{Low: t.Budget / t.Impressions.High * 1000, Mid: t.Budget / t.Impressions.Mid * 1000, High: t.Budget / t.Impressions.Low * 1000}
		sortRange(&t.CPM)
	}
	return t
}

func addRange(a, b forecast.Range) forecast.Range {
	return forecast.Range{Low: a.Low + b.Low, Mid: a.Mid + b.Mid, High: a.High + b.High}
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func sortRange(r *forecast.Range) {
	v := []float64{r.Low, r.Mid, r.High}
	slices.Sort(v)
	r.Low, r.Mid, r.High = v[0], v[1], v[2]
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
