package planner

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// dropped says why each ad set of the previous plan (in.keep) that plan no longer has
// was dropped: the brief rules it out, or the budget cannot pay its minimum (short,
// from allocate), with the budget that would keep it.
func (p *Planner) dropped(in planInputs, cs []candidate, plan agents.Plan, short map[int]float64) []agents.AdSetChange {
	var out []agents.AdSetChange
	usdPerUnit, _ := p.facts.USDPerUnit(in.currency)
	for _, id := range in.keep {
		if slices.ContainsFunc(plan.LineItems, func(li agents.LineItem) bool { return li.ID == id }) {
			continue
		}
		i := slices.IndexFunc(cs, func(c candidate) bool { return c.id() == id })
		if i < 0 {
			out = append(out, agents.AdSetChange{ID: id, Why: ruledOut(in, id)})
			continue
		}
		left, ok := short[i]
		if !ok {
			continue // paid for and then emptied: cannot happen, as nothing takes budget back
		}
		c := cs[i]
		need := c.minUSD / usdPerUnit
		rule := fmt.Sprintf("the %s channel's minimum per ad set", in.channel.Name)
		if daily := p.typical.thinDailyUSD * float64(in.days); daily >= in.channel.MinAdSetUSD {
			rule = fmt.Sprintf("%s USD a day for %d days, the least past campaigns spent to deliver steadily", money.FormatAmount(math.Round(p.typical.thinDailyUSD), "USD"), in.days)
		}
		keepWith := math.Ceil(in.budget + need - left)
		out = append(out, agents.AdSetChange{
			ID: id,
			Why: fmt.Sprintf("its minimum is %s %s (%s), more than the %s %s left after the other ad sets",
				money.FormatAmount(math.Ceil(need), in.currency), in.currency, rule, money.FormatAmount(math.Floor(left), in.currency), in.currency),
			KeepWith: keepWith,
		})
	}
	return out
}

// ruledOut says what in the brief no longer allows ad set id ("DE-video-podcast").
func ruledOut(in planInputs, id string) string {
	parts := strings.SplitN(id, "-", 3)
	if len(parts) < 3 {
		return "the brief no longer allows it"
	}
	market, format := parts[0], strings.ToUpper(parts[1])
	switch {
	case !slices.Contains(in.markets, market):
		return fmt.Sprintf("the brief no longer names %s", agents.CountryName(market))
	case len(in.formats) > 0 && !slices.Contains(in.formats, format), hasKey(in.maxShare, format) && in.maxShare[format] == 0:
		return fmt.Sprintf("the brief now rules out %s", strings.ToLower(format))
	}
	return fmt.Sprintf("%s on %s placements is not something the brief and the %s channel allow any more", strings.ToLower(format), strings.ToLower(parts[2]), in.channel.Name)
}

// added says why each ad set of plan that prev did not have was opened: the brief
// now names its market or allows its format, or the budget or flight now pays its
// minimum and it buys more than the others with it.
func (p *Planner) added(in planInputs, cs []candidate, plan agents.Plan, prev agents.Plan) []agents.AdSetChange {
	markets, formats := map[string]bool{}, map[string]bool{}
	for _, li := range prev.LineItems {
		markets[li.Market], formats[li.Format] = true, true
	}
	usdPerUnit, _ := p.facts.USDPerUnit(in.currency)
	var out []agents.AdSetChange
	for _, li := range plan.LineItems {
		if slices.Contains(in.keep, li.ID) {
			continue
		}
		why := ""
		switch {
		case !markets[li.Market]:
			why = fmt.Sprintf("the brief now names %s", agents.CountryName(li.Market))
		case !formats[li.Format]:
			why = fmt.Sprintf("the brief now allows %s", strings.ToLower(li.Format))
		default:
			need := 0.0
			if i := slices.IndexFunc(cs, func(c candidate) bool { return c.id() == li.ID }); i >= 0 {
				need = cs[i].minUSD / usdPerUnit
			}
			why = fmt.Sprintf("the budget now pays its minimum of %s %s over %d days, and it adds more %s for it than the other ad sets",
				money.FormatAmount(math.Ceil(need), in.currency), in.currency, in.days, strings.ReplaceAll(li.Forecast.Result.Metric, "_", " "))
		}
		out = append(out, agents.AdSetChange{ID: li.ID, Why: why})
	}
	return out
}
