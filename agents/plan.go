package agents

import (
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/agents/spotify"
)

// Plan is the media plan for a brief: what was assumed, how the budget is split into
// line items (one Spotify ad set each), what each is forecast to deliver, what the
// forecast rests on, what a planner should be warned about, and the request bodies
// that create it through the Spotify Ads API.
type Plan struct {
	Brief     Brief     `json:"brief"`
	Channel   string    `json:"channel"`
	Objective Objective `json:"objective"`
	// Currency is the plan's currency: every amount in the plan is in it.
	Currency string `json:"currency"`
	// Budget is the total lifetime budget; a daily budget is multiplied out over the flight.
	Budget      float64      `json:"budget"`
	BudgetType  string       `json:"budget_type"`
	Flight      Schedule     `json:"flight"`
	Assumptions []Assumption `json:"assumptions"`
	LineItems   []LineItem   `json:"line_items"`
	Totals      Totals       `json:"totals"`
	Evidence    PlanEvidence `json:"evidence"`
	// Curve says what half, one and a half, two and three times the budget would
	// deliver on the objective, planned by the same rules; nil on plans made before
	// curves were added.
	Curve *Curve `json:"curve,omitempty"`
	// Added and Dropped say, for a revision, why each ad set the previous plan did not
	// have was opened and why each one it had was dropped (and what would keep it);
	// both are empty for a first plan.
	Added    []AdSetChange `json:"added,omitempty"`
	Dropped  []AdSetChange `json:"dropped,omitempty"`
	Warnings []string      `json:"warnings"`
	// Note is a short rationale written by a language model from the computed plan,
	// when one is configured; every number in it appears in the plan.
	Note string `json:"note,omitempty"`
	// SpotifyAdsAPI holds createCampaign and createAdSet request bodies.
	SpotifyAdsAPI spotify.Payloads `json:"spotify_ads_api"`
}

// Assumption is a field the brief did not state and the planner filled in, with why.
type Assumption struct {
	Field string `json:"field"`
	Value string `json:"value"`
	Why   string `json:"why"`
}

// AdSetChange is an ad set a revision opened or dropped, and why.
type AdSetChange struct {
	ID string `json:"id"`
	// Why names the rule or the change of brief behind it, with its numbers.
	Why string `json:"why"`
	// KeepWith, for a dropped ad set, is the budget in the plan's currency that would
	// keep it; 0 when money would not (the brief itself rules it out).
	KeepWith float64 `json:"keep_with,omitempty"`
}

// LineItem is one ad set: one market, one format, one placement.
type LineItem struct {
	ID         string   `json:"id"`
	Market     string   `json:"market"`
	Format     string   `json:"format"`
	Placements []string `json:"placements"`
	// Budget is the line item's lifetime budget in the plan's currency, to the cent;
	// BudgetMicro is the same in micro units, as the Ads API takes it. Line items add
	// up to the plan's budget exactly.
	Budget      float64           `json:"budget"`
	BudgetMicro int64             `json:"budget_micro"`
	Share       float64           `json:"share"`
	Audience    float64           `json:"audience_size"`
	Forecast    LineForecast      `json:"forecast"`
	Evidence    forecast.Evidence `json:"evidence"`
}

// LineForecast is what a line item is expected to deliver, each as a low/mid/high range.
// CPM is in the plan's currency.
type LineForecast struct {
	Impressions forecast.Range `json:"impressions"`
	Reach       forecast.Range `json:"reach"`
	Frequency   forecast.Range `json:"frequency"`
	CPM         forecast.Range `json:"cpm"`
	Result      ResultForecast `json:"result"`
}

// ResultForecast is the objective's own result: clicks, views, streams, installs,
// leads, conversions, or reach.
type ResultForecast struct {
	Metric string `json:"metric"`
	forecast.Range
}

// Totals sums the line items. Reach is summed across markets (audiences in different
// countries do not overlap) and so is an upper bound across formats in one market.
type Totals struct {
	Budget      float64        `json:"budget"`
	BudgetMicro int64          `json:"budget_micro"`
	Impressions forecast.Range `json:"impressions"`
	Reach       forecast.Range `json:"reach"`
	Frequency   forecast.Range `json:"frequency"`
	CPM         forecast.Range `json:"cpm"`
	Result      ResultForecast `json:"result"`
}

// PlanEvidence says what the plan rests on. It is recomputed for every version of
// a plan, from that version's line items.
type PlanEvidence struct {
	// SimilarCampaigns is how many similar past campaigns back the plan: the sum
	// over its line items of each one's similar campaigns (Counted says so). Line
	// items matched on different markets or formats count different campaigns; one
	// widened to all markets or any format may count a campaign another counts too.
	SimilarCampaigns int `json:"similar_campaigns"`
	// Counted says how SimilarCampaigns adds up the line items' campaigns.
	Counted string `json:"counted"`
	// HistorySize is how many past campaigns the planner learned from.
	HistorySize int `json:"history_size"`
	// MatchedOn lists every criterion some line item's campaigns were matched on
	// ("objective=REACH", "market=DE", "market=AT", "format=AUDIO", "audience 18–24",
	// "gender=FEMALE"), in that order.
	MatchedOn []string `json:"matched_on"`
	// Widened lists what was relaxed for a line item, each as "ID: step".
	Widened []string `json:"widened"`
	Method  string   `json:"method"`
	// Objective, Markets, Formats and Placements are the plan's own; Ages and
	// Genders the audience its evidence was matched on (empty: no criterion, or
	// widened away for every line item).
	Objective  Objective  `json:"objective"`
	Markets    []string   `json:"markets"`
	Formats    []string   `json:"formats"`
	Placements []string   `json:"placements"`
	Ages       []AgeRange `json:"ages"`
	Genders    []string   `json:"genders"`
	// LineItems is each line item's evidence in short, largest budget first.
	LineItems []LineEvidence `json:"line_items"`
	// Season is, per market, what past campaigns show about CPMs in the month the
	// flight is centred on.
	Season []SeasonNote `json:"season"`
	// FrequencyCaps are the caps the forecasts hold to (Spotify's defaults unless
	// the brief sets its own) and FrequencyCapsFrom where they come from.
	FrequencyCaps     []forecast.FrequencyCap `json:"frequency_caps"`
	FrequencyCapsFrom string                  `json:"frequency_caps_from"`
	// MaxFrequency is the most impressions a listener can get over the flight
	// under those caps; no forecast frequency exceeds it.
	MaxFrequency float64 `json:"max_frequency"`
	// Summary says all this in a sentence or two, as the CLI and Slack show it.
	Summary string `json:"summary"`
}

// LineEvidence is one line item's evidence in short.
type LineEvidence struct {
	ID      string   `json:"id"`
	Similar int      `json:"similar"`
	Widened []string `json:"widened"`
}

// SeasonNote is what past campaigns show about CPMs in a market in the month the
// flight is centred on.
type SeasonNote struct {
	Market string `json:"market"`
	forecast.Season
	// Text says it in a sentence: "January CPMs in DE ran 15% below the yearly
	// median in past campaigns (217 campaigns)".
	Text string `json:"text"`
}

// Curve is the plan's response curve: what other budgets would deliver on the
// objective, each split by the same rules as the plan (format caps, the minimum per
// ad set, the channel). The point at 1× is the plan itself.
type Curve struct {
	// Metric is the objective's result, as in Totals.Result.
	Metric string       `json:"metric"`
	Points []CurvePoint `json:"points"`
	// DiminishingFrom is the budget past which each extra unit of currency buys less
	// than half as much of the result as the average unit up to it did; 0 when that
	// does not happen within the curve.
	DiminishingFrom float64 `json:"diminishing_from,omitempty"`
	// Summary says the same in a sentence.
	Summary string `json:"summary"`
}

// CurvePoint is what one budget would buy.
type CurvePoint struct {
	// Multiple is the budget as a multiple of the plan's (0.5, 1, 1.5, 2, 3).
	Multiple    float64        `json:"multiple"`
	Budget      float64        `json:"budget"`
	BudgetMicro int64          `json:"budget_micro"`
	Impressions forecast.Range `json:"impressions"`
	Reach       forecast.Range `json:"reach"`
	Result      ResultForecast `json:"result"`
	// LineItems is how the budget would be split; they add up to it exactly.
	LineItems []CurveLine `json:"line_items"`
}

// CurveLine is one ad set's budget at a curve point.
type CurveLine struct {
	ID          string  `json:"id"`
	Budget      float64 `json:"budget"`
	BudgetMicro int64   `json:"budget_micro"`
}
