package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/adplan/adplan/agents/history"
)

// fixture generates n synthetic campaigns for the tests, independent of the
// history package's generator: markets with their own price levels and sizes,
// prices that rise for narrow audiences, reach on a saturating curve, results
// at per-objective rates, lognormal noise throughout.
func fixture(n int, seed uint64) []history.Campaign {
	rng := rand.New(rand.NewPCG(seed, 42))
	type mkt struct {
		code     string
		price    float64
		audience float64
	}
	var markets []mkt
	for i := 0; i < 24; i++ {
		markets = append(markets, mkt{
			code:     fmt.Sprintf("%c%c", 'A'+i/5, 'A'+i%5),
			price:    math.Exp(rng.NormFloat64() * 0.5),
			audience: math.Exp(14 + 2*rng.Float64()),
		})
	}
	objectives := []string{"REACH", "EVEN_IMPRESSION_DELIVERY", "CLICKS", "WEBSITE_VISITS", "VIDEO_VIEWS",
		"CONVERSIONS", "LEAD_GEN", "PODCAST_STREAMS", "APP_INSTALLS"}
	objPrice := map[string]float64{"REACH": 1, "EVEN_IMPRESSION_DELIVERY": 0.9, "CLICKS": 1.2, "WEBSITE_VISITS": 1.2,
		"VIDEO_VIEWS": 1.4, "CONVERSIONS": 1.5, "LEAD_GEN": 1.4, "PODCAST_STREAMS": 1.1, "APP_INSTALLS": 1.3}
	rate := map[string]float64{"CLICKS": 0.004, "WEBSITE_VISITS": 0.003, "VIDEO_VIEWS": 0.5,
		"CONVERSIONS": 0.0005, "LEAD_GEN": 0.0008, "PODCAST_STREAMS": 0.01, "APP_INSTALLS": 0.001}
	formatPrice := map[string]float64{"AUDIO": 12, "VIDEO": 20, "IMAGE": 8}
	formatNames := []string{"AUDIO", "VIDEO", "IMAGE"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]history.Campaign, n)
	for i := range out {
		m := markets[rng.IntN(len(markets))]
		o := objectives[rng.IntN(len(objectives))]
		f := formatNames[rng.IntN(3)]
		p := "MUSIC"
		if rng.Float64() < 0.3 {
			p = "PODCAST"
		}
		ageMin := 18 + 5*rng.IntN(6)
		ageMax := min(99, ageMin+5+5*rng.IntN(6))
		narrow := math.Exp(-3 * rng.Float64())
		aud := m.audience * narrow
		spend := math.Exp(math.Log(300) + rng.Float64()*math.Log(3e6/300))
		days := 3 + rng.IntN(88)
		cpm := formatPrice[f] * m.price * objPrice[o] * math.Pow(narrow, -0.15) * math.Exp(0.25*rng.NormFloat64())
		if p == "PODCAST" {
			cpm *= 1.3
		}
		imp := spend / cpm * 1000
		k := 0.6 * math.Pow(float64(days)/30, 0.1) * math.Exp(0.1*rng.NormFloat64())
		reach := aud * -math.Expm1(-k*imp/aud)
		c := history.Campaign{
			ID: fmt.Sprintf("fx-%d", i), Market: m.code, Objective: o, Format: f, Placement: p,
			AgeMin: ageMin, AgeMax: ageMax, Gender: "ALL", Platform: "ALL", AudienceSize: aud,
			Start: start.AddDate(0, 0, rng.IntN(700)), Days: days, SpendUSD: spend,
			Impressions: math.Round(imp), Reach: math.Round(reach),
		}
		res := math.Round(imp * rate[o] * math.Exp(0.3*rng.NormFloat64()))
		switch o {
		case "CLICKS", "WEBSITE_VISITS":
			c.Clicks = res
		case "VIDEO_VIEWS":
			c.VideoCompletions = res
		case "CONVERSIONS":
			c.Conversions = res
		case "LEAD_GEN":
			c.Leads = res
		case "PODCAST_STREAMS":
			c.PodcastStreams = res
		case "APP_INSTALLS":
			c.Installs = res
		}
		out[i] = c
	}
	return out
}
