package agents

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
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
	s := FormatAmount(b.Amount)
	if b.Min > 0 && b.Min < b.Amount {
		s = FormatAmount(b.Min) + "–" + s
	}
	if cur != "" {
		s += " " + cur
	}
	if b.Type == BudgetDaily {
		s += " a day"
	}
	return s
}

// FormatAmount writes an amount with thousands separators and cents only when it has
// them: 5000 → "5,000", 20.43 → "20.43".
func FormatAmount(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	neg := v < 0
	v = math.Abs(v)
	cents := math.Round(v*100) - math.Floor(v)*100
	whole := strconv.FormatFloat(math.Floor(v), 'f', 0, 64)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if cents >= 1 {
		fmt.Fprintf(&b, ".%02d", int(cents))
	}
	return b.String()
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
