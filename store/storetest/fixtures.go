package storetest

import (
	"fmt"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/agents/spotify"
	"github.com/adplan/adplan/conversation"
)

// Thread returns a thread, not yet saved (Rev 0), with n versions whose briefs set
// every slot and every field, each with a plan and the ts it was posted as, and (for
// n > 0) an approval of the last; each version differs from the last, so a store that
// drops or mixes up any field fails a round trip. It returns equal threads for equal
// arguments. Implementation-specific tests use it too.
func Thread(id string, n int) *conversation.Thread {
	th := conversation.New(id)
	for i := 1; i <= n; i++ {
		th.Versions = append(th.Versions, version(i, fmt.Sprintf("message %d", i)))
	}
	if n > 0 {
		th.Approvals = []conversation.Approval{
			{User: "U0APPROVER", Version: n, At: time.Date(2026, 11, 22, 11, 0, 0, 987654321, time.UTC)},
		}
	}
	return th
}

func version(n int, message string) conversation.Version {
	start := agents.NewDate(2026, 11, 23).AddDays(n - 1)
	schedule := agents.ScheduleFor(start, 30*n)
	v := conversation.Version{
		N:       n,
		Message: message,
		// Nanoseconds check that nothing truncates the time; UTC because JSON keeps
		// the offset but not the *time.Location.
		At: time.Date(2026, 11, 22, 9, 30, n, 123456789, time.UTC),
		Brief: agents.Brief{
			Goal: &agents.Goal{
				Objective: agents.Objectives[n%len(agents.Objectives)],
				Formats:   []string{agents.FormatAudio, agents.FormatVideo},
				MaxShare:  map[string]float64{agents.FormatVideo: 0.25, agents.FormatAudio: 0.8 - 0.1*float64(n)},
			},
			Audience: &agents.Audience{
				AgeRanges: []agents.AgeRange{{Min: 18, Max: 24}, {Min: 45, Max: 99 - n}},
				Genders:   []string{agents.GenderFemale, agents.GenderNonBinary},
				Geo: agents.Geo{
					Countries: []string{"DE", "AT"},
					Regions:   []string{"Bavaria"},
					Cities:    []string{"Munich", fmt.Sprintf("City %d", n)},
				},
				Genres:     []string{"hip-hop"},
				Interests:  []string{"fitness"},
				Platforms:  []string{agents.PlatformIOS, agents.PlatformAndroid},
				Placements: []string{agents.PlacementPodcast, agents.PlacementMusic},
				Languages:  []string{"de"},
			},
			Budget: &agents.Budget{
				Amount:         5000 * float64(n),
				Currency:       "EUR",
				Type:           agents.BudgetLifetime,
				Min:            4000.5,
				CurrencyHint:   "€",
				CurrencySource: "written",
			},
			Schedule: &schedule,
		},
		Ran: []agents.Slot{agents.SlotGoal, agents.SlotAudience, agents.SlotBudget, agents.SlotSchedule},
		Changes: []conversation.Change{
			{Field: "budget.amount", Label: "Budget", From: fmt.Sprint(5000 * (n - 1)), To: fmt.Sprint(5000 * n)},
		},
		Notes:    []string{fmt.Sprintf("note on message %d", n)},
		PostedAs: fmt.Sprintf("1700000000.%06d", 100+n),
	}
	v.Plan = plan(n, v.Brief.Clone())
	return v
}

// plan returns a plan for brief b with every field set and two line items.
func plan(n int, b agents.Brief) *agents.Plan {
	budget := b.Budget.Amount
	rng := func(mid float64) forecast.Range { return forecast.Range{Low: 0.8 * mid, Mid: mid, High: 1.25 * mid} }
	line := func(i int, format string, share float64) agents.LineItem {
		return agents.LineItem{
			ID:          fmt.Sprintf("li-%d-%d", n, i),
			Market:      "DE",
			Format:      format,
			Placements:  []string{agents.PlacementMusic, agents.PlacementPodcast},
			Budget:      budget * share,
			BudgetMicro: int64(budget*share) * 1_000_000,
			Share:       share,
			Audience:    1.25e6 * float64(n),
			Forecast: agents.LineForecast{
				Impressions: rng(400000 * share),
				Reach:       rng(150000 * share),
				Frequency:   rng(2.7),
				CPM:         rng(12.5 + float64(i)),
				Result:      agents.ResultForecast{Metric: "reach", Range: rng(150000 * share)},
			},
			Evidence: forecast.Evidence{
				Similar:   412 + n,
				MatchedOn: []string{"objective=REACH", "market=DE", "format=" + format},
				Widened:   []string{"budget band"},
			},
		}
	}
	return &agents.Plan{
		Brief:      b,
		Channel:    "self_serve",
		Objective:  b.Goal.Objective,
		Currency:   "EUR",
		Budget:     budget,
		BudgetType: agents.BudgetLifetime,
		Flight:     *b.Schedule,
		Assumptions: []agents.Assumption{
			{Field: "goal.formats", Value: "AUDIO, VIDEO", Why: "the brief names no format"},
		},
		LineItems: []agents.LineItem{line(1, agents.FormatAudio, 0.75), line(2, agents.FormatVideo, 0.25)},
		Totals: agents.Totals{
			Budget:      budget,
			BudgetMicro: int64(budget) * 1_000_000,
			Impressions: rng(400000),
			Reach:       rng(150000),
			Frequency:   rng(2.7),
			CPM:         rng(13),
			Result:      agents.ResultForecast{Metric: "reach", Range: rng(150000)},
		},
		Evidence: agents.PlanEvidence{
			SimilarCampaigns: 412 + n,
			HistorySize:      5000,
			MatchedOn:        []string{"objective=REACH", "market=DE"},
			Widened:          []string{"market → region Western Europe"},
			Method:           "median of similar campaigns",
		},
		Warnings: []string{fmt.Sprintf("warning on plan %d", n)},
		// encoding/json decodes numbers to float64 and arrays to []any, so a planner's
		// payloads (int64s, []strings) come back equal as JSON but not as Go values;
		// these hold only what a decode gives, so a round trip can be compared whole.
		SpotifyAdsAPI: spotify.Payloads{
			Campaign: map[string]any{"name": fmt.Sprintf("adplan %d", n), "objective": string(b.Goal.Objective)},
			AdSets: []map[string]any{{
				"name":        fmt.Sprintf("adplan %d DE audio", n),
				"campaign_id": "{{campaign_id}}",
				"budget":      map[string]any{"micro_amount": float64(int64(budget*0.75) * 1_000_000), "type": "LIFETIME"},
				"targets": map[string]any{
					"age_ranges": []any{map[string]any{"min": 18.0, "max": 24.0}},
					"genders":    []any{"FEMALE"},
				},
			}},
			CampaignIDPlaceholder: "{{campaign_id}}",
			Unresolved: []spotify.Unresolved{{
				AdSet: fmt.Sprintf("adplan %d DE audio", n), AdSetIndex: 0, Field: "targets.genre_ids",
				Names: []string{"hip-hop"}, Lookup: "getTargets", Note: "look up by name",
			}},
			Notes: []string{"REACH maps to the REACH delivery goal"},
		},
	}
}
