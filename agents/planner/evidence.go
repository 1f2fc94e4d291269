package planner

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
)

// countedBy says how the plan's similar campaigns add up its line items'.
const countedBy = "sum over line items"

// planEvidence sums up what the plan in front of the user rests on, from its own
// line items (largest first): how many similar past campaigns back them, what they
// were matched on and what was widened for which line item, what the history shows
// about the season of the flight in each market, and the frequency caps the
// forecasts hold to.
func (p *Planner) planEvidence(in planInputs, items []agents.LineItem) agents.PlanEvidence {
	ev := agents.PlanEvidence{
		Counted: countedBy, HistorySize: p.historySize, Method: forecastMethod,
		Objective: in.objective, MatchedOn: []string{}, Widened: []string{},
		Markets: []string{}, Formats: []string{}, Placements: []string{},
		Ages: []agents.AgeRange{}, Genders: []string{},
		LineItems: make([]agents.LineEvidence, 0, len(items)),
		Season:    []agents.SeasonNote{}, FrequencyCaps: forecast.SpotifyDefaultCaps,
		FrequencyCapsFrom: "Spotify's defaults",
		MaxFrequency:      forecast.FlightFrequency(in.days, forecast.SpotifyDefaultCaps),
	}
	var markets, regions, formats, placements, bands []string
	for _, li := range items {
		e := li.Evidence
		ev.SimilarCampaigns += e.Similar
		ev.LineItems = append(ev.LineItems, agents.LineEvidence{ID: li.ID, Similar: e.Similar, Widened: nonNilSlice(e.Widened)})
		for _, w := range e.Widened {
			ev.Widened = append(ev.Widened, li.ID+": "+w)
		}
		ev.Markets = addUnique(ev.Markets, li.Market)
		ev.Formats = addUnique(ev.Formats, li.Format)
		for _, pl := range li.Placements {
			ev.Placements = addUnique(ev.Placements, pl)
		}
		m := e.Match
		markets = addUnique(markets, m.Market)
		regions = addUnique(regions, m.Region)
		formats = addUnique(formats, m.Format)
		placements = addUnique(placements, m.Placement)
		bands = addUnique(bands, m.BudgetBand)
		if m.AgeMin != 0 || m.AgeMax != 0 {
			if r := (agents.AgeRange{Min: m.AgeMin, Max: m.AgeMax}); !slices.Contains(ev.Ages, r) {
				ev.Ages = append(ev.Ages, r)
			}
		}
		ev.Genders = addUnique(ev.Genders, m.Gender)
	}
	if len(items) > 0 {
		ev.MatchedOn = append(ev.MatchedOn, "objective="+string(in.objective))
	}
	ev.MatchedOn = appendPrefixed(ev.MatchedOn, "market=", markets)
	ev.MatchedOn = appendPrefixed(ev.MatchedOn, "region=", regions)
	ev.MatchedOn = appendPrefixed(ev.MatchedOn, "format=", formats)
	ev.MatchedOn = appendPrefixed(ev.MatchedOn, "placement=", placements)
	ev.MatchedOn = appendPrefixed(ev.MatchedOn, "budget band ", bands)
	for _, r := range ev.Ages {
		ev.MatchedOn = append(ev.MatchedOn, fmt.Sprintf("audience %d–%d", r.Min, r.Max))
	}
	ev.MatchedOn = appendPrefixed(ev.MatchedOn, "gender=", ev.Genders)
	for _, mk := range ev.Markets {
		s := p.model.Season(mk, in.start.Time(), in.days)
		ev.Season = append(ev.Season, agents.SeasonNote{Market: mk, Season: s, Text: seasonText(mk, s)})
	}
	ev.Summary = evidenceSummary(ev, items, in.days)
	return ev
}

// seasonText says what the history shows about the flight's month in a market.
func seasonText(market string, s forecast.Season) string {
	switch {
	case s.Month == "":
		return "No start date: the forecast takes no season into account."
	case !s.Shown && s.Scope == market:
		return fmt.Sprintf("Past campaigns in %s show no seasonal difference in CPM for %s flights (%s campaigns).", market, s.Month, agents.FormatCount(float64(s.Campaigns)))
	case !s.Shown:
		return fmt.Sprintf("Past campaigns show no seasonal difference in CPM for %s flights (%s campaigns across all markets); %s is priced without one.", s.Month, agents.FormatCount(float64(s.Campaigns)), market)
	}
	dir := "above"
	if s.CPMChange < 0 {
		dir = "below"
	}
	pct := math.Round(math.Abs(s.CPMChange) * 100)
	if s.Scope == market {
		return fmt.Sprintf("%s CPMs in %s ran %.0f%% %s the yearly median in past campaigns (%s campaigns); the forecast prices it in.", s.Month, market, pct, dir, agents.FormatCount(float64(s.Campaigns)))
	}
	return fmt.Sprintf("%s CPMs across all markets ran %.0f%% %s the yearly median in past campaigns (%s campaigns); %s's own are too few to tell, and its forecast takes the all-market season.", s.Month, pct, dir, agents.FormatCount(float64(s.Campaigns)), market)
}

// evidenceSummary says the plan's evidence in a few sentences: how many similar
// campaigns, what they matched on, what was widened for which line item, the season
// and the frequency caps.
func evidenceSummary(ev agents.PlanEvidence, items []agents.LineItem, days int) string {
	var b strings.Builder
	counted := fmt.Sprintf("summed over its %d ad sets", len(items))
	if len(items) == 1 {
		counted = "its one ad set"
	}
	fmt.Fprintf(&b, "%s similar past campaigns back the plan (%s), matched on objective %s, %s %s, %s %s, %s %s",
		agents.FormatCount(float64(ev.SimilarCampaigns)), counted, ev.Objective,
		plural("market", len(ev.Markets)), matchedMarkets(items),
		plural("format", len(ev.Formats)), strings.Join(ev.Formats, ", "),
		plural("placement", len(ev.Placements)), strings.Join(ev.Placements, ", "))
	if len(ev.Ages) > 0 {
		ages := make([]string, len(ev.Ages))
		for i, r := range ev.Ages {
			ages[i] = fmt.Sprintf("%d–%d", r.Min, r.Max)
		}
		fmt.Fprintf(&b, ", ages %s", strings.Join(ages, ", "))
	}
	for _, g := range ev.Genders {
		b.WriteString(", " + genderWord(g))
	}
	b.WriteString(".")
	var widened []string
	for _, le := range ev.LineItems {
		if len(le.Widened) > 0 {
			widened = append(widened, fmt.Sprintf("%s (%s)", le.ID, strings.Join(le.Widened, ", ")))
		}
	}
	if len(widened) > 0 {
		fmt.Fprintf(&b, " Widened for %s.", strings.Join(widened, "; "))
	}
	for _, s := range ev.Season {
		b.WriteString(" " + s.Text)
	}
	caps := make([]string, len(ev.FrequencyCaps))
	for i, c := range ev.FrequencyCaps {
		caps[i] = c.String()
	}
	fmt.Fprintf(&b, " Frequency capped at %s (%s): at most %.0f impressions a listener over %d days.",
		strings.Join(caps, ", "), ev.FrequencyCapsFrom, ev.MaxFrequency, days)
	return b.String()
}

// matchedMarkets names the plan's markets, each with what its evidence was
// widened to when not the market itself: "DE, AT (as Western Europe)".
func matchedMarkets(items []agents.LineItem) string {
	var out []string
	seen := map[string]bool{}
	for _, li := range items {
		if seen[li.Market] {
			continue
		}
		seen[li.Market] = true
		m := li.Evidence.Match
		switch {
		case m.Market == li.Market:
			out = append(out, li.Market)
		case m.Region != "":
			out = append(out, fmt.Sprintf("%s (as %s)", li.Market, m.Region))
		default:
			out = append(out, fmt.Sprintf("%s (as all markets)", li.Market))
		}
	}
	return strings.Join(out, ", ")
}

func plural(word string, n int) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func genderWord(g string) string {
	switch g {
	case agents.GenderFemale:
		return "women"
	case agents.GenderMale:
		return "men"
	}
	return strings.ToLower(g)
}

func addUnique(s []string, v string) []string {
	if v == "" || slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func appendPrefixed(out []string, prefix string, vs []string) []string {
	for _, v := range vs {
		out = append(out, prefix+v)
	}
	return out
}
