package audience

import (
	"context"
	"reflect"
	"strings"
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

// TestAudienceReadsOtherLanguagesAndLifeStages checks country names in other
// languages (from CLDR), genders and ages written in them, and life stages read as
// conventional ages with a note.
func TestAudienceReadsOtherLanguagesAndLifeStages(t *testing.T) {
	female, male := []string{agents.GenderFemale}, []string{agents.GenderMale}
	tests := []struct {
		give string
		want *agents.Audience
		note string // a note the reading must carry, if any
	}{
		{"Werbung in Österreich und der Schweiz", &agents.Audience{Geo: agents.Geo{Countries: []string{"AT", "CH"}}}, ""},
		{"Campaña en Argentina y Paraguay para mujeres de 30 a 45 años", &agents.Audience{AgeRanges: ages(30, 45), Genders: female,
			Geo: agents.Geo{Countries: []string{"AR", "PY"}}}, ""},
		{"Campanha nos Estados Unidos, homens 25-34", &agents.Audience{AgeRanges: ages(25, 34), Genders: male,
			Geo: agents.Geo{Countries: []string{"US"}}}, ""},
		{"Campagne en Suisse et en Allemagne, femmes 35-54 ans", &agents.Audience{AgeRanges: ages(35, 54), Genders: female,
			Geo: agents.Geo{Countries: []string{"CH", "DE"}}}, ""},
		{"Kampagne für Männer 20 bis 29 in Polen", &agents.Audience{AgeRanges: ages(20, 29), Genders: male,
			Geo: agents.Geo{Countries: []string{"PL"}}}, ""},
		{"Campanha no Brasil para mulheres de 25 a 34 anos", &agents.Audience{AgeRanges: ages(25, 34), Genders: female,
			Geo: agents.Geo{Countries: []string{"BR"}}}, ""},
		{"Campagna in Spagna", &agents.Audience{Geo: agents.Geo{Countries: []string{"ES"}}}, ""},
		// English words that are other languages' country names stay words.
		{"an indie label in Ireland", &agents.Audience{Geo: agents.Geo{Countries: []string{"IE"}}, Genres: []string{"indie"}}, ""},
		{"island hopping ads in Greece", &agents.Audience{Geo: agents.Geo{Countries: []string{"GR"}}}, ""},
		{"no Brazil, only Chile", &agents.Audience{Geo: agents.Geo{Countries: []string{"CL"}}}, ""},
		// Life stages: conventional ages, said so; a number written beside wins.
		{"youth in Kenya", &agents.Audience{AgeRanges: ages(18, 24), Geo: agents.Geo{Countries: []string{"KE"}}}, `"youth" as ages 18–24`},
		{"young women in Lagos", &agents.Audience{AgeRanges: ages(18, 24), Genders: female,
			Geo: agents.Geo{Countries: []string{"NG"}, Cities: []string{"Lagos"}}}, `"young women" as ages 18–24`},
		{"students aged 18-22", &agents.Audience{AgeRanges: ages(18, 22), Interests: []string{"students"}}, ""},
		{"retirees in Florida", &agents.Audience{AgeRanges: ages(65, 99), Geo: agents.Geo{Countries: []string{"US"}, Regions: []string{"Florida"}}}, `"retirees" as ages 65–99`},
		{"teens", &agents.Audience{AgeRanges: ages(13, 17)}, `"teens" as ages 13–17`},
		// Parents are an interest: they are of every adult age.
		{"parents in Belgium", &agents.Audience{Geo: agents.Geo{Countries: []string{"BE"}}, Interests: []string{"parenting"}}, ""},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		if !reflect.DeepEqual(res.Audience, tt.want) {
			t.Errorf("Run(%q) = %s, want %s", tt.give, audienceJSON(res.Audience), audienceJSON(tt.want))
		}
		if tt.note != "" && !strings.Contains(strings.Join(res.Notes, "\n"), tt.note) {
			t.Errorf("Run(%q) notes = %q, want one saying %s", tt.give, res.Notes, tt.note)
		}
		if tt.note == "" && strings.Contains(strings.Join(res.Notes, "\n"), "convention") {
			t.Errorf("Run(%q) notes = %q, want no convention note", tt.give, res.Notes)
		}
	}
}
