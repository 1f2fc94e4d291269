package planner

import (
	"fmt"
	"slices"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/history"
)

// typicalCampaigns holds what similar past campaigns usually did, for filling in what
// a brief leaves out.
type typicalCampaigns struct {
	// budgetUSD and days are medians by objective+market, objective, and overall ("").
	budgetUSD map[string]float64
	days      map[string]float64
	count     map[string]int
	// objective is the most common objective by market and overall ("").
	objective map[string]agents.Objective
	// thinDailyUSD is the daily spend of an ad set that only one past campaign in
	// ten went below: less than that is too thin to deliver steadily.
	thinDailyUSD float64
}

func learnTypical(cs []history.Campaign) typicalCampaigns {
	spend := map[string][]float64{}
	days := map[string][]float64{}
	daily := make([]float64, 0, len(cs))
	objCount := map[string]map[string]int{}
	for _, c := range cs {
		if c.Days > 0 {
			daily = append(daily, c.SpendUSD/float64(c.Days))
		}
		for _, k := range []string{c.Objective + "/" + c.Market, c.Objective, ""} {
			spend[k] = append(spend[k], c.SpendUSD)
			days[k] = append(days[k], float64(c.Days))
		}
		for _, k := range []string{c.Market, ""} {
			if objCount[k] == nil {
				objCount[k] = map[string]int{}
			}
			objCount[k][c.Objective]++
		}
	}
	t := typicalCampaigns{budgetUSD: map[string]float64{}, days: map[string]float64{}, count: map[string]int{}, objective: map[string]agents.Objective{}}
	if len(daily) > 0 {
		slices.Sort(daily)
		t.thinDailyUSD = daily[len(daily)/10]
	}
	for k, v := range spend {
		t.budgetUSD[k] = median(v)
		t.days[k] = median(days[k])
		t.count[k] = len(v)
	}
	for k, m := range objCount {
		best, bestN := "", -1
		for o, n := range m {
			if n > bestN || n == bestN && o < best {
				best, bestN = o, n
			}
		}
		t.objective[k] = agents.Objective(best)
	}
	return t
}

// lookup returns the median for the most specific key with enough campaigns.
func (t typicalCampaigns) lookup(table map[string]float64, objective agents.Objective, mkt string) (float64, string) {
	for _, k := range []string{string(objective) + "/" + mkt, string(objective), ""} {
		if n := t.count[k]; n >= 30 {
			scope := "all past campaigns"
			switch k {
			case string(objective) + "/" + mkt:
				scope = fmt.Sprintf("%d past %s campaigns in %s", n, objective, mkt)
			case string(objective):
				scope = fmt.Sprintf("%d past %s campaigns", n, objective)
			default:
				scope = fmt.Sprintf("all %d past campaigns", n)
			}
			return table[k], scope
		}
	}
	return table[""], "all past campaigns"
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
