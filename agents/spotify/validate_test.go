package spotify

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents/spotify/spotifytest"
)

type plan struct {
	name     string
	campaign CampaignSpec
	sets     []AdSetSpec
}

var markets = []struct{ country, currency string }{
	{"DE", "EUR"}, {"US", "USD"}, {"GB", "GBP"}, {"SE", "SEK"}, {"JP", "JPY"},
	{"BR", "BRL"}, {"MX", "MXN"}, {"AU", "AUD"}, {"FR", "EUR"}, {"IN", "INR"}, {"CA", "CAD"},
}

// variedPlans covers every objective with every format it allows, daily and lifetime
// budgets, eleven markets and currencies, bare and fully targeted ad sets.
func variedPlans() []plan {
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var plans []plan
	n := 0
	for _, objective := range objectiveNames() {
		rule := objectiveRules[objective]
		for _, format := range rule.formats {
			for _, targeted := range []bool{false, true} {
				m := markets[n%len(markets)]
				budgetType := []string{budgetLifetime, budgetDaily}[n%2]
				amount := int64(5000+1000*n) * micro
				if budgetType == budgetDaily {
					amount = int64(150+10*n) * micro
				}
				s := AdSetSpec{
					Name:        fmt.Sprintf("%s · %s · %s", m.country, format, objective),
					Market:      m.country,
					Format:      format,
					BudgetMicro: amount,
					Currency:    m.currency,
					BudgetType:  budgetType,
					Start:       start.AddDate(0, 0, n),
					End:         start.AddDate(0, 0, n+29),
				}
				if rule.onePhonePlatform {
					s.Platforms = []string{[]string{platformIOS, platformAndroid}[n%2]}
					if targeted {
						s.MobileAppID = "5bbc4fec-c9a5-4fc6-98f4-e950f40b74c7"
					}
				}
				if targeted {
					s.AgeRanges = []AgeRange{{18, 24}, {25, 34}}
					s.Genders = []string{"FEMALE", "NON_BINARY"}
					s.Genres = []string{"hip-hop", "rock", "jazz"}
					s.Interests = []string{"fitness", "travel"}
					s.Artists = []string{"Taylor Swift"}
					s.Regions = []string{"Bavaria"}
					s.Languages = []string{"de"}
					s.FrequencyCap = &FrequencyCap{MaxImpressions: 3, Period: 1, Unit: "DAY"}
					s.Category = "ADV_21_182"
					s.Pacing = []string{pacingEven, pacingASAP}[n%2]
					s.BidMicro = 18 * micro
					if !rule.onePhonePlatform && !rule.noDesktop {
						s.Platforms = []string{platformIOS, platformDesktop}
					}
					if rule.needsPodcast {
						s.Placements = []string{placementPodcast}
						s.PodcastShow = "4rOoJ6Egrf8K2IrywzwOMk"
					} else if !rule.musicOnly {
						s.Placements = []string{placementMusic, placementPodcast}
					}
					if objective == "CLICKS" && budgetType == budgetLifetime {
						s.BidStrategy, s.Pacing, s.BidMicro = bidCostPerResult, pacingEven, 1_500_000
					}
				}
				sets := []AdSetSpec{s}
				if n%3 == 0 { // a second market in the same currency
					s2 := s
					s2.Name += " (2)"
					s2.Market = map[string]string{"EUR": "AT", "USD": "PR", "GBP": "GB", "SEK": "SE", "JPY": "JP",
						"BRL": "BR", "MXN": "MX", "AUD": "NZ", "INR": "IN", "CAD": "CA"}[m.currency]
					s2.Languages = nil
					s2.Placements = nil
					if rule.onePhonePlatform {
						s2.Platforms = []string{platformAndroid}
					}
					sets = append(sets, s2)
				}
				plans = append(plans, plan{
					name:     fmt.Sprintf("%02d %s %s %s %s targeted=%v", n, objective, format, budgetType, m.country, targeted),
					campaign: CampaignSpec{Name: fmt.Sprintf("adplan %s %d", strings.ToLower(objective), n), Objective: objective, PurchaseOrder: []string{"", "PO-2026-11"}[n%2]},
					sets:     sets,
				})
				n++
			}
		}
	}
	return plans
}

func TestPayloadsValidateAgainstTheAdsAPI(t *testing.T) {
	v := spotifytest.New(t)
	plans := variedPlans()
	if len(plans) < 30 {
		t.Fatalf("only %d plans; want at least 30", len(plans))
	}
	var campaigns, adSets int
	seen := map[string]bool{}
	for _, p := range plans {
		got, err := Build(p.campaign, p.sets)
		if err != nil {
			t.Errorf("%s: Build: %v", p.name, err)
			continue
		}
		if err := v.Validate(t, "createCampaign", got.Campaign); err != nil {
			t.Errorf("%s: createCampaign body %v: %v", p.name, got.Campaign, err)
		}
		campaigns++
		if len(got.AdSets) != len(p.sets) {
			t.Errorf("%s: %d ad set bodies for %d specs", p.name, len(got.AdSets), len(p.sets))
		}
		for i, body := range got.AdSets {
			if err := v.Validate(t, "createAdSet", body); err != nil {
				js, _ := json.Marshal(body)
				t.Errorf("%s: createAdSet body %d %s: %v", p.name, i, js, err)
			}
			adSets++
			seen[fmt.Sprint(got.Campaign["objective"], body["asset_format"], body["budget"].(map[string]any)["type"])] = true
		}
	}
	t.Logf("%d plans: %d createCampaign and %d createAdSet bodies validated against the Ads API document (%d objective/format/budget combinations)",
		len(plans), campaigns, adSets, len(seen))
}

// TestValidatorRejectsBrokenBodies proves the validation can fail: each body breaks one
// rule of the document and must be rejected.
func TestValidatorRejectsBrokenBodies(t *testing.T) {
	v := spotifytest.New(t)
	good, err := Build(CampaignSpec{Name: "Broken bodies", Objective: "REACH"}, []AdSetSpec{{
		Name: "DE audio", Market: "DE", Format: "AUDIO", BudgetMicro: 5000 * micro, Currency: "EUR", BudgetType: "LIFETIME",
		Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC),
		AgeRanges: []AgeRange{{18, 24}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(t, "createAdSet", good.AdSets[0]); err != nil {
		t.Fatalf("the unbroken ad set fails: %v", err)
	}
	if err := v.Validate(t, "createCampaign", good.Campaign); err != nil {
		t.Fatalf("the unbroken campaign fails: %v", err)
	}
	tests := []struct {
		name      string
		want      string // where the error must point
		operation string
		breakIt   func(body map[string]any)
	}{
		{"campaign_id as a template, not a UUID", "/campaign_id", "createAdSet", func(b map[string]any) { b["campaign_id"] = "{{campaign.id}}" }},
		{"budget in major units as a string", "/budget/micro_amount", "createAdSet", func(b map[string]any) { b["budget"].(map[string]any)["micro_amount"] = "5000" }},
		{"no targets", "/targets", "createAdSet", func(b map[string]any) { delete(b, "targets") }},
		{"no bid_strategy", "/bid_strategy", "createAdSet", func(b map[string]any) { delete(b, "bid_strategy") }},
		{"age below 13", "/targets/age_ranges/0/min", "createAdSet", func(b map[string]any) {
			b["targets"].(map[string]any)["age_ranges"] = []map[string]any{{"min": 12, "max": 24}}
		}},
		{"geo_targets as an array", "/targets/geo_targets", "createAdSet", func(b map[string]any) {
			b["targets"].(map[string]any)["geo_targets"] = []map[string]any{{"country_code": "DE"}}
		}},
		{"date without time", "/start_time", "createAdSet", func(b map[string]any) { b["start_time"] = "2026-11-23" }},
		{"bid_strategy as an object", "/bid_strategy", "createAdSet", func(b map[string]any) { b["bid_strategy"] = map[string]any{"type": "MAX_BID"} }},
		{"unknown placement", "/targets/placements/0", "createAdSet", func(b map[string]any) { b["targets"].(map[string]any)["placements"] = []string{"RADIO"} }},
		{"misspelt field", ".frequency_cap", "createAdSet", func(b map[string]any) { b["frequency_cap"] = []any{} }},
		{"objective CONVERSIONS", "/objective", "createCampaign", func(b map[string]any) { b["objective"] = "CONVERSIONS" }},
		{"objective LEAD_GEN", "/objective", "createCampaign", func(b map[string]any) { b["objective"] = "LEAD_GEN" }},
		{"no objective", "/objective", "createCampaign", func(b map[string]any) { delete(b, "objective") }},
		{"name with a trailing space", "/name", "createCampaign", func(b map[string]any) { b["name"] = "Broken bodies " }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body map[string]any
			src := good.Campaign
			if tt.operation == "createAdSet" {
				src = good.AdSets[0]
			}
			data, _ := json.Marshal(src)
			if err := json.Unmarshal(data, &body); err != nil {
				t.Fatal(err)
			}
			tt.breakIt(body)
			err := v.Validate(t, tt.operation, body)
			if err == nil {
				t.Fatalf("%s accepted a body with %s", tt.operation, tt.name)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("the error does not point at %s: %v", tt.want, err)
			}
		})
	}
}

func TestVariedPlansCoverEveryObjectiveAndFormat(t *testing.T) {
	covered := map[string][]string{}
	budgets := map[string]bool{}
	for _, p := range variedPlans() {
		o := p.campaign.Objective
		for _, s := range p.sets {
			if !slices.Contains(covered[o], s.Format) {
				covered[o] = append(covered[o], s.Format)
			}
			budgets[s.BudgetType] = true
		}
	}
	for o, r := range objectiveRules {
		for _, f := range r.formats {
			if !slices.Contains(covered[o], f) {
				t.Errorf("no plan for %s with %s", o, f)
			}
		}
	}
	if !budgets[budgetDaily] || !budgets[budgetLifetime] {
		t.Errorf("budget types covered: %v", budgets)
	}
}

// TestDocumentExampleValidates checks the validator against the document's own createAdSet
// example, so that it is not stricter than the API.
func TestDocumentExampleValidates(t *testing.T) {
	v := spotifytest.New(t)
	example := v.Example("createAdSet")
	if example == nil {
		t.Skip("skipping: the document has no createAdSet example")
	}
	if err := v.Validate(t, "createAdSet", example); err != nil {
		t.Errorf("the document's createAdSet example fails: %v", err)
	}
}
