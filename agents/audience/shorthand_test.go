package audience

import (
	"context"
	"reflect"
	"testing"

	"github.com/adplan/adplan/agents"
)

// TestAudienceReadsPlannerShorthand checks the shorthand media planners write in
// briefs: buying demos, self-corrections, group lists and exclusions.
func TestAudienceReadsPlannerShorthand(t *testing.T) {
	female, male := []string{agents.GenderFemale}, []string{agents.GenderMale}
	tests := []struct {
		give string
		want *agents.Audience
	}{
		// Buying demos: a letter for the gender, then the ages.
		{"A35-64 across Ireland", &agents.Audience{AgeRanges: ages(35, 64), Geo: agents.Geo{Countries: []string{"IE"}}}},
		{"P25-49 in Norway", &agents.Audience{AgeRanges: ages(25, 49), Geo: agents.Geo{Countries: []string{"NO"}}}},
		{"W18-49, Portugal", &agents.Audience{AgeRanges: ages(18, 49), Genders: female, Geo: agents.Geo{Countries: []string{"PT"}}}},
		{"F21-34 in Chile", &agents.Audience{AgeRanges: ages(21, 34), Genders: female, Geo: agents.Geo{Countries: []string{"CL"}}}},
		{"target M45+", &agents.Audience{AgeRanges: ages(45, 99), Genders: male}},
		{"A21+ only", &agents.Audience{AgeRanges: ages(21, 99)}},
		{"demo: W 25-54", &agents.Audience{AgeRanges: ages(25, 54), Genders: female}},
		{"Kenya, 25-44 F, awareness", &agents.Audience{AgeRanges: ages(25, 44), Genders: female, Geo: agents.Geo{Countries: []string{"KE"}}}},
		{"M18-24 + M25-34", &agents.Audience{AgeRanges: ages(18, 24, 25, 34), Genders: male}},
		{"M35-49 and W35-49", &agents.Audience{AgeRanges: ages(35, 49)}},
		// A lone small letter is a word, not a demo; a trailing capital must end its
		// clause; "M" after a number that is money stays money.
		{"a 30-40 crowd", &agents.Audience{AgeRanges: ages(30, 40)}},
		// Self-corrections keep what the planner settled on.
		{"25-34... wait, 35-44 only", &agents.Audience{AgeRanges: ages(35, 44)}},
		{"Sweden, no actually Finland", &agents.Audience{Geo: agents.Geo{Countries: []string{"FI"}}}},
		{"W25-34, I mean W25-44, in Peru", &agents.Audience{AgeRanges: ages(25, 44), Genders: female, Geo: agents.Geo{Countries: []string{"PE"}}}},
		{"Austria and Hungary - oops, just Hungary", &agents.Audience{Geo: agents.Geo{Countries: []string{"HU"}}}},
		{"men 18-24 (sorry, typo: 18-29)", &agents.Audience{AgeRanges: ages(18, 29), Genders: male}},
		// An apology before anything is read takes nothing back; an addition after a
		// correction word adds.
		{"Sorry for the rush! Greece, women", &agents.Audience{Genders: female, Geo: agents.Geo{Countries: []string{"GR"}}}},
		{"Poland, actually Czechia too", &agents.Audience{Geo: agents.Geo{Countries: []string{"PL", "CZ"}}}},
		// Exclusions from a group or a country.
		{"the Benelux ex-Netherlands", &agents.Audience{Geo: agents.Geo{Countries: []string{"BE", "LU"}}}},
		{"Canada and the US, scratch the US", &agents.Audience{Geo: agents.Geo{Countries: []string{"CA"}}}},
		{"Germany excl. Berlin", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}}}},
		// A bracketed or colon list names the members of a group meant.
		{"Scandinavia (NO, SE), €20k", &agents.Audience{Geo: agents.Geo{Countries: []string{"NO", "SE"}}}},
		{"DACH: DE + AT only", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE", "AT"}}}},
		{"the GCC (Saudi, Kuwait)", &agents.Audience{Geo: agents.Geo{Countries: []string{"SA", "KW"}}}},
		// A list naming a non-member is read as written: the group and the extra.
		{"the Baltics (plus Poland)", &agents.Audience{Geo: agents.Geo{Countries: []string{"EE", "LV", "LT", "PL"}}}},
		{"UK & ROI", &agents.Audience{Geo: agents.Geo{Countries: []string{"GB", "IE"}}}},
		// ROI alone is return on investment; KW before numbers is a calendar week.
		{"best ROI in Denmark", &agents.Audience{Geo: agents.Geo{Countries: []string{"DK"}}}},
		{"Austria, KW 14-17", &agents.Audience{Geo: agents.Geo{Countries: []string{"AT"}}}},
		// Region codes in the context of their country.
		{"USA (WA + OR)", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}, Regions: []string{"Washington", "Oregon"}}}},
		{"US: IL, IN, OH", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}, Regions: []string{"Illinois", "Indiana", "Ohio"}}}},
		{"MA, NH and VT", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}, Regions: []string{"Massachusetts", "New Hampshire", "Vermont"}}}},
		{"Australia, QLD only", &agents.Audience{Geo: agents.Geo{Countries: []string{"AU"}, Regions: []string{"Queensland"}}}},
		// Without its country, a code that is also a country's stays the country.
		{"US and CA", &agents.Audience{Geo: agents.Geo{Countries: []string{"US", "CA"}}}},
		// Spanish "para" is "for", not the Brazilian state Pará.
		{"Campaña para Uruguay", &agents.Audience{Geo: agents.Geo{Countries: []string{"UY"}}}},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		if !reflect.DeepEqual(res.Audience, tt.want) {
			t.Errorf("Run(%q) = %s, want %s", tt.give, audienceJSON(res.Audience), audienceJSON(tt.want))
		}
	}
}

// TestAudienceShorthandInFollowUps checks demos in a conversation: "men too" on a
// women's demo lifts the gender restriction, a demo replaces the ages and gender.
func TestAudienceShorthandInFollowUps(t *testing.T) {
	tests := []struct {
		current *agents.Audience
		give    string
		want    *agents.Audience
	}{
		{&agents.Audience{AgeRanges: ages(35, 99), Genders: []string{agents.GenderFemale}}, "men too",
			&agents.Audience{AgeRanges: ages(35, 99)}},
		{&agents.Audience{AgeRanges: ages(25, 44), Genders: []string{agents.GenderMale}}, "and include women",
			&agents.Audience{AgeRanges: ages(25, 44)}},
		{&agents.Audience{AgeRanges: ages(18, 34), Genders: []string{agents.GenderMale}}, "change to W18-34",
			&agents.Audience{AgeRanges: ages(18, 34), Genders: []string{agents.GenderFemale}}},
		{&agents.Audience{AgeRanges: ages(25, 54), Genders: []string{agents.GenderFemale}}, "make it A25-54",
			&agents.Audience{AgeRanges: ages(25, 54)}},
		{&agents.Audience{AgeRanges: ages(25, 54)}, "women only",
			&agents.Audience{AgeRanges: ages(25, 54), Genders: []string{agents.GenderFemale}}},
	}
	for _, tt := range tests {
		res, err := New().Run(context.Background(), agents.Request{
			Message: agents.NewMessage(tt.give, testNow), Now: testNow, FollowUp: true,
			Current: agents.Brief{Audience: tt.current}})
		if err != nil {
			t.Fatalf("Run(%q): %v", tt.give, err)
		}
		if !reflect.DeepEqual(res.Audience, tt.want) {
			t.Errorf("Run(%q) on %s = %s, want %s", tt.give, audienceJSON(tt.current), audienceJSON(res.Audience), audienceJSON(tt.want))
		}
	}
}
