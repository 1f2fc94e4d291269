package forecast

import (
	"slices"
	"testing"
	"time"

	"github.com/adplan/adplan/agents/history"
)

func TestFlightFrequency(t *testing.T) {
	weekly3 := []FrequencyCap{{MaxImpressions: 3, Period: 1, Unit: "WEEK"}}
	tests := []struct {
		days int
		caps []FrequencyCap
		want float64
	}{
		{1, SpotifyDefaultCaps, 5},
		{7, SpotifyDefaultCaps, 35},
		{8, SpotifyDefaultCaps, 40},  // 8 days at 5 a day, under two weeks' 70 and a month's 50
		{30, SpotifyDefaultCaps, 50}, // the monthly cap binds
		{60, SpotifyDefaultCaps, 100},
		{14, weekly3, 6},
		{15, weekly3, 9}, // a 15-day flight touches three weeks
		{30, nil, 0},
		{30, []FrequencyCap{{MaxImpressions: 2, Unit: "FORTNIGHT"}}, 0},
	}
	for _, tt := range tests {
		if got := FlightFrequency(tt.days, tt.caps); got != tt.want {
			t.Errorf("FlightFrequency(%d, %v) = %v, want %v", tt.days, tt.caps, got, tt.want)
		}
	}
}

// A narrow audience with a big budget: the audience cannot take what the
// budget buys, so frequency stops at the cap and the rest goes undelivered.
func TestPredictHoldsTheFrequencyCap(t *testing.T) {
	m := defaultFit(t)
	q := Query{Market: "DE", Objective: "REACH", Format: "AUDIO", Placement: "MUSIC", AudienceSize: 20000,
		AgeMin: 18, AgeMax: 24, BudgetUSD: 200000, Days: 30}
	p, err := m.Predict(q)
	if err != nil {
		t.Fatal(err)
	}
	if p.MaxFrequency != 50 || p.Frequency.High > 50 || !p.CappedImpressions || p.Impressions.High > 50*20000 {
		t.Errorf("at Spotify's caps over 30 days: max %v, frequency %+v, impressions %+v, capped %v; want at most 50 a listener, 1,000,000 impressions",
			p.MaxFrequency, p.Frequency, p.Impressions, p.CappedImpressions)
	}
	q.FrequencyCaps = []FrequencyCap{{MaxImpressions: 2, Period: 1, Unit: "WEEK"}}
	p, _ = m.Predict(q)
	if p.MaxFrequency != 10 || p.Frequency.High > 10 {
		t.Errorf("at 2 a week over 30 days (5 weeks): max %v, frequency %+v; want at most 10", p.MaxFrequency, p.Frequency)
	}
}

func TestSeasonFromTheHistory(t *testing.T) {
	m := defaultFit(t)
	jan := m.Season("DE", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 30)
	dec := m.Season("DE", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), 30)
	if jan.Month != "January" || !jan.Shown || jan.CPMChange >= 0 || jan.Campaigns < 30 {
		t.Errorf("January in DE: %+v; the default history's January CPMs run below the year's", jan)
	}
	if dec.Month != "December" || !dec.Shown || dec.CPMChange <= 0 {
		t.Errorf("December in DE: %+v; the default history's December CPMs run above the year's", dec)
	}
	// The forecast moves the same way: a January flight is cheaper than a December one.
	q := Query{Market: "DE", Objective: "REACH", Format: "AUDIO", Placement: "MUSIC", AudienceSize: 2e6,
		AgeMin: 18, AgeMax: 24, BudgetUSD: 5000, Days: 30, Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	pj, _ := m.Predict(q)
	q.Start = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	pd, _ := m.Predict(q)
	if pj.CPMUSD.Mid >= pd.CPMUSD.Mid {
		t.Errorf("January CPM %v not below December's %v", pj.CPMUSD.Mid, pd.CPMUSD.Mid)
	}
	// A market the history lacks is measured across all markets.
	if s := m.Season("ZZ", q.Start, 30); s.Scope != "all markets" || s.Campaigns < 1000 {
		t.Errorf("unseen market: %+v, want all markets", s)
	}
	if s := m.Season("DE", time.Time{}, 30); s.Month != "" || s.Shown {
		t.Errorf("no start: %+v, want no month", s)
	}
}

// The fixture's prices have no season: no month may be reported as one.
func TestSeasonNoneWhereTheHistoryHasNone(t *testing.T) {
	m := fixtureFit(t)
	for mo := 1; mo <= 12; mo++ {
		for _, market := range []string{"AA", "BC", "ZZ"} {
			s := m.Season(market, time.Date(2025, time.Month(mo), 1, 0, 0, 0, 0, time.UTC), 20)
			if s.Shown || s.Month == "" {
				t.Errorf("%s %s: %+v, want no seasonal difference", market, s.Month, s)
			}
		}
	}
}

// Evidence for a one-gender query counts the campaigns that targeted that
// gender, the same number a scan of the history finds.
func TestEvidenceMatchesGender(t *testing.T) {
	m := defaultFit(t)
	q := Query{Market: "DE", Objective: "REACH", Format: "AUDIO", Placement: "MUSIC", AudienceSize: 2e6,
		AgeMin: 18, AgeMax: 34, Gender: "female", BudgetUSD: 5000, Days: 30}
	p, err := m.Predict(q)
	if err != nil {
		t.Fatal(err)
	}
	ev := p.Evidence
	if !slices.Contains(ev.MatchedOn, "gender=FEMALE") || ev.Match.Gender != "FEMALE" {
		t.Fatalf("evidence %+v does not match on gender", ev)
	}
	data, err := history.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for i := range data {
		c := &data[i]
		if !usable(c) || c.Market != "DE" || c.Objective != "REACH" || c.Format != "AUDIO" || c.Placement != "MUSIC" || c.Gender != "FEMALE" {
			continue
		}
		if slices.Contains(ev.Widened, "any budget band") || budgetBand(c.SpendUSD) == budgetBand(q.BudgetUSD) {
			if c.AgeMax >= 18 && c.AgeMin <= 34 {
				want++
			}
		}
	}
	if ev.Similar != want || want < 30 {
		t.Errorf("similar = %d, a scan of the history finds %d (widened %v)", ev.Similar, want, ev.Widened)
	}
	q.Gender = "ALL"
	if all, _ := m.Predict(q); all.Evidence.Similar <= ev.Similar || slices.ContainsFunc(all.Evidence.MatchedOn, func(s string) bool { return s[:min(len(s), 6)] == "gender" }) {
		t.Errorf("all genders: %+v; want more campaigns and no gender criterion", all.Evidence)
	}
}

// SkipEvidence changes nothing but the evidence.
func TestSkipEvidenceKeepsTheNumbers(t *testing.T) {
	m := defaultFit(t)
	q := Query{Market: "DE", Objective: "CLICKS", Format: "VIDEO", Placement: "MUSIC", AudienceSize: 2e6,
		AgeMin: 25, AgeMax: 34, Gender: "MALE", BudgetUSD: 8000, Days: 21}
	full, _ := m.Predict(q)
	q.SkipEvidence = true
	quick, _ := m.Predict(q)
	if quick.Evidence.Similar != 0 || quick.Evidence.MatchedOn != nil || full.Evidence.Similar == 0 {
		t.Errorf("evidence %+v with SkipEvidence, %+v without", quick.Evidence, full.Evidence)
	}
	quick.Evidence = full.Evidence
	if quick.Impressions != full.Impressions || quick.Reach != full.Reach || quick.Result != full.Result || quick.Frequency != full.Frequency {
		t.Errorf("SkipEvidence moved the forecast: %+v vs %+v", quick, full)
	}
}
