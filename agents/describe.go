package agents

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/adplan/adplan/agents/money"
)

// Field is one stated part of a brief in words, as every surface shows it.
type Field struct {
	// Name is the field's path in the JSON contract ("schedule.days").
	Name string
	// Label is a short heading for people ("Flight length").
	Label string
	// Value is the field in words ("30 days"); never empty.
	Value string
}

// Fields lists what the brief states, in a fixed order; unstated fields are left out.
// Surfaces render it and conversations compare it, so a brief reads the same everywhere.
func (b Brief) Fields() []Field {
	var fs []Field
	add := func(name, label, value string) {
		if value != "" {
			fs = append(fs, Field{Name: name, Label: label, Value: value})
		}
	}
	if g := b.Goal; g != nil {
		add("goal.objective", "Objective", string(g.Objective))
		add("goal.formats", "Formats", strings.Join(g.Formats, ", "))
		add("goal.max_share", "Format caps", formatShares(g.MaxShare))
		add("goal.channel", "Buying channel", g.Channel)
	}
	if a := b.Audience; a != nil {
		add("audience.age_ranges", "Ages", FormatAgeRanges(a.AgeRanges))
		add("audience.genders", "Genders", strings.Join(a.Genders, ", "))
		add("audience.geo.countries", "Countries", strings.Join(a.Geo.Countries, ", "))
		add("audience.geo.regions", "Regions", strings.Join(a.Geo.Regions, ", "))
		add("audience.geo.cities", "Cities", strings.Join(a.Geo.Cities, ", "))
		add("audience.genres", "Genres", strings.Join(a.Genres, ", "))
		add("audience.interests", "Interests", strings.Join(a.Interests, ", "))
		add("audience.platforms", "Platforms", strings.Join(a.Platforms, ", "))
		add("audience.placements", "Placements", strings.Join(a.Placements, ", "))
		add("audience.languages", "Languages", strings.Join(a.Languages, ", "))
	}
	if bu := b.Budget; bu != nil {
		add("budget.amount", "Budget", FormatBudget(*bu))
	}
	if s := b.Schedule; s != nil {
		add("schedule.start", "Start", s.Start.String())
		add("schedule.end", "End", s.End.String())
		if s.Days > 0 {
			add("schedule.days", "Flight length", pluralDays(s.Days))
		}
	}
	return fs
}

// FormatBudget writes a budget as people read it: "5,000 EUR", "200 USD a day",
// "8,000–10,000 EUR". A currency still unknown is left out.
func FormatBudget(b Budget) string {
	cur := b.Currency
	if cur == "" {
		cur = b.CurrencyHint
	}
	s := money.FormatAmount(b.Amount, b.Currency)
	if b.Min > 0 && b.Min < b.Amount {
		s = money.FormatAmount(b.Min, b.Currency) + "–" + s
	}
	if cur != "" {
		s += " " + cur
	}
	if b.Type == BudgetDaily {
		s += " a day"
	}
	return s
}

// FormatAgeRanges writes "18–24, 45+".
func FormatAgeRanges(rs []AgeRange) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		if r.Max >= 99 {
			parts = append(parts, fmt.Sprintf("%d+", r.Min))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", r.Min, r.Max))
		}
	}
	return strings.Join(parts, ", ")
}

func formatShares(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s ≤ %s%%", k, strconv.FormatFloat(math.Round(m[k]*1000)/10, 'f', -1, 64)))
	}
	return strings.Join(parts, ", ")
}

func pluralDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// PlanChange is one way a plan moved from the version before it.
type PlanChange struct {
	// What moved: "budget", "flight", "objective", "impressions", "reach",
	// "frequency", the objective's result ("clicks", ...), "ad set".
	What string `json:"what"`
	// ID names the ad set, for What "ad set".
	ID string `json:"id,omitempty"`
	// From and To are the values as a reader sees them ("5,000 EUR", "1.2M"); an ad
	// set added has no From, one dropped no To.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Why says what caused it: the brief's own change for the budget, flight and
	// objective; the brief changes that moved the forecast for its totals; the rule or
	// brief change that opened or dropped an ad set.
	Why string `json:"why,omitempty"`
	// Summary is the change in one line, as PlanChanges writes it.
	Summary string `json:"summary"`
}

// PlanChanges says in words how a plan moved from prev to next, for a planner reading
// a revision: "budget 5,000 → 8,000 EUR", "reach +38% (1.2M → 1.6M)",
// "frequency 2.1 → 3.4", and ad sets added or dropped, with why.
func PlanChanges(prev, next Plan) []string {
	details := PlanChangeDetails(prev, next)
	out := make([]string, 0, len(details))
	for _, c := range details {
		out = append(out, c.Summary)
	}
	return out
}

// PlanChangeDetails is PlanChanges with each change's parts and reason. A change is
// listed only when it shows: values that round to the same text are not a change to
// the reader ("frequency 1.3 → 1.3").
func PlanChangeDetails(prev, next Plan) []PlanChange {
	var out, brief []PlanChange
	if from, to := money.FormatAmount(prev.Budget, prev.Currency)+" "+prev.Currency, money.FormatAmount(next.Budget, next.Currency)+" "+next.Currency; from != to {
		brief = append(brief, PlanChange{What: "budget", From: from, To: to, Why: "the brief's budget changed", Summary: fmt.Sprintf("budget %s → %s", from, to)})
	}
	if prev.Flight.Days != next.Flight.Days {
		brief = append(brief, PlanChange{What: "flight", From: pluralDays(prev.Flight.Days), To: pluralDays(next.Flight.Days), Why: "the brief's flight changed",
			Summary: fmt.Sprintf("flight %d → %d days", prev.Flight.Days, next.Flight.Days)})
	} else if prev.Flight.Start != next.Flight.Start {
		brief = append(brief, PlanChange{What: "flight", From: prev.Flight.Start.String(), To: next.Flight.Start.String(), Why: "the brief's flight moved",
			Summary: fmt.Sprintf("flight starts %s → %s", prev.Flight.Start, next.Flight.Start)})
	}
	if prev.Objective != next.Objective {
		brief = append(brief, PlanChange{What: "objective", From: string(prev.Objective), To: string(next.Objective), Why: "the brief's objective changed",
			Summary: fmt.Sprintf("objective %s → %s", prev.Objective, next.Objective)})
	}
	out = append(out, brief...)
	// The forecast moves because the brief did: name what moved it.
	why := forecastWhy(prev, next, brief)
	pct := func(name string, a, b float64) {
		if a <= 0 || b <= 0 {
			return
		}
		from, to, change := CompactCount(a), CompactCount(b), fmt.Sprintf("%+.0f%%", (b/a-1)*100)
		if from == to || change == "+0%" || change == "-0%" {
			return
		}
		out = append(out, PlanChange{What: name, From: from, To: to, Why: why, Summary: fmt.Sprintf("%s %s (%s → %s)", name, change, from, to)})
	}
	pct("impressions", prev.Totals.Impressions.Mid, next.Totals.Impressions.Mid)
	pct("reach", prev.Totals.Reach.Mid, next.Totals.Reach.Mid)
	if from, to := fmt.Sprintf("%.1f", prev.Totals.Frequency.Mid), fmt.Sprintf("%.1f", next.Totals.Frequency.Mid); from != to {
		out = append(out, PlanChange{What: "frequency", From: from, To: to, Why: why, Summary: fmt.Sprintf("frequency %s → %s", from, to)})
	}
	if prev.Totals.Result.Metric == next.Totals.Result.Metric && next.Totals.Result.Metric != "reach" {
		pct(strings.ReplaceAll(next.Totals.Result.Metric, "_", " "), prev.Totals.Result.Mid, next.Totals.Result.Mid)
	}
	return append(out, adSetChanges(prev, next)...)
}

// forecastWhy names the brief changes behind a forecast's move: the plan-level ones
// (budget, flight, objective) and the ad sets opened or dropped; for a revision that
// changed only the audience (ages, genders), that.
func forecastWhy(prev, next Plan, brief []PlanChange) string {
	var causes []string
	for _, c := range brief {
		causes = append(causes, c.Summary)
	}
	if len(next.Added) > 0 || len(next.Dropped) > 0 {
		causes = append(causes, "the ad sets changed")
	}
	if !audienceEqual(prev.Brief.Audience, next.Brief.Audience) {
		causes = append(causes, "the audience changed")
	}
	if len(causes) == 0 {
		return ""
	}
	return "follows " + strings.Join(causes, ", ")
}

func audienceEqual(a, b *Audience) bool {
	switch {
	case a == nil || b == nil:
		return a == b
	}
	return slices.Equal(a.Genders, b.Genders) && slices.Equal(a.AgeRanges, b.AgeRanges) &&
		slices.Equal(a.Geo.Countries, b.Geo.Countries) && slices.Equal(a.Geo.Regions, b.Geo.Regions) &&
		slices.Equal(a.Geo.Cities, b.Geo.Cities) && slices.Equal(a.Interests, b.Interests) &&
		slices.Equal(a.Genres, b.Genres) && slices.Equal(a.Platforms, b.Platforms) && slices.Equal(a.Placements, b.Placements)
}

// adSetChanges lists the ad sets next opened and dropped, with the reasons the planner
// gave (Plan.Added, Plan.Dropped).
func adSetChanges(prev, next Plan) []PlanChange {
	var out []PlanChange
	before := map[string]bool{}
	for _, li := range prev.LineItems {
		before[li.ID] = true
	}
	after := map[string]bool{}
	for _, li := range next.LineItems {
		after[li.ID] = true
		if before[li.ID] {
			continue
		}
		c := PlanChange{What: "ad set", ID: li.ID, To: money.FormatAmount(li.Budget, next.Currency) + " " + next.Currency, Summary: "added ad set " + li.ID}
		if i := slices.IndexFunc(next.Added, func(a AdSetChange) bool { return a.ID == li.ID }); i >= 0 {
			c.Why = next.Added[i].Why
			c.Summary += ": " + c.Why
		}
		out = append(out, c)
	}
	for _, li := range prev.LineItems {
		if after[li.ID] {
			continue
		}
		c := PlanChange{What: "ad set", ID: li.ID, From: money.FormatAmount(li.Budget, prev.Currency) + " " + prev.Currency, Summary: "dropped ad set " + li.ID}
		if i := slices.IndexFunc(next.Dropped, func(d AdSetChange) bool { return d.ID == li.ID }); i >= 0 {
			d := next.Dropped[i]
			c.Why = d.Why
			if d.KeepWith > 0 {
				c.Why += fmt.Sprintf("; a budget of %s %s keeps it", money.FormatAmount(d.KeepWith, next.Currency), next.Currency)
			}
			c.Summary += ": " + c.Why
		}
		out = append(out, c)
	}
	return out
}

// FormatCount writes a count in full, rounded to a whole number, with thousands
// separators: 1234567.4 → "1,234,567".
func FormatCount(v float64) string { return money.FormatAmount(math.Round(v), "") }

// CompactCount writes a count briefly: 1.2M, 350k, 900.
func CompactCount(v float64) string {
	switch {
	case v >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 1, 64) + "B"
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case v >= 1e4:
		return strconv.FormatFloat(v/1e3, 'f', 0, 64) + "k"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	default:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
}
