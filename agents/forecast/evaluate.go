package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/adplan/adplan/agents/history"
)

// Report is the forecast error on held-out campaigns against a naive baseline.
// MdAPE is the median absolute percentage error (0.25 = 25%).
type Report struct {
	Train, Test int
	// ImpressionsMdAPE and ResultMdAPE are the model's errors; the result is
	// each campaign's own objective result (campaigns whose result was 0 are
	// left out of ResultMdAPE).
	ImpressionsMdAPE, ResultMdAPE float64
	// The baseline prices every campaign at its market's median CPM
	// (impressions = spend / CPM × 1000) and takes its result as those
	// impressions × the objective's global median result per impression.
	BaselineImpressionsMdAPE, BaselineResultMdAPE float64
	// ReachMdAPE is the model's error on reach; ImpressionsCoverage the share
	// of held-out campaigns whose impressions fell within Low–High.
	ReachMdAPE, ImpressionsCoverage float64
}

func (r Report) String() string {
	return fmt.Sprintf("train %d, test %d: impressions MdAPE %.1f%% (baseline %.1f%%), result MdAPE %.1f%% (baseline %.1f%%), reach MdAPE %.1f%%, impressions within low–high %.0f%%",
		r.Train, r.Test, 100*r.ImpressionsMdAPE, 100*r.BaselineImpressionsMdAPE,
		100*r.ResultMdAPE, 100*r.BaselineResultMdAPE, 100*r.ReachMdAPE, 100*r.ImpressionsCoverage)
}

// Evaluate fits on a seeded random 1−holdout share of the usable campaigns and
// scores the forecast and the baseline on the rest.
func Evaluate(campaigns []history.Campaign, holdout float64, seed uint64) (Report, error) {
	if !(holdout > 0 && holdout < 1) {
		return Report{}, fmt.Errorf("evaluating forecast: hold-out share %v is not between 0 and 1", holdout)
	}
	var use []history.Campaign
	for i := range campaigns {
		if usable(&campaigns[i]) {
			use = append(use, campaigns[i])
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed_f0_ca57))
	rng.Shuffle(len(use), func(i, j int) { use[i], use[j] = use[j], use[i] })
	nTest := int(math.Round(holdout * float64(len(use))))
	test, train := use[:nTest], use[nTest:]
	if len(test) == 0 || len(train) == 0 {
		return Report{}, fmt.Errorf("evaluating forecast: %d usable campaigns are too few to hold %v out", len(use), holdout)
	}
	m, err := Fit(train)
	if err != nil {
		return Report{}, fmt.Errorf("evaluating forecast: %w", err)
	}
	base := fitBaseline(train)

	var impAPE, resAPE, reachAPE, bImpAPE, bResAPE []float64
	covered := 0
	for i := range test {
		c := &test[i]
		p, err := m.Predict(QueryOf(c))
		if err != nil {
			return Report{}, fmt.Errorf("evaluating forecast on campaign %s: %w", c.ID, err)
		}
		impAPE = append(impAPE, ape(p.Impressions.Mid, c.Impressions))
		if c.Impressions >= p.Impressions.Low && c.Impressions <= p.Impressions.High {
			covered++
		}
		bImp, bRes := base.predict(c)
		bImpAPE = append(bImpAPE, ape(bImp, c.Impressions))
		if c.Reach > 0 {
			reachAPE = append(reachAPE, ape(p.Reach.Mid, c.Reach))
		}
		if r := resultOf(c); r > 0 {
			resAPE = append(resAPE, ape(p.Result.Mid, r))
			bResAPE = append(bResAPE, ape(bRes, r))
		}
	}
	return Report{
		Train:                    len(train),
		Test:                     len(test),
		ImpressionsMdAPE:         median(impAPE),
		ResultMdAPE:              median(resAPE),
		BaselineImpressionsMdAPE: median(bImpAPE),
		BaselineResultMdAPE:      median(bResAPE),
		ReachMdAPE:               median(reachAPE),
		ImpressionsCoverage:      float64(covered) / float64(len(test)),
	}, nil
}

// QueryOf is the query a past campaign would have been planned with.
func QueryOf(c *history.Campaign) Query {
	return Query{
		Market: c.Market, Objective: c.Objective, Format: c.Format, Placement: c.Placement,
		AudienceSize: c.AudienceSize, AgeMin: c.AgeMin, AgeMax: c.AgeMax, Gender: c.Gender,
		BudgetUSD: c.SpendUSD, Days: c.Days, Start: c.Start,
	}
}

func ape(pred, actual float64) float64 { return math.Abs(pred-actual) / actual }

// baseline is the naive forecast the model must beat.
type baseline struct {
	marketCPM map[string]float64
	globalCPM float64
	rate      map[string]float64 // objective's median result per impression
}

func fitBaseline(train []history.Campaign) *baseline {
	b := &baseline{marketCPM: map[string]float64{}, rate: map[string]float64{}}
	cpms := map[string][]float64{}
	rates := map[string][]float64{}
	var all []float64
	for i := range train {
		c := &train[i]
		cpm := c.SpendUSD / c.Impressions * 1000
		cpms[c.Market] = append(cpms[c.Market], cpm)
		all = append(all, cpm)
		rates[c.Objective] = append(rates[c.Objective], resultOf(c)/c.Impressions)
	}
	for k, v := range cpms {
		b.marketCPM[k] = median(v)
	}
	for k, v := range rates {
		b.rate[k] = median(v)
	}
	b.globalCPM = median(all)
	return b
}

func (b *baseline) predict(c *history.Campaign) (impressions, result float64) {
	cpm, ok := b.marketCPM[c.Market]
	if !ok {
		cpm = b.globalCPM
	}
	impressions = c.SpendUSD / cpm * 1000
	return impressions, impressions * b.rate[c.Objective]
}
