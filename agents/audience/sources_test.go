package audience

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/adplan/adplan/agents"
)

// covered quotes the words of m each source of res covers, by field.
func covered(m agents.Message, res agents.Result) map[string][]string {
	out := map[string][]string{}
	for _, s := range res.Sources {
		out[s.Field] = append(out[s.Field], m.Lower[s.Span.Start:s.Span.End])
	}
	return out
}

// TestAudienceSourcesNameTheWordsRead checks which words of a brief each audience
// field was read from, and that words the grammar does not know ("A25-54", "halo",
// "lookalike") or read as something else ("Paris Hilton", "Australian dollars") are no
// source, so that the coordinator reports them as unread.
func TestAudienceSourcesNameTheWordsRead(t *testing.T) {
	const (
		cue       = fieldNameCue
		ages      = fieldNameAges
		genders   = fieldNameGenders
		countries = fieldNameCountries
		regions   = fieldNameRegions
		cities    = fieldNameCities
		genres    = fieldNameGenres
		interests = fieldNameInterests
		platforms = fieldNamePlatforms
		placement = fieldNamePlacements
		languages = fieldNameLanguages
	)
	current := &agents.Audience{
		Genders: []string{agents.GenderFemale},
		Geo:     agents.Geo{Countries: []string{"GB", "DE"}},
	}
	tests := []struct {
		give     string
		followUp bool
		want     map[string][]string
	}{
		{give: "Brand awareness for 18-24 year olds in Germany and the Nordics", want: map[string][]string{
			ages: {"18-24"}, countries: {"germany", "the nordics"}, cue: {"year olds", "in"}}},
		{give: "women aged 25-34 living in NYC, hip hop fans", want: map[string][]string{
			genders: {"women"}, ages: {"aged 25-34"}, cities: {"nyc"}, genres: {"hip hop"}, cue: {"living in", "fans"}}},
		{give: "millennials and gen z in DACH, interested in fitness", want: map[string][]string{
			ages: {"millennials", "gen z"}, countries: {"dach"}, interests: {"fitness"}, cue: {"in", "interested in"}}},
		{give: "German speakers in Switzerland on iOS", want: map[string][]string{
			languages: {"german"}, countries: {"switzerland"}, platforms: {"ios"}, cue: {"speakers", "in"}}},
		{give: "true crime podcast listeners in Bavaria", want: map[string][]string{
			interests: {"true crime podcast"}, placement: {"true crime podcast"}, regions: {"bavaria"}, cue: {"listeners", "in"}}},
		{give: "between 25 and 34, men only, no desktop", want: map[string][]string{
			ages: {"between 25 and 34"}, genders: {"men"}, platforms: {"desktop"}, cue: {"only", "no"}}},
		{give: "35+ women excluding the UK", want: map[string][]string{
			ages: {"35+"}, genders: {"women"}, countries: {"the uk"}, cue: {"excluding"}}},
		{give: "over 35s in their late 20s in Austin, Texas", want: map[string][]string{
			ages: {"over 35s", "their late 20s"}, cities: {"austin"}, regions: {"texas"}, cue: {"in"}}},
		{give: "Spanish-speaking moms in Texas and California who listen to reggaeton", want: map[string][]string{
			languages: {"spanish"}, genders: {"moms"}, interests: {"moms"}, regions: {"texas", "california"},
			genres: {"reggaeton"}, cue: {"speaking", "in", "listen to"}}},
		{give: "everyone 18+ in the EU5", want: map[string][]string{
			genders: {"everyone"}, ages: {"18+"}, countries: {"eu5"}, cue: {"in the"}}},
		// Words the grammar does not know, or reads as something else, are no source.
		{give: "A25-54 lookalike halo in Germany", want: map[string][]string{countries: {"germany"}, cue: {"in"}}},
		{give: "Paris Hilton fans in France", want: map[string][]string{countries: {"france"}, cue: {"in"}}},
		{give: "budget of 50,000 Australian dollars for gamers", want: map[string][]string{interests: {"gamers"}}},
		{give: "a Mother's Day push for women", want: map[string][]string{genders: {"women"}}},
		// Follow-ups.
		{give: "add Austria", followUp: true, want: map[string][]string{countries: {"austria"}, cue: {"add"}}},
		{give: "drop the UK", followUp: true, want: map[string][]string{countries: {"the uk"}, cue: {"drop"}}},
		{give: "swap Germany for France", followUp: true, want: map[string][]string{
			countries: {"germany", "france"}, cue: {"swap", "for"}}},
		{give: "women only", followUp: true, want: map[string][]string{genders: {"women"}, cue: {"only"}}},
		{give: "Spain too", followUp: true, want: map[string][]string{countries: {"spain"}, cue: {"too"}}},
		{give: "men as well", followUp: true, want: map[string][]string{genders: {"men"}, cue: {"as well"}}},
		{give: "remove Germany and target France", followUp: true, want: map[string][]string{
			countries: {"germany", "france"}, cue: {"remove", "target"}}},
		{give: "switch to France", followUp: true, want: map[string][]string{countries: {"france"}, cue: {"switch to"}}},
		{give: "France instead of Germany", followUp: true, want: map[string][]string{
			countries: {"france", "germany"}, cue: {"instead of"}}},
		{give: "also target 35-44 year olds", followUp: true, want: map[string][]string{
			ages: {"35-44"}, cue: {"also target", "year olds"}}},
		{give: "drop the UK and do Ireland instead", followUp: true, want: map[string][]string{
			countries: {"the uk", "ireland"}, cue: {"drop", "instead"}}},
	}
	s := New()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			m := agents.NewMessage(tt.give, testNow)
			req := agents.Request{Message: m, Now: testNow, FollowUp: tt.followUp}
			if tt.followUp {
				req.Current = agents.Brief{Audience: current}.Clone()
			}
			res, err := s.Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got := covered(m, res); !maps.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("sources = %q, want %q", got, tt.want)
			}
		})
	}
}
