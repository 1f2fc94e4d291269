package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adplan/adplan/agents/history"
)

func TestDiag2(t *testing.T) {
	data, _ := history.Default()
	use := append([]history.Campaign(nil), data...)
	rng := rand.New(rand.NewPCG(1, 0x5eed_f0_ca57))
	rng.Shuffle(len(use), func(i, j int) { use[i], use[j] = use[j], use[i] })
	n := len(use) / 5
	test, train := use[:n], use[n:]
	m, _ := Fit(train)
	groups := map[string]map[string][]float64{}
	add := func(dim, k string, v float64) {
		if groups[dim] == nil {
			groups[dim] = map[string][]float64{}
		}
		groups[dim][k] = append(groups[dim][k], v)
	}
	for i := range test {
		c := &test[i]
		p, _ := m.Predict(QueryOf(c))
		ci := math.Log(c.Impressions / p.Impressions.Mid)
		add("cpm month", fmt.Sprint(int(c.Start.Month())), ci)
		add("cpm gender", c.Gender, ci)
		add("cpm platform", c.Platform, ci)
		add("cpm age", fmt.Sprint((c.AgeMin+c.AgeMax)/20*10), ci)
		add("cpm agemin", fmt.Sprint(c.AgeMin), ci)
		add("cpm year", fmt.Sprint(c.Start.Year()), ci)
		add("cpm budget", fmt.Sprintf("%02.0f", math.Round(math.Log2(c.SpendUSD))), ci)
		add("cpm days", fmt.Sprintf("%02.0f", math.Round(math.Log2(float64(c.Days)))), ci)
		add("cpm narrow", fmt.Sprintf("%.0f", math.Round(math.Log2(c.AudienceSize/m.marketAud[m.markets[c.Market]]))), ci)
		add("cpm u", fmt.Sprintf("%.0f", math.Round(math.Log2(c.Impressions/c.AudienceSize))), ci)
		add("cpm obj", c.Objective, ci)
		add("cpm mkt", c.Market, ci)
		add("cpm abs", "all", math.Abs(ci))
		u := p.Impressions.Mid / c.AudienceSize
		add("reach u", fmt.Sprintf("%.0f", math.Round(math.Log2(u))), math.Log(c.Reach/p.Reach.Mid))
		add("reach days", fmt.Sprintf("%.0f", math.Round(math.Log2(float64(c.Days)))), math.Log(c.Reach/p.Reach.Mid))
		if r := resultOf(c); r > 0 && !isReachObjective(c.Objective) {
			rr := math.Log(r / c.Impressions / (p.Result.Mid / p.Impressions.Mid))
			add("rate gender", c.Gender, rr)
			add("rate platform "+c.Objective, c.Platform, rr)
			add("rate age", fmt.Sprint((c.AgeMin+c.AgeMax)/20*10), rr)
			add("rate month", fmt.Sprint(int(c.Start.Month())), rr)
			add("rate freq", fmt.Sprintf("%.0f", math.Round(math.Log2(c.Impressions/c.Reach))), rr)
			add("rate u", fmt.Sprintf("%.0f", math.Round(math.Log2(u))), rr)
			add("rate days", fmt.Sprintf("%.0f", math.Round(math.Log2(float64(c.Days)))), rr)
		}
	}
	for _, dim := range sortedStrings(groups) {
		s := dim + ":"
		for _, k := range sortedStrings(groups[dim]) {
			v := groups[dim][k]
			s += fmt.Sprintf(" %s=%+.3f(%d)", k, median(v), len(v))
		}
		t.Log(s)
	}
}
