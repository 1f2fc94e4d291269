package audience

import (
	"context"
	"slices"
	"testing"

	"github.com/adplan/adplan/agents"
)

// TestAudienceFieldSeparators checks that the marks planners part a brief's fields
// with — a middle dot, a bullet, an emoji, a dash between spaces — end an age range's
// context like a comma: what follows is the next field, not a unit of the age.
func TestAudienceFieldSeparators(t *testing.T) {
	tests := []struct {
		give string
		want []agents.AgeRange
	}{
		{"Austria · 30-44 · May", ages(30, 44)},
		{"Peru • 21-35 • PEN 40k", ages(21, 35)},
		{"🇨🇱 Chile 👥 25-40 💵 CLP 9M 🗓️ abril", ages(25, 40)},
		{"Norway - 18-29 - March", ages(18, 29)},
		{"Norway — 35-49 — NOK 200k", ages(35, 49)},
		// A dash between spaces inside the range still joins it.
		{"men 18 - 24 in Norway", ages(18, 24)},
		// A day range before a month is still a date.
		{"Norway, 12-19 March", nil},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		var got []agents.AgeRange
		if res.Audience != nil {
			got = res.Audience.AgeRanges
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Run(%q) ages = %v; want %v", tt.give, got, tt.want)
		}
	}
}

// TestAudienceEditsMarketsInOtherLanguages checks follow-ups that add a market in
// Spanish, Portuguese, French, German or Italian, and swaps written with codes: a
// swap replaces only the market it names.
func TestAudienceEditsMarketsInOtherLanguages(t *testing.T) {
	current := agents.Brief{Audience: &agents.Audience{
		AgeRanges: ages(25, 44),
		Geo:       agents.Geo{Countries: []string{"PT", "NL", "IN"}},
	}}
	tests := []struct {
		give string
		want []string
	}{
		{"añade Chile", []string{"PT", "NL", "IN", "CL"}},
		{"agreguen también Perú", []string{"PT", "NL", "IN", "PE"}},
		{"adiciona a Espanha", []string{"PT", "NL", "IN", "ES"}},
		{"ajoute la Belgique", []string{"PT", "NL", "IN", "BE"}},
		{"Polen bitte auch", []string{"PT", "NL", "IN", "PL"}},
		{"Schweden dazu", []string{"PT", "NL", "IN", "SE"}},
		{"aggiungi la Grecia", []string{"PT", "NL", "IN", "GR"}},
		{"swap NL for BE", []string{"PT", "IN", "BE"}},
		{"replace IN with ID", []string{"PT", "NL", "ID"}},
		{"swap PT for IT", []string{"NL", "IN", "IT"}},
		{"drop IN", []string{"PT", "NL"}},
	}
	for _, tt := range tests {
		req := agents.Request{Message: agents.NewMessage(tt.give, testNow), Current: current.Clone(), FollowUp: true, Now: testNow}
		res, err := New().Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run(%q): %v", tt.give, err)
		}
		if res.Audience == nil {
			t.Errorf("Run(%q): audience unchanged, want countries %q", tt.give, tt.want)
			continue
		}
		if got := res.Audience.Geo.Countries; !slices.Equal(got, tt.want) {
			t.Errorf("Run(%q) countries = %q; want %q", tt.give, got, tt.want)
		}
		if !slices.Equal(res.Audience.AgeRanges, ages(25, 44)) {
			t.Errorf("Run(%q) ages = %v; want them kept", tt.give, res.Audience.AgeRanges)
		}
	}
	// A code that is also a word is still no market without a cue or a list.
	for _, give := range []string{"we work in IT", "add IT support to the brief"} {
		res := runFirst(t, give)
		if res.Audience != nil && slices.Contains(res.Audience.Geo.Countries, "IT") {
			t.Errorf("Run(%q) countries = %q; want no Italy", give, res.Audience.Geo.Countries)
		}
	}
}

// TestAudienceRegionsPlannersName checks regions named the way planners name them:
// Metro Manila is a region, not the city of Manila; "Province de Québec" is Quebec.
func TestAudienceRegionsPlannersName(t *testing.T) {
	tests := []struct {
		give          string
		wantRegions   []string
		wantCities    []string
		wantCountries []string
	}{
		{"Metro Manila and Cebu, 25-34", []string{"Metro Manila"}, []string{"Cebu"}, []string{"PH"}},
		{"Manila only", nil, []string{"Manila"}, []string{"PH"}},
		{"province of Quebec, French speakers", []string{"Quebec"}, nil, []string{"CA"}},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		if res.Audience == nil {
			t.Errorf("Run(%q): no audience", tt.give)
			continue
		}
		g := res.Audience.Geo
		if !slices.Equal(g.Regions, tt.wantRegions) || !slices.Equal(g.Cities, tt.wantCities) || !slices.Equal(g.Countries, tt.wantCountries) {
			t.Errorf("Run(%q) geo = %+v; want regions %q, cities %q, countries %q", tt.give, g, tt.wantRegions, tt.wantCities, tt.wantCountries)
		}
	}
}
