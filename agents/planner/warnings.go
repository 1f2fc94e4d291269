package planner

import (
	"fmt"
	"math"
	"strings"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/agents/money"
)

// What a planner would flag: before buying anything, for each line item, and for
// how the budget spreads over markets and days.

// warnBeforeBuying flags dates, ages and budgets that a buyer would question before
// any ad set is chosen.
func (p *Planner) warnBeforeBuying(in *planInputs, tomorrow agents.Date) {
	if in.start.Before(tomorrow) {
		in.warn(fmt.Sprintf("The flight starts %s, which is not in the future; ad sets cannot start in the past.", in.start))
	}
	if in.days < 7 {
		in.warn(fmt.Sprintf("A %d-day flight is too short for delivery to learn and optimise; a week or more is safer.", in.days))
	}
	for _, r := range in.audience.AgeRanges {
		if r.Min < 18 {
			in.warn("The audience includes people under 18: ads to minors are restricted (no alcohol, gambling, dating, and more) and some markets forbid targeting them.")
			break
		}
	}
	ch := in.channel
	if usd, _ := p.facts.Convert(in.budget, in.currency, "USD"); usd < ch.MinCampaignUSD {
		in.warn(fmt.Sprintf("The budget (%s %s) is below the %s minimum of about %s %s.", money.FormatAmount(in.budget, in.currency), in.currency, ch.Name, money.FormatAmount(p.mustConvert(ch.MinCampaignUSD, "USD", in.currency), in.currency), in.currency))
	}
}

// lineWarnings flags a line item whose audience is too narrow for its budget or whose
// budget is below the channel's minimum per ad set.
func lineWarnings(in planInputs, c candidate, li agents.LineItem, pred forecast.Prediction, usdPerUnit float64) []string {
	var out []string
	if c.audience < 50_000 {
		out = append(out, fmt.Sprintf("The %s audience for %s is only about %s people: too narrow to deliver the budget without very high frequency.", c.market, li.ID, agents.FormatCount(c.audience)))
	} else if pred.Frequency.Mid > 3*math.Max(1, float64(in.days)/7)*2 {
		out = append(out, fmt.Sprintf("%s reaches its audience about %.1f times over the flight: the audience is narrow for this budget.", li.ID, pred.Frequency.Mid))
	}
	if pred.CappedImpressions {
		out = append(out, fmt.Sprintf("At Spotify's default frequency caps (at most %.0f impressions a listener over %d days), the %s audience of about %s people can take about %s impressions: part of %s's budget would go unspent.",
			pred.MaxFrequency, in.days, c.market, agents.FormatCount(c.audience), agents.FormatCount(li.Forecast.Impressions.Mid), li.ID))
	}
	if float64(li.BudgetMicro)/1e6*usdPerUnit < c.minUSD*0.999 {
		out = append(out, fmt.Sprintf("%s gets less than the %s minimum per ad set.", li.ID, in.channel.Name))
	}
	return out
}

// spreadWarnings flags markets the budget could not cover and line items that would
// spend too little a day to deliver steadily.
func (p *Planner) spreadWarnings(in planInputs, cs []candidate, items []agents.LineItem, usdPerUnit float64) []string {
	var out []string
	covered := map[string]bool{}
	for _, li := range items {
		covered[li.Market] = true
	}
	var uncovered []string
	for _, m := range in.markets {
		if !covered[m] {
			uncovered = append(uncovered, m)
		}
	}
	if len(uncovered) > 0 && len(cs) > 0 {
		out = append(out, fmt.Sprintf("The budget is too thin to give every market an ad set that can deliver over the flight (about %s %s each): %s left out. A larger budget or a shorter flight covers them.",
			money.FormatAmount(math.Ceil(cs[0].minUSD/usdPerUnit), in.currency), in.currency, strings.Join(uncovered, ", ")))
	}
	var thin []string
	for _, li := range items {
		if li.Budget*usdPerUnit/float64(in.days) < p.typical.thinDailyUSD {
			thin = append(thin, li.ID)
		}
	}
	if len(thin) > 0 {
		out = append(out, fmt.Sprintf("The budget is thin for the flight: %s would spend less a day than 90%% of past campaigns (about %s USD a day); delivery may be patchy. A shorter flight or fewer ad sets concentrates it.", strings.Join(thin, ", "), money.FormatAmount(math.Round(p.typical.thinDailyUSD), "USD")))
	}
	return out
}

func (p *Planner) mustConvert(amount float64, from, to string) float64 {
	v, err := p.facts.Convert(amount, from, to)
	if err != nil {
		return amount
	}
	return v
}
