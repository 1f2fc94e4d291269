package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/adplan/adplan/agents/history"
	"github.com/adplan/adplan/agents/market"
)

func TestDiag(t *testing.T) {
	data, _ := history.Default()
	var use []history.Campaign
	for i := range data {
		if usable(&data[i]) {
			use = append(use, data[i])
		}
	}
	t.Logf("usable %d of %d", len(use), len(data))
	rng := rand.New(rand.NewPCG(1, 0x5eed_f0_ca57))
	rng.Shuffle(len(use), func(i, j int) { use[i], use[j] = use[j], use[i] })
	n := len(use) / 5
	test, train := use[:n], use[n:]
	facts := market.Default()
	for _, opt := range []Options{{}, {Region: func(m string) string { mk, ok := facts.Market(m); if !ok {return ""}; return mk.Region }}} {
		m, err := FitWith(train, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range m.Effects() {
			t.Log(e)
		}
		byObj := map[string][]float64{}
		reachBy := map[string][]float64{}
		reachLog := map[string][]float64{}
		var imp []float64
		zeros := map[string]int{}
		for i := range test {
			c := &test[i]
			p, _ := m.Predict(QueryOf(c))
			imp = append(imp, ape(p.Impressions.Mid, c.Impressions))
			if r := resultOf(c); r > 0 {
				byObj[c.Objective] = append(byObj[c.Objective], ape(p.Result.Mid, r))
			} else {
				zeros[c.Objective]++
			}
			fb := fmt.Sprintf("f%.0f", math.Min(8, math.Floor(c.Impressions/c.Reach)))
			reachBy[fb] = append(reachBy[fb], ape(p.Reach.Mid, c.Reach))
			reachLog[fb] = append(reachLog[fb], math.Log(p.Reach.Mid/c.Reach))
		}
		t.Logf("imp %.3f", median(imp))
		for _, k := range sortedStrings(byObj) {
			t.Logf("%s result %.3f (n=%d zeros=%d)", k, median(byObj[k]), len(byObj[k]), zeros[k])
		}
		keys := sortedStrings(reachBy)
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("reach %s: mdape %.3f bias %.3f n=%d", k, median(reachBy[k]), median(reachLog[k]), len(reachBy[k]))
		}
	}
}
