package forecast

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adplan/adplan/agents/history"
)

var (
	fixtureOnce  sync.Once
	fixtureModel *Model
)

// fixtureFit fits the shared test model once.
func fixtureFit(t testing.TB) *Model {
	t.Helper()
	fixtureOnce.Do(func() {
		m, err := Fit(fixture(20000, 7))
		if err != nil {
			panic(err)
		}
		fixtureModel = m
	})
	return fixtureModel
}

var defaultModel = sync.OnceValues(func() (*Model, error) {
	data, err := history.Default()
	if err != nil {
		return nil, err
	}
	return Fit(data)
})

// defaultFit fits the default history once.
func defaultFit(t testing.TB) *Model {
	t.Helper()
	m, err := defaultModel()
	if err != nil {
		t.Fatalf("fitting the default history: %v", err)
	}
	return m
}

// suites pairs each test model with the markets its queries use.
func suites(t testing.TB) []struct {
	name string
	m    *Model
	qs   []Query
} {
	return []struct {
		name string
		m    *Model
		qs   []Query
	}{
		{"fixture", fixtureFit(t), queries()},
		{"default", defaultFit(t), defaultQueries()},
	}
}

func baseQuery() Query {
	return Query{Market: "AB", Objective: "REACH", Format: "AUDIO", Placement: "MUSIC",
		AudienceSize: 2e6, AgeMin: 18, AgeMax: 24, Gender: "ALL", BudgetUSD: 5000, Days: 30}
}

func TestFitEffects(t *testing.T) {
	for _, s := range suites(t) {
		t.Run(s.name, func(t *testing.T) {
			effects := s.m.Effects()
			for _, e := range effects {
				t.Log(e)
			}
			if len(effects) == 0 {
				t.Error("no effect kept")
			}
		})
	}
	// The fixture prices narrow audiences higher and nothing else: the model
	// must find that and leave budget out.
	var narrow, budget bool
	for _, e := range fixtureFit(t).Effects() {
		narrow = narrow || strings.HasPrefix(e, "cpm: audience narrowness -")
		budget = budget || strings.HasPrefix(e, "cpm: budget")
	}
	if !narrow || budget {
		t.Errorf("fixture effects: narrowness found %v (want true), budget found %v (want false)", narrow, budget)
	}
}

func TestPredictInvalid(t *testing.T) {
	m := fixtureFit(t)
	tests := []struct {
		name string
		give func(*Query)
	}{
		{"unknown objective", func(q *Query) { q.Objective = "AWARENESS" }},
		{"unknown format", func(q *Query) { q.Format = "BANNER" }},
		{"unknown placement", func(q *Query) { q.Placement = "RADIO" }},
		{"zero budget", func(q *Query) { q.BudgetUSD = 0 }},
		{"negative budget", func(q *Query) { q.BudgetUSD = -5 }},
		{"zero days", func(q *Query) { q.Days = 0 }},
		{"zero audience", func(q *Query) { q.AudienceSize = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := baseQuery()
			tt.give(&q)
			if _, err := m.Predict(q); !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("Predict(%+v) error = %v, want ErrInvalidQuery", q, err)
			}
		})
	}
}

func TestFitEmpty(t *testing.T) {
	if _, err := Fit(nil); !errors.Is(err, ErrNoHistory) {
		t.Fatalf("Fit(nil) error = %v, want ErrNoHistory", err)
	}
}

// queries is a varied set of line items for the property tests on the fixture.
func queries() []Query { return queriesIn([]string{"AB", "CD", "DA", "ZZ"}) } // ZZ never ran

// defaultQueries are the same line items in markets of the default history.
func defaultQueries() []Query { return queriesIn([]string{"DE", "US", "SE", "BR", "ZZ"}) }

func queriesIn(markets []string) []Query {
	var out []Query
	objectives := []string{"REACH", "EVEN_IMPRESSION_DELIVERY", "CLICKS", "WEBSITE_VISITS", "VIDEO_VIEWS",
		"CONVERSIONS", "LEAD_GEN", "PODCAST_STREAMS", "APP_INSTALLS"}
	audiences := []float64{5e3, 2e5, 5e6}
	i := 0
	for _, o := range objectives {
		for _, f := range []string{"AUDIO", "VIDEO", "IMAGE"} {
			for _, a := range audiences {
				q := baseQuery()
				q.Objective, q.Format, q.AudienceSize = o, f, a
				q.Market = markets[i%len(markets)]
				q.Placement = []string{"MUSIC", "PODCAST"}[i%2]
				q.Days = []int{1, 7, 30, 90}[i%4]
				q.AgeMin, q.AgeMax = []int{13, 18, 25, 45}[i%4], []int{17, 34, 99, 54}[i%4]
				out = append(out, q)
				i++
			}
		}
	}
	return out
}

func checkRanges(t *testing.T, q Query, p Prediction) {
	t.Helper()
	for name, r := range map[string]Range{"impressions": p.Impressions, "reach": p.Reach,
		"frequency": p.Frequency, "cpm": p.CPMUSD, "result": p.Result} {
		if !(r.Low <= r.Mid && r.Mid <= r.High) || r.Low < 0 {
			t.Errorf("%+v: %s range %+v is not ordered", q, name, r)
		}
	}
	for _, pair := range [][3]float64{
		{p.Reach.Low, p.Impressions.Low}, {p.Reach.Mid, p.Impressions.Mid}, {p.Reach.High, p.Impressions.High},
	} {
		if pair[0] > q.AudienceSize || pair[0] > pair[1] {
			t.Errorf("%+v: reach %v exceeds audience %v or impressions %v", q, pair[0], q.AudienceSize, pair[1])
		}
	}
	if p.Frequency.Low < 1 {
		t.Errorf("%+v: frequency %+v below 1", q, p.Frequency)
	}
	// Spotify's default caps hold unless the query sets its own.
	if q.FrequencyCaps == nil && p.MaxFrequency != FlightFrequency(q.Days, SpotifyDefaultCaps) {
		t.Errorf("%+v: max frequency %v, want Spotify's defaults over %d days", q, p.MaxFrequency, q.Days)
	}
	if p.MaxFrequency > 0 && p.Frequency.High > p.MaxFrequency*(1+1e-12) {
		t.Errorf("%+v: frequency %+v above the cap of %v over the flight", q, p.Frequency, p.MaxFrequency)
	}
	if p.Evidence.Similar < 0 || len(p.Evidence.MatchedOn) == 0 {
		t.Errorf("%+v: evidence %+v", q, p.Evidence)
	}
}

func TestPredictProperties(t *testing.T) {
	for _, s := range suites(t) {
		t.Run(s.name, func(t *testing.T) { checkProperties(t, s.m, s.qs) })
	}
}

func checkProperties(t *testing.T, m *Model, qs []Query) {
	budgets := []float64{100, 1000, 5000, 20000, 100000, 1e6, 1e7}
	for _, q := range qs {
		var prev Prediction
		for i, b := range budgets {
			q.BudgetUSD = b
			p, err := m.Predict(q)
			if err != nil {
				t.Fatalf("Predict(%+v): %v", q, err)
			}
			checkRanges(t, q, p)
			if i > 0 {
				if p.Reach.Mid < prev.Reach.Mid {
					t.Errorf("%+v: reach fell from %v to %v as budget rose", q, prev.Reach.Mid, p.Reach.Mid)
				}
				// Below the frequency cap more budget buys more impressions
				// and frequency; at it, the audience takes no more.
				switch {
				case p.CappedImpressions:
					if p.Frequency.Mid < prev.Frequency.Mid || p.Impressions.Mid < prev.Impressions.Mid {
						t.Errorf("%+v: capped at %v, frequency %v → %v, impressions %v → %v fell", q, p.MaxFrequency, prev.Frequency.Mid, p.Frequency.Mid, prev.Impressions.Mid, p.Impressions.Mid)
					}
					if got, want := p.Impressions.Mid, p.MaxFrequency*q.AudienceSize; got > want*(1+1e-12) {
						t.Errorf("%+v: %v impressions, more than the audience takes at the cap (%v)", q, got, want)
					}
				case p.Frequency.Mid <= prev.Frequency.Mid && p.Frequency.Mid < p.MaxFrequency:
					t.Errorf("%+v: frequency %v → %v did not rise with budget", q, prev.Frequency.Mid, p.Frequency.Mid)
				case p.Impressions.Mid <= prev.Impressions.Mid:
					t.Errorf("%+v: impressions %v → %v did not rise with budget", q, prev.Impressions.Mid, p.Impressions.Mid)
				}
				if p.Reach.Mid > 0 && 2*p.Reach.Mid/prev.Reach.Mid > 2*b/budgets[i-1]+1e-9 {
					t.Errorf("%+v: reach grew faster than budget", q)
				}
			}
			prev = p
		}
		// Saturation: a huge budget reaches at most the audience.
		if prev.Reach.High > q.AudienceSize {
			t.Errorf("%+v: reach %v above audience", q, prev.Reach.High)
		}
	}
}

func TestLongerFlightNoMorePerDay(t *testing.T) {
	for _, s := range suites(t) {
		t.Run(s.name, func(t *testing.T) { checkLongerFlight(t, s.m, s.qs) })
	}
}

func checkLongerFlight(t *testing.T, m *Model, qs []Query) {
	for _, q := range qs {
		prevPerDay := -1.0
		for _, d := range []int{1, 3, 7, 14, 30, 60, 90, 180, 365} {
			q.Days = d
			p, err := m.Predict(q)
			if err != nil {
				t.Fatal(err)
			}
			perDay := p.Impressions.Mid / float64(d)
			if prevPerDay >= 0 && perDay > prevPerDay*(1+1e-12) {
				t.Errorf("%+v: impressions per day rose from %v to %v", q, prevPerDay, perDay)
			}
			prevPerDay = perDay
		}
	}
}

func TestReachSaturatesWithAudience(t *testing.T) {
	m := fixtureFit(t)
	q := baseQuery()
	q.BudgetUSD = 50000
	for _, a := range []float64{1e3, 1e4, 1e5} {
		q.AudienceSize = a
		p, err := m.Predict(q)
		if err != nil {
			t.Fatal(err)
		}
		if p.Reach.High > a {
			t.Errorf("audience %v: reach %+v", a, p.Reach)
		}
		if p.Frequency.Mid < p.Impressions.Mid/a {
			t.Errorf("audience %v: frequency %v below impressions/audience", a, p.Frequency.Mid)
		}
	}
	// Doubling the budget does not double reach.
	q.AudienceSize = 1e6
	q.BudgetUSD = 20000
	p1, _ := m.Predict(q)
	q.BudgetUSD = 40000
	p2, _ := m.Predict(q)
	if p2.Reach.Mid >= 2*p1.Reach.Mid {
		t.Errorf("doubling budget doubled reach: %v → %v", p1.Reach.Mid, p2.Reach.Mid)
	}
}

func TestPredictDeterministic(t *testing.T) {
	def, err := history.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []history.Campaign
		qs   []Query
	}{
		{"fixture", fixture(5000, 3), queries()},
		{"default", def, defaultQueries()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m1, err := Fit(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			m2, err := Fit(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range tt.qs {
				a, _ := m1.Predict(q)
				b, _ := m1.Predict(q)
				c, _ := m2.Predict(q)
				if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
					t.Fatalf("%+v: predictions differ:\n%+v\n%+v\n%+v", q, a, b, c)
				}
			}
		})
	}
}

func TestPredictConcurrent(t *testing.T) {
	m := fixtureFit(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, q := range queries() {
				if _, err := m.Predict(q); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func TestEvidenceWidens(t *testing.T) {
	m, err := Fit(fixture(3000, 11))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		give        Query
		wantWidened bool
	}{
		{"unseen market widens", func() Query { q := baseQuery(); q.Market = "QQ"; return q }(), true},
		{"narrow match widens", baseQuery(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Predict(tt.give)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", p.Evidence)
			if (len(p.Evidence.Widened) > 0) != tt.wantWidened {
				t.Errorf("widened %v, want widened=%v", p.Evidence.Widened, tt.wantWidened)
			}
			if p.Evidence.Similar < 30 {
				t.Errorf("similar %d < 30 after widening", p.Evidence.Similar)
			}
		})
	}
	// A rich model matches the exact segment without widening.
	big := fixtureFit(t)
	q := baseQuery()
	q.AgeMin, q.AgeMax = 18, 99
	q.BudgetUSD = 50000
	p, _ := big.Predict(q)
	t.Logf("%+v", p.Evidence)
}

func TestEvidenceDefault(t *testing.T) {
	m := defaultFit(t)
	tests := []struct {
		name        string
		give        Query
		wantMatched []string
		wantWidened []string
	}{
		{
			name: "common brief matches exactly",
			give: Query{Market: "DE", Objective: "REACH", Format: "AUDIO", Placement: "MUSIC", AudienceSize: 2e6,
				AgeMin: 18, AgeMax: 24, Gender: "ALL", BudgetUSD: 5800, Days: 30},
			wantMatched: []string{"objective=REACH", "market=DE", "format=AUDIO", "placement=MUSIC",
				"budget band 1k–10k USD", "audience 18–24"},
		},
		{
			name: "no ages given: no age criterion",
			give: Query{Market: "US", Objective: "CLICKS", Format: "VIDEO", Placement: "MUSIC", AudienceSize: 2e7,
				BudgetUSD: 20000, Days: 14},
			wantMatched: []string{"objective=CLICKS", "market=US", "format=VIDEO", "placement=MUSIC",
				"budget band 10k–100k USD"},
		},
		{
			name: "unseen market widens to all markets",
			give: Query{Market: "ZZ", Objective: "REACH", Format: "AUDIO", Placement: "MUSIC", AudienceSize: 1e5,
				AgeMin: 18, AgeMax: 24, BudgetUSD: 5000, Days: 30},
			wantMatched: []string{"objective=REACH", "format=AUDIO"},
			wantWidened: []string{"any budget band", "any ages", "any placement", "market → all markets"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Predict(tt.give)
			if err != nil {
				t.Fatal(err)
			}
			ev := p.Evidence
			if !reflect.DeepEqual(ev.MatchedOn, tt.wantMatched) || !reflect.DeepEqual(ev.Widened, tt.wantWidened) {
				t.Errorf("evidence %+v, want matched %v widened %v", ev, tt.wantMatched, tt.wantWidened)
			}
			if ev.Similar < 30 {
				t.Errorf("similar = %d, want ≥ 30", ev.Similar)
			}
		})
	}
}

func TestSeasonAndDate(t *testing.T) {
	m := defaultFit(t)
	q := Query{Market: "GB", Objective: "REACH", Format: "AUDIO", Placement: "MUSIC", AudienceSize: 3e6,
		AgeMin: 18, AgeMax: 34, BudgetUSD: 10000, Days: 14}
	undated, _ := m.Predict(q)
	q.Start = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	far, _ := m.Predict(q)
	q.Start = time.Date(2100, 7, 1, 0, 0, 0, 0, time.UTC)
	farJuly, _ := m.Predict(q)
	t.Logf("CPM undated %.2f, far-future January %.2f, July %.2f", undated.CPMUSD.Mid, far.CPMUSD.Mid, farJuly.CPMUSD.Mid)
	// A date past the history is priced like the history's newest campaign
	// and its month: no extrapolation of the trend.
	if ratio := far.CPMUSD.Mid / farJuly.CPMUSD.Mid; ratio < 0.5 || ratio > 2 {
		t.Errorf("January/July CPM ratio %v: implausible", ratio)
	}
	q.Start = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	farther, _ := m.Predict(q)
	if farther.CPMUSD.Mid != far.CPMUSD.Mid {
		t.Errorf("CPM kept moving past the history: %v → %v", far.CPMUSD.Mid, farther.CPMUSD.Mid)
	}
}

func TestBudgetBand(t *testing.T) {
	tests := []struct {
		give float64
		want string
	}{
		{1, "<1k USD"}, {999, "<1k USD"}, {1000, "1k–10k USD"}, {9999, "1k–10k USD"},
		{10000, "10k–100k USD"}, {250000, "100k–1M USD"}, {1e6, ">1M USD"}, {5e9, ">1M USD"},
	}
	for _, tt := range tests {
		if got := bandNames[budgetBand(tt.give)]; got != tt.want {
			t.Errorf("budgetBand(%v) = %s, want %s", tt.give, got, tt.want)
		}
	}
}

func TestAgesOverlap(t *testing.T) {
	var a ages
	for _, r := range [][2]int{{18, 24}, {25, 34}, {35, 44}, {18, 99}, {45, 54}} {
		a.add(r[0], r[1])
	}
	a.mins, a.maxs = sortedU8(a.mins), sortedU8(a.maxs)
	tests := []struct{ lo, hi, want int }{
		{18, 24, 2}, {24, 25, 3}, {60, 70, 1}, {13, 17, 0}, {13, 99, 5},
	}
	for _, tt := range tests {
		if got := a.overlapping(tt.lo, tt.hi); got != tt.want {
			t.Errorf("overlapping(%d, %d) = %d, want %d", tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestEvaluateFixture(t *testing.T) {
	r, err := Evaluate(fixture(20000, 5), 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.ImpressionsMdAPE >= r.BaselineImpressionsMdAPE || r.ResultMdAPE >= r.BaselineResultMdAPE {
		t.Errorf("model does not beat the baseline: %v", r)
	}
}

func sortedU8(s []uint8) []uint8 {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
