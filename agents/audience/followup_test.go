package audience

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/adplan/adplan/agents"
)

func TestAudienceSpecialistFollowUp(t *testing.T) {
	current := &agents.Audience{
		AgeRanges: ages(18, 24),
		Genders:   []string{agents.GenderFemale},
		Geo:       agents.Geo{Countries: []string{"DE", "GB"}, Cities: []string{"London"}},
		Genres:    []string{"pop"},
		Platforms: []string{agents.PlatformIOS, agents.PlatformAndroid},
	}
	with := func(edit func(a *agents.Audience)) *agents.Audience {
		a := current.Clone()
		edit(&a)
		return &a
	}
	tests := []struct {
		give string
		want *agents.Audience
	}{
		{"add Austria too", with(func(a *agents.Audience) { a.Geo.Countries = []string{"DE", "GB", "AT"} })},
		{"also France", with(func(a *agents.Audience) { a.Geo.Countries = []string{"DE", "GB", "FR"} })},
		{"and Spain", with(func(a *agents.Audience) { a.Geo.Countries = []string{"DE", "GB", "ES"} })},
		{"Spain and Italy too", with(func(a *agents.Audience) { a.Geo.Countries = []string{"DE", "GB", "ES", "IT"} })},
		{"drop the UK", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"DE"}} })},
		{"remove Germany", with(func(a *agents.Audience) { a.Geo.Countries = []string{"GB"} })},
		{"exclude London", with(func(a *agents.Audience) { a.Geo.Cities = nil })},
		{"not France", with(func(a *agents.Audience) {})},
		{"drop the UK and do Ireland instead", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"DE", "IE"}} })},
		{"swap the UK for Ireland", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"DE", "IE"}} })},
		{"Austria instead of Germany", with(func(a *agents.Audience) { a.Geo.Countries = []string{"GB", "AT"} })},
		{"only Germany", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"DE"}} })},
		{"just the US", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"US"}} })},
		{"switch to France", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"FR"}} })},
		{"what about France instead?", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"FR"}} })},
		{"France", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"FR"}} })},
		{"Munich only", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"DE"}, Cities: []string{"Munich"}} })},
		{"only women", with(func(a *agents.Audience) {})},
		{"only men", with(func(a *agents.Audience) { a.Genders = []string{agents.GenderMale} })},
		{"men too", with(func(a *agents.Audience) { a.Genders = nil })},
		{"include men", with(func(a *agents.Audience) { a.Genders = nil })},
		{"make it 25-34 instead", with(func(a *agents.Audience) { a.AgeRanges = ages(25, 34) })},
		{"change the age range to 25-34", with(func(a *agents.Audience) { a.AgeRanges = ages(25, 34) })},
		{"also 35-44", with(func(a *agents.Audience) { a.AgeRanges = ages(18, 24, 35, 44) })},
		{"no age limit", with(func(a *agents.Audience) { a.AgeRanges = nil })},
		{"all ages", with(func(a *agents.Audience) { a.AgeRanges = nil })},
		{"millennials instead", with(func(a *agents.Audience) { a.AgeRanges = ages(30, 45) })},
		{"iOS only", with(func(a *agents.Audience) { a.Platforms = []string{agents.PlatformIOS} })},
		{"drop Android", with(func(a *agents.Audience) { a.Platforms = []string{agents.PlatformIOS} })},
		{"add podcasts", with(func(a *agents.Audience) { a.Placements = []string{agents.PlacementPodcast} })},
		{"no podcasts", with(func(a *agents.Audience) { a.Placements = []string{agents.PlacementMusic} })},
		{"add hip-hop fans", with(func(a *agents.Audience) { a.Genres = []string{"pop", "hip-hop"} })},
		{"add fitness and gaming", with(func(a *agents.Audience) { a.Interests = []string{"fitness", "gaming"} })},
		{"in Spanish too", with(func(a *agents.Audience) { a.Languages = []string{"es"} })},
		{"remove Germany and add France", with(func(a *agents.Audience) { a.Geo.Countries = []string{"GB", "FR"} })},
		{"no podcasts, music only", with(func(a *agents.Audience) { a.Placements = []string{agents.PlacementMusic} })},
		{"target men instead of women", with(func(a *agents.Audience) { a.Genders = []string{agents.GenderMale} })},
		{"not 18-24 but 25-34", with(func(a *agents.Audience) { a.AgeRanges = ages(25, 34) })},
		{"not on iOS", with(func(a *agents.Audience) { a.Platforms = []string{agents.PlatformAndroid} })},
		{"how about the Netherlands?", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"NL"}} })},
		{"expand to Belgium and the Netherlands", with(func(a *agents.Audience) { a.Geo.Countries = []string{"DE", "GB", "BE", "NL"} })},
		{"No. Only Germany", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"DE"}} })},
		{"Thanks! Also add Denmark", with(func(a *agents.Audience) { a.Geo.Countries = []string{"DE", "GB", "DK"} })},
		{"switch the UK to Ireland", with(func(a *agents.Audience) { a.Geo = agents.Geo{Countries: []string{"DE", "IE"}} })},
		{"everyone", with(func(a *agents.Audience) { a.Genders = nil })},
		{"exclude men", with(func(a *agents.Audience) {})},
		// Other languages: their list words and articles, removing cues and the
		// words between a cue and its place.
		{"ajoute l'Espagne et l'Italie", with(func(a *agents.Audience) { a.Geo.Countries = []string{"DE", "GB", "ES", "IT"} })},
		{"agrega Polonia y el Perú", with(func(a *agents.Audience) { a.Geo.Countries = []string{"DE", "GB", "PL", "PE"} })},
		{"Deutschland raus", with(func(a *agents.Audience) { a.Geo.Countries = []string{"GB"} })},
		{"sin Alemania", with(func(a *agents.Audience) { a.Geo.Countries = []string{"GB"} })},
		{"aggiungi la città di Milano e Roma", with(func(a *agents.Audience) {
			a.Geo.Countries = []string{"DE", "GB", "IT"}
			a.Geo.Cities = []string{"London", "Milan", "Rome"}
		})},
		{"women 25-34 in Italy", with(func(a *agents.Audience) {
			a.AgeRanges = ages(25, 34)
			a.Geo = agents.Geo{Countries: []string{"IT"}}
		})},
	}
	s := New()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			before := current.Clone()
			req := agents.Request{Message: agents.NewMessage(tt.give, testNow), Current: agents.Brief{Audience: current}, FollowUp: true, Now: testNow}
			if !s.Touches(req.Message) {
				t.Errorf("Touches(%q) = false; want true", tt.give)
			}
			res, err := s.Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run(%q) failed: %v", tt.give, err)
			}
			if !reflect.DeepEqual(res.Audience, tt.want) {
				t.Errorf("Run(%q).Audience =\n  %s\nwant\n  %s\nnotes %q", tt.give, audienceJSON(res.Audience), audienceJSON(tt.want), res.Notes)
			}
			if !reflect.DeepEqual(*current, before) {
				t.Errorf("Run(%q) changed req.Current.Audience to %s", tt.give, audienceJSON(current))
			}
		})
	}
}

func TestAudienceSpecialistFollowUpNotes(t *testing.T) {
	current := &agents.Audience{AgeRanges: ages(18, 24), Genders: []string{agents.GenderFemale},
		Geo: agents.Geo{Countries: []string{"DE", "GB"}, Cities: []string{"London"}}}
	tests := []struct {
		give           string
		wantNote       string
		wantConfidence float64
	}{
		{"exclude London", "Removed London; the UK stays targeted as a whole unless you drop it too.", 0.9},
		{"exclude Munich", "Cannot exclude Munich alone: ads target places, not exceptions, so all of Germany stays targeted.", 0.7},
		{"not France", "France is not in the audience, so there is nothing to remove.", 0.9},
		{"no women", "Removing women left nothing to target, so that restriction is lifted; say what to target instead.", 0.6},
		{"drop the 18-24s", "Removing ages 18–24 left no ages, so age is no longer restricted; say which ages to target.", 0.6},
		{"not 18-24 but 25-34", "", 1},
	}
	s := New()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			res, err := s.Run(context.Background(), agents.Request{Message: agents.NewMessage(tt.give, testNow), Current: agents.Brief{Audience: current}, FollowUp: true, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantNote == "" && len(res.Notes) != 0 || tt.wantNote != "" && !slices.Contains(res.Notes, tt.wantNote) {
				t.Errorf("Run(%q).Notes = %q; want %q", tt.give, res.Notes, tt.wantNote)
			}
			if res.Confidence != tt.wantConfidence {
				t.Errorf("Run(%q).Confidence = %v; want %v", tt.give, res.Confidence, tt.wantConfidence)
			}
		})
	}
}

// The follow-up's first brief may have no audience at all.
func TestAudienceSpecialistFollowUpWithoutAudience(t *testing.T) {
	res, err := New().Run(context.Background(), agents.Request{
		Message: agents.NewMessage("add Austria too", testNow), FollowUp: true, Now: testNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &agents.Audience{Geo: agents.Geo{Countries: []string{"AT"}}}
	if !reflect.DeepEqual(res.Audience, want) {
		t.Errorf("Run = %s; want %s", audienceJSON(res.Audience), audienceJSON(want))
	}
}
