package planner

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/sharedtest"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/agents/spotify/spotifytest"
)

var (
	testPlannerOnce sync.Once
	testPlanner     *Planner
	testPlannerErr  error
)

// planner returns one planner for all tests: fitting the forecasts on the default
// history is done once.
func sharedPlanner(t testing.TB) *Planner {
	t.Helper()
	testPlannerOnce.Do(func() {
		testPlanner, testPlannerErr = New(Options{})
	})
	if testPlannerErr != nil {
		t.Fatalf("New: %v", testPlannerErr)
	}
	return testPlanner
}

var planNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// planBrief reads text as a first brief and plans it.
func planBrief(t testing.TB, text, channel string) agents.Plan {
	t.Helper()
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Read(context.Background(), agents.Brief{}, text, false, planNow)
	if err != nil {
		t.Fatalf("reading %q: %v", text, err)
	}
	p, err := sharedPlanner(t).Plan(context.Background(), r.Brief, planNow, channel)
	if err != nil {
		t.Fatalf("planning %q: %v", text, err)
	}
	return p
}

// variedBriefs are the briefs the property tests run over: the bench set plus briefs
// that stress the rules (caps, objectives with format rules, missing fields).
func variedBriefs(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("../../cmd/adplan/bench_briefs.txt")
	if err != nil {
		t.Fatalf("opening the bench briefs: %v", err)
	}
	defer f.Close()
	var briefs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			briefs = append(briefs, line)
		}
	}
	briefs = append(briefs,
		"awareness in Germany",
		"$5,000",
		"video views from Gen Z in the US, 50k, 4 weeks",
		"podcast streams in Spain, €3,000, 30 days",
		"app installs in Germany, €20,000, 6 weeks",
		"no video, reach in Italy with €15,000 over 2 weeks",
		"mostly audio, keep video under 20%, reach 18-34 in France, €30,000, Q1",
		"clicks in Canada and the US, $1,000,000, next quarter",
		"leads in the UK, £900, 5 days",
	)
	return briefs
}

func TestPlanBudgetsAddUpExactly(t *testing.T) {
	for _, brief := range variedBriefs(t) {
		t.Run(brief, func(t *testing.T) {
			p := planBrief(t, brief, "")
			if len(p.LineItems) == 0 {
				t.Fatalf("no line items; warnings %q", p.Warnings)
			}
			var micro int64
			cents := 0.0
			for _, li := range p.LineItems {
				micro += li.BudgetMicro
				cents += math.Round(li.Budget * 100)
				if li.BudgetMicro%10_000 != 0 {
					t.Errorf("%s budget %d micro is not whole cents", li.ID, li.BudgetMicro)
				}
			}
			if want := int64(math.Round(p.Budget*100)) * 10_000; micro != want || p.Totals.BudgetMicro != want {
				t.Errorf("line items add up to %d micro, totals say %d, want %d (%v %s)", micro, p.Totals.BudgetMicro, want, p.Budget, p.Currency)
			}
			if cents != math.Round(p.Budget*100) {
				t.Errorf("line item budgets add up to %.2f, want %.2f", cents/100, p.Budget)
			}
		})
	}
}

func TestPlanHonoursLimitsAndObjectiveRules(t *testing.T) {
	tests := []struct {
		give  string
		check func(t *testing.T, p agents.Plan)
	}{
		{"no video, reach in Italy with €15,000 over 2 weeks", func(t *testing.T, p agents.Plan) {
			for _, li := range p.LineItems {
				if li.Format == agents.FormatVideo {
					t.Errorf("%s is video in a no-video plan", li.ID)
				}
			}
		}},
		{"audio only, reach in Spain, €10,000, 30 days", func(t *testing.T, p agents.Plan) {
			for _, li := range p.LineItems {
				if li.Format != agents.FormatAudio {
					t.Errorf("%s is %s in an audio-only plan", li.ID, li.Format)
				}
			}
		}},
		{"mostly audio, keep video under 20%, reach 18-34 in France, €30,000, Q1", func(t *testing.T, p agents.Plan) {
			video := 0.0
			for _, li := range p.LineItems {
				if li.Format == agents.FormatVideo {
					video += li.Share
				}
			}
			if video > 0.2+1e-9 {
				t.Errorf("video takes %.1f%% of the budget, over the 20%% cap", video*100)
			}
		}},
		{"video views from Gen Z in the US, 50k, 4 weeks", func(t *testing.T, p agents.Plan) {
			for _, li := range p.LineItems {
				if li.Format != agents.FormatVideo || !slices.Equal(li.Placements, []string{agents.PlacementMusic}) {
					t.Errorf("VIDEO_VIEWS line %s is %s on %v; it must be video on music", li.ID, li.Format, li.Placements)
				}
			}
		}},
		{"podcast streams in Spain, €3,000, 30 days", func(t *testing.T, p agents.Plan) {
			for _, li := range p.LineItems {
				if li.Format != agents.FormatAudio || !slices.Equal(li.Placements, []string{agents.PlacementPodcast}) {
					t.Errorf("PODCAST_STREAMS line %s is %s on %v; it must be audio on podcasts", li.ID, li.Format, li.Placements)
				}
			}
		}},
		{"app installs in Germany, €20,000, 6 weeks", func(t *testing.T, p agents.Plan) {
			sets := p.SpotifyAdsAPI.AdSets
			if len(sets) != len(p.LineItems) || len(sets) == 0 {
				t.Fatalf("%d ad sets for %d line items", len(sets), len(p.LineItems))
			}
			for _, li := range p.LineItems {
				if !strings.HasSuffix(li.ID, "-ios") && !strings.HasSuffix(li.ID, "-android") {
					t.Errorf("APP_INSTALLS line %s does not target exactly one mobile platform", li.ID)
				}
			}
		}},
		{"reach people in Germany, Austria and Switzerland with €30,000 over 30 days", func(t *testing.T, p agents.Plan) {
			markets := map[string]bool{}
			for _, li := range p.LineItems {
				markets[li.Market] = true
			}
			if len(markets) != 3 {
				t.Errorf("plan covers %v; each named market needs an ad set of its own", markets)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			tt.check(t, planBrief(t, tt.give, ""))
		})
	}
}

func TestPlanReachNeverExceedsAudienceOrImpressions(t *testing.T) {
	for _, brief := range append(variedBriefs(t), "reach 18-19 year old women in Ireland with $2,000,000 over 3 days") {
		p := planBrief(t, brief, "")
		for _, li := range p.LineItems {
			f := li.Forecast
			if f.Reach.High > li.Audience+0.5 || f.Reach.High > f.Impressions.High+0.5 {
				t.Errorf("%q: %s reach up to %.0f with an audience of %.0f and %.0f impressions", brief, li.ID, f.Reach.High, li.Audience, f.Impressions.High)
			}
			for name, r := range map[string][3]float64{
				"impressions": {f.Impressions.Low, f.Impressions.Mid, f.Impressions.High},
				"reach":       {f.Reach.Low, f.Reach.Mid, f.Reach.High},
				"frequency":   {f.Frequency.Low, f.Frequency.Mid, f.Frequency.High},
				"cpm":         {f.CPM.Low, f.CPM.Mid, f.CPM.High},
				"result":      {f.Result.Low, f.Result.Mid, f.Result.High},
			} {
				if !(r[0] <= r[1] && r[1] <= r[2]) || r[0] < 0 || math.IsNaN(r[1]) {
					t.Errorf("%q: %s %s range %v is not low ≤ mid ≤ high", brief, li.ID, name, r)
				}
			}
		}
	}
}

func TestPlanReachAndFrequencyGrowWithBudget(t *testing.T) {
	var prevReach, prevFreq float64
	for _, budget := range []string{"€2,000", "€10,000", "€50,000", "€250,000", "€1,000,000"} {
		p := planBrief(t, "reach 18-24 year olds in Austria with "+budget+" over 30 days", "")
		reach, freq := p.Totals.Reach.Mid, p.Totals.Frequency.Mid
		if reach < prevReach {
			t.Errorf("reach fell from %.0f to %.0f when the budget rose to %s", prevReach, reach, budget)
		}
		if freq < prevFreq-1e-9 {
			t.Errorf("frequency fell from %.2f to %.2f when the budget rose to %s", prevFreq, freq, budget)
		}
		if prevReach > 0 && reach > 2*prevReach*5 {
			t.Errorf("reach grew more than the budget: %.0f → %.0f", prevReach, reach)
		}
		prevReach, prevFreq = reach, freq
	}
	if prevFreq <= 1 {
		t.Errorf("a €1M budget on one country's 18-24s reaches each person %.2f times; frequency must rise", prevFreq)
	}
}

func TestPlanLongerFlightLowersDailySpend(t *testing.T) {
	short := planBrief(t, "reach in Sweden with 100,000 SEK over 2 weeks", "")
	long := planBrief(t, "reach in Sweden with 100,000 SEK over 8 weeks", "")
	if short.Budget != long.Budget {
		t.Fatalf("budgets differ: %v vs %v", short.Budget, long.Budget)
	}
	if d1, d2 := short.Budget/float64(short.Flight.Days), long.Budget/float64(long.Flight.Days); d2 >= d1 {
		t.Errorf("daily spend %.2f over 8 weeks is not below %.2f over 2 weeks", d2, d1)
	}
	if long.Totals.Impressions.Mid/float64(long.Flight.Days) >= short.Totals.Impressions.Mid/float64(short.Flight.Days) {
		t.Errorf("daily impressions did not fall with the longer flight")
	}
}

func TestPlanIsDeterministic(t *testing.T) {
	for _, brief := range variedBriefs(t)[:10] {
		a, _ := json.Marshal(planBrief(t, brief, ""))
		b, _ := json.Marshal(planBrief(t, brief, ""))
		if string(a) != string(b) {
			t.Errorf("two plans of %q differ", brief)
		}
	}
}

func TestPlanLabelsAssumptions(t *testing.T) {
	p := planBrief(t, "awareness", "")
	fields := map[string]agents.Assumption{}
	for _, a := range p.Assumptions {
		fields[a.Field] = a
		if a.Value == "" || a.Why == "" {
			t.Errorf("assumption %+v lacks a value or a reason", a)
		}
	}
	for _, want := range []string{"audience.geo.countries", "budget.amount", "schedule.start", "schedule.days"} {
		if _, ok := fields[want]; !ok {
			t.Errorf("no assumption for %s; got %v", want, p.Assumptions)
		}
	}
	if !strings.Contains(fields["budget.amount"].Why, "past") {
		t.Errorf("the budget assumption is not backed by past campaigns: %q", fields["budget.amount"].Why)
	}
	if p.Budget <= 0 || p.Flight.Days <= 0 || p.Flight.Start.String() != "2026-11-23" {
		t.Errorf("filled-in plan: budget %v, flight %+v", p.Budget, p.Flight)
	}
}

func TestPlanWarnings(t *testing.T) {
	tests := []struct {
		give, want string
	}{
		{"reach in the US with $150 over 30 days", "minimum"},
		{"reach in France with €20,000 over 3 days", "too short"},
		{"reach in Spain, Italy and Portugal with €1,500 over 3 months", "ES, PT left out"},
		{"reach 13-17 year olds in the UK with £10,000 over 30 days", "under 18"},
		{"reach 18-19 year old women in Ireland with $2,000,000 over 30 days", "narrow"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			p := planBrief(t, tt.give, "")
			if !strings.Contains(strings.Join(p.Warnings, " | "), tt.want) {
				t.Errorf("warnings %q lack %q", p.Warnings, tt.want)
			}
		})
	}
}

// A thread's brief can sit while time passes: a flight whose start has gone by is
// flagged, not silently moved.
func TestPlanWarnsOfDatesInThePast(t *testing.T) {
	b := agents.Brief{
		Audience: &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}}},
		Budget:   &agents.Budget{Amount: 10000, Currency: "EUR", Type: agents.BudgetLifetime},
		Schedule: &agents.Schedule{Start: agents.NewDate(2026, 11, 1), End: agents.NewDate(2026, 11, 30), Days: 30},
	}
	p, err := sharedPlanner(t).Plan(context.Background(), b, planNow, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(p.Warnings, " | "), "not in the future") {
		t.Errorf("warnings %q do not flag a start in the past", p.Warnings)
	}
}

func TestPlanShowsItsEvidence(t *testing.T) {
	p := planBrief(t, "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", "")
	if p.Evidence.SimilarCampaigns < 30 || len(p.Evidence.MatchedOn) == 0 || p.Evidence.HistorySize < 50_000 {
		t.Errorf("evidence %+v: want at least 30 similar of 50,000+ and what they matched on", p.Evidence)
	}
}

func TestPlanChannelsChangeOnlyPolicy(t *testing.T) {
	const brief = "reach in the UK with £40,000 over 30 days"
	self := planBrief(t, brief, "self-serve")
	direct := planBrief(t, brief, "direct")
	prog := planBrief(t, brief, "programmatic")
	if self.Channel != "self-serve" || direct.Channel != "direct" || prog.Channel != "programmatic" {
		t.Fatalf("channels %q %q %q", self.Channel, direct.Channel, prog.Channel)
	}
	if self.Budget != direct.Budget || self.Budget != prog.Budget {
		t.Errorf("the channel changed the budget")
	}
	if _, err := sharedPlanner(t).Plan(context.Background(), agents.Brief{}, planNow, "billboard"); err == nil || !strings.Contains(err.Error(), "self-serve") {
		t.Errorf("an unknown channel gave %v; want an error listing the channels", err)
	}
}

// TestPlanUsesTheChannelTheBriefNames: "through our Spotify rep" in a brief buys
// direct, whatever the team configured.
func TestPlanUsesTheChannelTheBriefNames(t *testing.T) {
	r := planBrief(t, "reach in the UK with £40,000 over 30 days", "self-serve")
	b := r.Brief
	b.Goal = &agents.Goal{Objective: agents.ObjectiveReach, Channel: agents.ChannelDirect}
	p, err := sharedPlanner(t).Plan(context.Background(), b, planNow, "self-serve")
	if err != nil {
		t.Fatal(err)
	}
	if p.Channel != agents.ChannelDirect {
		t.Fatalf("plan channel %q; the brief asked for %q", p.Channel, agents.ChannelDirect)
	}
}

func TestPlanRefusesWhatCannotBePlanned(t *testing.T) {
	c, _ := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	for _, give := range []string{"reach in France with -500 euros", "reach in France with €0", "reach in Iceland with €20,000 over 30 days"} {
		r, err := c.Read(context.Background(), agents.Brief{}, give, false, planNow)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sharedPlanner(t).Plan(context.Background(), r.Brief, planNow, ""); err == nil {
			t.Errorf("planned %q; a plan needs a positive budget", give)
		}
	}
}

func BenchmarkPlan(b *testing.B) {
	p := sharedPlanner(b)
	c, _ := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	var briefs []agents.Brief
	for _, text := range variedBriefs(b) {
		r, err := c.Read(context.Background(), agents.Brief{}, text, false, planNow)
		if err != nil {
			b.Fatal(err)
		}
		briefs = append(briefs, r.Brief)
	}
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := p.Plan(context.Background(), briefs[i%len(briefs)], planNow, ""); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		i++
	}
	sharedtest.ReportPercentiles(b, took)
}

// TestPlanPayloadsValidateAgainstTheAdsAPI checks every createCampaign and createAdSet
// body the planner emits, for every varied brief, against Spotify's OpenAPI document.
func TestPlanPayloadsValidateAgainstTheAdsAPI(t *testing.T) {
	v := spotifytest.New(t)
	briefs := variedBriefs(t)
	if len(briefs) < 30 {
		t.Fatalf("only %d briefs; the payload check needs at least 30", len(briefs))
	}
	adSets := 0
	for _, brief := range briefs {
		p := planBrief(t, brief, "")
		for _, w := range p.Warnings {
			if strings.Contains(w, "payloads could not be built") {
				t.Errorf("%q: %s", brief, w)
			}
		}
		if err := v.Validate(t, "createCampaign", p.SpotifyAdsAPI.Campaign); err != nil {
			t.Errorf("%q: createCampaign body invalid: %v", brief, err)
		}
		if len(p.SpotifyAdsAPI.AdSets) != len(p.LineItems) {
			t.Errorf("%q: %d ad set bodies for %d line items", brief, len(p.SpotifyAdsAPI.AdSets), len(p.LineItems))
		}
		for i, body := range p.SpotifyAdsAPI.AdSets {
			adSets++
			if err := v.Validate(t, "createAdSet", body); err != nil {
				t.Errorf("%q: createAdSet body %d invalid: %v", brief, i, err)
			}
		}
	}
	t.Logf("%d briefs: %d createCampaign and %d createAdSet bodies validated", len(briefs), len(briefs), adSets)
}

// A budget beyond any plausible ad budget (over about a billion US dollars, in
// whatever currency) is refused with the reason, whichever surface asks; one just
// under it is planned.
func TestAnAbsurdBudgetIsRefused(t *testing.T) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	for text, refused := range map[string]bool{
		"reach in Germany with €1,000,000,000,000 over 30 days": true,
		"reach in Japan with ¥500,000,000,000 over 30 days":     true,
		"reach in the US with $2,000,000,000 over 30 days":      true,
		"reach in the US with $900,000,000 over 30 days":        false,
		"reach in Germany with €5,000 over 30 days":             false,
	} {
		r, err := c.Read(context.Background(), agents.Brief{}, text, false, planNow)
		if err != nil {
			t.Fatalf("reading %q: %v", text, err)
		}
		_, err = sharedPlanner(t).Plan(context.Background(), r.Brief, planNow, "")
		switch {
		case refused && (err == nil || !strings.Contains(err.Error(), "beyond any plausible ad budget")):
			t.Errorf("%q: err = %v; want it refused as beyond any plausible budget", text, err)
		case !refused && err != nil:
			t.Errorf("%q: %v", text, err)
		}
	}
}
