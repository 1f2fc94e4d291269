package audience

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/sharedtest"
	"github.com/biter777/countries"
)

// testNow is the brief's date in every test: generations are read in 2026.
var testNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func ages(bounds ...int) []agents.AgeRange {
	var out []agents.AgeRange
	for i := 0; i+1 < len(bounds); i += 2 {
		out = append(out, agents.AgeRange{Min: bounds[i], Max: bounds[i+1]})
	}
	return out
}

func audienceJSON(a *agents.Audience) string {
	if a == nil {
		return "nil"
	}
	b, _ := json.Marshal(a)
	return string(b)
}

func runFirst(t *testing.T, give string) agents.Result {
	t.Helper()
	res, err := New().Run(context.Background(), agents.Request{Message: agents.NewMessage(give, testNow), Now: testNow})
	if err != nil {
		t.Fatalf("Run(%q) failed: %v", give, err)
	}
	if res.Goal != nil || res.Budget != nil || res.Schedule != nil {
		t.Errorf("Run(%q) set another specialist's slot: %+v", give, res)
	}
	return res
}

func TestAudienceSpecialistFirstBrief(t *testing.T) {
	tests := []struct {
		give string
		want *agents.Audience
	}{
		// Ages in every common form.
		{"18-24", &agents.Audience{AgeRanges: ages(18, 24)}},
		{"18–24 year olds", &agents.Audience{AgeRanges: ages(18, 24)}},
		{"18 to 24", &agents.Audience{AgeRanges: ages(18, 24)}},
		{"aged 18-34", &agents.Audience{AgeRanges: ages(18, 34)}},
		{"between 25 and 34", &agents.Audience{AgeRanges: ages(25, 34)}},
		{"people between the ages of 25 and 34", &agents.Audience{AgeRanges: ages(25, 34)}},
		{"over 35", &agents.Audience{AgeRanges: ages(35, 99)}},
		{"35 and over", &agents.Audience{AgeRanges: ages(35, 99)}},
		{"listeners 45+", &agents.Audience{AgeRanges: ages(45, 99)}},
		{"adults 50 and older", &agents.Audience{AgeRanges: ages(50, 99)}},
		{"under 30", &agents.Audience{AgeRanges: ages(18, 29)}},
		{"the under-25s", &agents.Audience{AgeRanges: ages(18, 24)}},
		{"in their 20s", &agents.Audience{AgeRanges: ages(20, 29)}},
		{"people in their late 20s and early 30s", &agents.Audience{AgeRanges: ages(27, 33)}},
		{"twentysomethings", &agents.Audience{AgeRanges: ages(20, 29)}},
		{"20-somethings", &agents.Audience{AgeRanges: ages(20, 29)}},
		{"eighteen to twenty-four year olds", &agents.Audience{AgeRanges: ages(18, 24)}},
		{"millennials", &agents.Audience{AgeRanges: ages(30, 45)}},
		{"Gen Z", &agents.Audience{AgeRanges: ages(18, 29)}},
		{"Gen X", &agents.Audience{AgeRanges: ages(46, 61)}},
		{"boomers", &agents.Audience{AgeRanges: ages(62, 80)}},
		{"adults", &agents.Audience{AgeRanges: ages(18, 99)}},
		{"teens", &agents.Audience{AgeRanges: ages(13, 17)}},
		{"college students", &agents.Audience{AgeRanges: ages(18, 24), Interests: []string{"students"}}},
		{"18-24 and 35-44", &agents.Audience{AgeRanges: ages(18, 24, 35, 44)}},
		{"18-34 and 25-44", &agents.Audience{AgeRanges: ages(18, 44)}},
		{"Gen Z and millennials", &agents.Audience{AgeRanges: ages(18, 29, 30, 45)}},
		{"millennials aged 25-34", &agents.Audience{AgeRanges: ages(25, 34)}},
		{"adults 18-24", &agents.Audience{AgeRanges: ages(18, 24)}},

		// Genders.
		{"women", &agents.Audience{Genders: []string{agents.GenderFemale}}},
		{"female listeners", &agents.Audience{Genders: []string{agents.GenderFemale}}},
		{"ladies night out", &agents.Audience{Genders: []string{agents.GenderFemale}}},
		{"moms", &agents.Audience{Genders: []string{agents.GenderFemale}, Interests: []string{"parenting"}}},
		{"mums and mothers-to-be", &agents.Audience{Genders: []string{agents.GenderFemale}, Interests: []string{"parenting"}}},
		{"men", &agents.Audience{Genders: []string{agents.GenderMale}}},
		{"guys who lift", &agents.Audience{Genders: []string{agents.GenderMale}}},
		{"dads", &agents.Audience{Genders: []string{agents.GenderMale}, Interests: []string{"parenting"}}},
		{"non-binary listeners", &agents.Audience{Genders: []string{agents.GenderNonBinary}}},
		{"women and non-binary people", &agents.Audience{Genders: []string{agents.GenderFemale, agents.GenderNonBinary}}},
		{"men and women 25-54", &agents.Audience{AgeRanges: ages(25, 54)}},
		{"everyone in France", &agents.Audience{Geo: agents.Geo{Countries: []string{"FR"}}}},
		{"a Mother's Day campaign in Germany", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}}}},

		// Countries by name, demonym and code.
		{"Germany", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}}}},
		{"the Netherlands", &agents.Audience{Geo: agents.Geo{Countries: []string{"NL"}}}},
		{"Holland", &agents.Audience{Geo: agents.Geo{Countries: []string{"NL"}}}},
		{"German listeners", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}}}},
		{"a French audience", &agents.Audience{Geo: agents.Geo{Countries: []string{"FR"}}}},
		{"Brazilian", &agents.Audience{Geo: agents.Geo{Countries: []string{"BR"}}}},
		{"DE, AT and CH", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE", "AT", "CH"}}}},
		{"US and UK", &agents.Audience{Geo: agents.Geo{Countries: []string{"US", "GB"}}}},
		{"DE, FR, IT, ES", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE", "FR", "IT", "ES"}}}},
		{"the UK", &agents.Audience{Geo: agents.Geo{Countries: []string{"GB"}}}},
		{"Britain", &agents.Audience{Geo: agents.Geo{Countries: []string{"GB"}}}},
		{"England", &agents.Audience{Geo: agents.Geo{Countries: []string{"GB"}}}},
		{"the States", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}}}},
		{"America", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}}}},
		{"USA", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}}}},
		{"the U.S.", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}}}},
		{"South Korea and Japan", &agents.Audience{Geo: agents.Geo{Countries: []string{"KR", "JP"}}}},
		{"Côte d'Ivoire", &agents.Audience{Geo: agents.Geo{Countries: []string{"CI"}}}},

		// Groups.
		{"DACH", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE", "AT", "CH"}}}},
		{"Benelux", &agents.Audience{Geo: agents.Geo{Countries: []string{"BE", "NL", "LU"}}}},
		{"the Nordics", &agents.Audience{Geo: agents.Geo{Countries: []string{"DK", "FI", "IS", "NO", "SE"}}}},
		{"Scandinavia", &agents.Audience{Geo: agents.Geo{Countries: []string{"DK", "NO", "SE"}}}},
		{"Europe's big five", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE", "FR", "IT", "ES", "GB"}}}},
		{"EU5", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE", "FR", "IT", "ES", "GB"}}}},
		{"the big 5", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE", "FR", "IT", "ES", "GB"}}}},
		{"LATAM", &agents.Audience{Geo: agents.Geo{Countries: []string{"MX", "BR", "AR", "CO", "CL", "PE"}}}},
		{"North America", &agents.Audience{Geo: agents.Geo{Countries: []string{"US", "CA"}}}},
		{"ANZ", &agents.Audience{Geo: agents.Geo{Countries: []string{"AU", "NZ"}}}},
		{"the Nordics except Iceland", &agents.Audience{Geo: agents.Geo{Countries: []string{"DK", "FI", "NO", "SE"}}}},

		// Cities and regions imply their country.
		{"Munich", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}, Cities: []string{"Munich"}}}},
		{"NYC and LA", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}, Cities: []string{"New York", "Los Angeles"}}}},
		{"São Paulo and Rio", &agents.Audience{Geo: agents.Geo{Countries: []string{"BR"}, Cities: []string{"São Paulo", "Rio de Janeiro"}}}},
		{"Sao Paulo", &agents.Audience{Geo: agents.Geo{Countries: []string{"BR"}, Cities: []string{"São Paulo"}}}},
		{"Barcelona, Milan and Toronto", &agents.Audience{Geo: agents.Geo{Countries: []string{"ES", "IT", "CA"}, Cities: []string{"Barcelona", "Milan", "Toronto"}}}},
		{"Sydney, Melbourne and Mumbai", &agents.Audience{Geo: agents.Geo{Countries: []string{"AU", "IN"}, Cities: []string{"Sydney", "Melbourne", "Mumbai"}}}},
		{"Vienna and Stockholm", &agents.Audience{Geo: agents.Geo{Countries: []string{"AT", "SE"}, Cities: []string{"Vienna", "Stockholm"}}}},
		{"Bavaria", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}, Regions: []string{"Bavaria"}}}},
		{"Bayern", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}, Regions: []string{"Bavaria"}}}},
		{"California and Texas", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}, Regions: []string{"California", "Texas"}}}},
		{"Ontario, Catalonia and Scotland", &agents.Audience{Geo: agents.Geo{Countries: []string{"CA", "ES", "GB"}, Regions: []string{"Ontario", "Catalonia", "Scotland"}}}},
		{"Germany, especially Hamburg", &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}, Cities: []string{"Hamburg"}}}},
		{"listeners in Georgia", &agents.Audience{Geo: agents.Geo{Countries: []string{"US"}, Regions: []string{"Georgia"}}}},
		{"in Jordan and Lebanon", &agents.Audience{Geo: agents.Geo{Countries: []string{"JO", "LB"}}}},

		// Genres, interests and podcast topics.
		{"hip-hop fans", &agents.Audience{Genres: []string{"hip-hop"}}},
		{"hip hop and rap", &agents.Audience{Genres: []string{"hip-hop", "rap"}}},
		{"pop, rock and indie", &agents.Audience{Genres: []string{"pop", "rock", "indie"}}},
		{"EDM and electronic music", &agents.Audience{Genres: []string{"edm", "electronic"}}},
		{"K-Pop stans", &agents.Audience{Genres: []string{"k-pop"}}},
		{"latin and reggaeton", &agents.Audience{Genres: []string{"latin", "reggaeton"}}},
		{"country music fans", &agents.Audience{Genres: []string{"country"}}},
		{"pop, rock and country", &agents.Audience{Genres: []string{"pop", "rock", "country"}}},
		{"R&B, jazz and classical", &agents.Audience{Genres: []string{"r&b", "jazz", "classical"}}},
		{"metal, afrobeats, techno and house", &agents.Audience{Genres: []string{"metal", "afrobeats", "techno", "house"}}},
		{"lo-fi beats", &agents.Audience{Genres: []string{"lo-fi"}}},
		{"fitness enthusiasts", &agents.Audience{Interests: []string{"fitness"}}},
		{"gamers", &agents.Audience{Interests: []string{"gaming"}}},
		{"travel, foodies and fashion", &agents.Audience{Interests: []string{"travel", "food", "fashion"}}},
		{"beauty and sports fans", &agents.Audience{Interests: []string{"beauty", "sports"}}},
		{"tech and finance podcasts", &agents.Audience{Interests: []string{"tech", "finance"}, Placements: []string{agents.PlacementPodcast}}},
		{"car enthusiasts who love the outdoors", &agents.Audience{Interests: []string{"cars", "outdoors"}}},
		{"students", &agents.Audience{Interests: []string{"students"}}},
		{"true crime", &agents.Audience{Interests: []string{"true crime"}, Placements: []string{agents.PlacementPodcast}}},
		{"comedy podcasts", &agents.Audience{Interests: []string{"comedy"}, Placements: []string{agents.PlacementPodcast}}},
		{"news podcasts", &agents.Audience{Interests: []string{"news"}, Placements: []string{agents.PlacementPodcast}}},
		{"business podcasts", &agents.Audience{Interests: []string{"business"}, Placements: []string{agents.PlacementPodcast}}},
		{"health & wellness podcasts", &agents.Audience{Interests: []string{"health & wellness"}, Placements: []string{agents.PlacementPodcast}}},

		// Platforms and placements.
		{"iPhone users", &agents.Audience{Platforms: []string{agents.PlatformIOS}}},
		{"iOS", &agents.Audience{Platforms: []string{agents.PlatformIOS}}},
		{"Android only", &agents.Audience{Platforms: []string{agents.PlatformAndroid}}},
		{"desktop and the web player", &agents.Audience{Platforms: []string{agents.PlatformDesktop}}},
		{"on mobile", &agents.Audience{Platforms: []string{agents.PlatformIOS, agents.PlatformAndroid}}},
		{"podcast listeners", &agents.Audience{Placements: []string{agents.PlacementPodcast}}},
		{"ads on podcasts", &agents.Audience{Placements: []string{agents.PlacementPodcast}}},
		{"in podcasts", &agents.Audience{Placements: []string{agents.PlacementPodcast}}},
		{"music listeners", &agents.Audience{Placements: []string{agents.PlacementMusic}}},
		{"in music", &agents.Audience{Placements: []string{agents.PlacementMusic}}},
		{"between songs", &agents.Audience{Placements: []string{agents.PlacementMusic}}},
		{"no podcasts", &agents.Audience{Placements: []string{agents.PlacementMusic}}},
		{"everything except desktop", &agents.Audience{Platforms: []string{agents.PlatformIOS, agents.PlatformAndroid}}},

		// Languages.
		{"Spanish-speaking", &agents.Audience{Languages: []string{"es"}}},
		{"German speakers", &agents.Audience{Languages: []string{"de"}}},
		{"ads in Spanish", &agents.Audience{Languages: []string{"es"}}},
		{"French and German speakers in Switzerland", &agents.Audience{Geo: agents.Geo{Countries: []string{"CH"}}, Languages: []string{"fr", "de"}}},
		{"Brazilian Portuguese", &agents.Audience{Languages: []string{"pt"}}},
		{"Hindi speakers in India", &agents.Audience{Geo: agents.Geo{Countries: []string{"IN"}}, Languages: []string{"hi"}}},

		// Realistic briefs; the first gives DESIGN.md's example audience.
		{"German-speaking women 18-24 in Munich, Bavaria who love hip-hop and fitness, iPhone users, on podcasts",
			&agents.Audience{AgeRanges: ages(18, 24), Genders: []string{agents.GenderFemale},
				Geo:    agents.Geo{Countries: []string{"DE"}, Regions: []string{"Bavaria"}, Cities: []string{"Munich"}},
				Genres: []string{"hip-hop"}, Interests: []string{"fitness"}, Platforms: []string{agents.PlatformIOS},
				Placements: []string{agents.PlacementPodcast}, Languages: []string{"de"}}},
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
			&agents.Audience{AgeRanges: ages(18, 24), Geo: agents.Geo{Countries: []string{"DE"}}}},
		{"Launch our sneaker line to Gen Z and millennials in the US and Canada on iOS and Android, $50k over 6 weeks",
			&agents.Audience{AgeRanges: ages(18, 29, 30, 45), Geo: agents.Geo{Countries: []string{"US", "CA"}}, Platforms: []string{agents.PlatformIOS, agents.PlatformAndroid}}},
		{"Reach Spanish-speaking women 25-44 in Texas and California who listen to reggaeton and latin pop, budget $20,000",
			&agents.Audience{AgeRanges: ages(25, 44), Genders: []string{agents.GenderFemale}, Geo: agents.Geo{Countries: []string{"US"}, Regions: []string{"Texas", "California"}},
				Genres: []string{"reggaeton", "latin"}, Languages: []string{"es"}}},
		{"Drive app installs among gamers 18-34 on Android in Brazil and Mexico, R$ 90.000 for Q1",
			&agents.Audience{AgeRanges: ages(18, 34), Geo: agents.Geo{Countries: []string{"BR", "MX"}}, Interests: []string{"gaming"}, Platforms: []string{agents.PlatformAndroid}}},
		{"Podcast campaign for true crime and comedy fans in the UK and Ireland, 35+, £10k in January",
			&agents.Audience{AgeRanges: ages(35, 99), Geo: agents.Geo{Countries: []string{"GB", "IE"}}, Interests: []string{"true crime", "comedy"}, Placements: []string{agents.PlacementPodcast}}},
		{"Moms and dads in Munich, Hamburg and Berlin, music listeners only, 30 days",
			&agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}, Cities: []string{"Munich", "Hamburg", "Berlin"}}, Interests: []string{"parenting"}, Placements: []string{agents.PlacementMusic}}},
		{"EU5 listeners under 30 who like K-pop, 8k EUR",
			&agents.Audience{AgeRanges: ages(18, 29), Geo: agents.Geo{Countries: []string{"DE", "FR", "IT", "ES", "GB"}}, Genres: []string{"k-pop"}}},
		{"college students across the States on mobile, $200 a day",
			&agents.Audience{AgeRanges: ages(18, 24), Geo: agents.Geo{Countries: []string{"US"}}, Interests: []string{"students"}, Platforms: []string{agents.PlatformIOS, agents.PlatformAndroid}}},
		{"Boomers and Gen X in Florida, Arizona and Ontario",
			&agents.Audience{AgeRanges: ages(62, 80, 46, 61), Geo: agents.Geo{Countries: []string{"US", "CA"}, Regions: []string{"Florida", "Arizona", "Ontario"}}}},
		{"Sell 20 million pesos of tickets to Mexican hip-hop fans aged 18 to 34 in Mexico City and Guadalajara",
			&agents.Audience{AgeRanges: ages(18, 34), Geo: agents.Geo{Countries: []string{"MX"}, Cities: []string{"Mexico City", "Guadalajara"}}, Genres: []string{"hip-hop"}}},

		// Not the audience: nothing read.
		{"extend to 60 days", nil},
		{"make it 8k", nil},
		{"no video", nil},
		{"double the budget", nil},
		{"between 8 and 10k", nil},
		{"20 million pesos", nil},
		{"5.000 €", nil},
		{"R$ 90.000", nil},
		{"US$ 5,000", nil},
		{"budget in Australian dollars", nil},
		{"in January", nil},
		{"Q1", nil},
		{"from 2026-11-23 to 2026-12-22", nil},
		{"run it for 15-20 days", nil},
		{"keep video under 20%", nil},
		{"let us know if it works for me", nil},
		{"IT is on it, no worries", nil},
		{"Michael Jordan", nil},
		{"thanks everyone", nil},
		{"the country's biggest brand", nil},
		{"an in-house pop-up", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			res := runFirst(t, tt.give)
			if !reflect.DeepEqual(res.Audience, tt.want) {
				t.Errorf("Run(%q).Audience =\n  %s\nwant\n  %s\nnotes %q", tt.give, audienceJSON(res.Audience), audienceJSON(tt.want), res.Notes)
			}
			if tt.want == nil && res.Confidence != 0 {
				t.Errorf("Run(%q).Confidence = %v for a message with no audience; want 0", tt.give, res.Confidence)
			}
		})
	}
}

func TestAudienceSpecialistNotes(t *testing.T) {
	tests := []struct {
		give           string
		wantNote       string
		wantConfidence float64
	}{
		{"Gen Z", "Gen Z (born 1997–2012) are 14–29 in 2026; read as 18–29, the ages ads reach.", 0.95},
		{"women in Georgia", "Read Georgia as the US state.", 0.9},
		{"listeners across Europe", `"europe" is too broad to target as one market; name the countries (e.g. "the Nordics", "EU5").`, 0.5},
		{"Gen Alpha", "Gen Alpha (born 2013–2024) are under 18 in 2026; ads cannot target them.", 0.6},
		{"women 25-34 in Germany", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			res := runFirst(t, tt.give)
			if tt.wantNote == "" && len(res.Notes) != 0 || tt.wantNote != "" && !slices.Contains(res.Notes, tt.wantNote) {
				t.Errorf("Run(%q).Notes = %q; want %q", tt.give, res.Notes, tt.wantNote)
			}
			if res.Confidence != tt.wantConfidence {
				t.Errorf("Run(%q).Confidence = %v; want %v", tt.give, res.Confidence, tt.wantConfidence)
			}
		})
	}
}

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

func TestAudienceSpecialistTouches(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		// The coordinator's routing examples.
		{"extend to 60 days", false},
		{"make it 8k", false},
		{"add Austria too", true},
		{"no video", false},
		{"what about 90 days and 15k?", false},
		{"double the budget", false},
		{"cut the budget by 25%", false},
		{"drop the UK and do Ireland instead", true},
		{"only women", true},
		{"make it 25-34 instead", true},
		{"push the start to January", false},
		{"shorten it to 3 weeks", false},
		{"focus on video views instead", false},
		{"$200 a day", false},
		{"between 25 and 34", true},
		{"between 8 and 10k", false},
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", true},
		// Other slots' words.
		{"20 million pesos", false},
		{"5.000 €", false},
		{"R$ 90.000", false},
		{"in January", false},
		{"Q1", false},
		{"maximise reach", false},
		{"optimise for clicks", false},
		{"keep video under 25% of spend", false},
		{"€5k over the next 4 weeks", false},
		{"start on the 18th", false},
		{"run it 10-20 December", false},
		{"spend 25-30k", false},
		{"2026-11-23 to 2026-12-22", false},
		{"", false},
		// Audience follow-ups.
		{"also 35-44", true},
		{"no age limit", true},
		{"iOS only", true},
		{"add podcasts", true},
		{"add hip-hop fans", true},
		{"men too", true},
		{"exclude London", true},
		{"not France", true},
		{"just the US", true},
		{"everyone", true},
	}
	s := New()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := s.Touches(agents.NewMessage(tt.give, testNow)); got != tt.want {
				t.Errorf("Touches(%q) = %v; want %v", tt.give, got, tt.want)
			}
		})
	}
}

// Case matters for ISO codes only: "us", "in", "it", "no", "be", "me" are words.
func TestAudienceSpecialistCodesNeedCapitals(t *testing.T) {
	tests := []struct {
		give string
		want []string
	}{
		{"tell us about it, no rush, we will be in touch with me", nil},
		{"target the US", []string{"US"}},
		{"target the UK", []string{"GB"}},
		{"work in IT", nil},
		{"NO video please", nil},
		{"ads in TV and AI", nil},
		{"DJ mixes and CD sales", nil},
		{"NO, SE and DK", []string{"NO", "SE", "DK"}},
		{"BE/NL", []string{"BE", "NL"}},
		{"TARGET WOMEN IN THE US", []string{"US"}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			res := runFirst(t, tt.give)
			var got []string
			if res.Audience != nil {
				got = res.Audience.Geo.Countries
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Run(%q) countries = %q; want %q", tt.give, got, tt.want)
			}
		})
	}
}

// A Message built by hand, with Lower only or Text only, still reads.
func TestAudienceSpecialistHandMadeMessage(t *testing.T) {
	s := New()
	for _, m := range []agents.Message{{Lower: "women in germany"}, {Text: "Women in Germany"}} {
		res, err := s.Run(context.Background(), agents.Request{Message: m, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		want := &agents.Audience{Genders: []string{agents.GenderFemale}, Geo: agents.Geo{Countries: []string{"DE"}}}
		if !reflect.DeepEqual(res.Audience, want) {
			t.Errorf("Run(%+v) = %s; want %s", m, audienceJSON(res.Audience), audienceJSON(want))
		}
	}
}

// checkResult reports what makes res an invalid reading of the audience slot.
func checkResult(res agents.Result) string {
	if res.Goal != nil || res.Budget != nil || res.Schedule != nil {
		return "set another specialist's slot"
	}
	if math.IsNaN(res.Confidence) || res.Confidence < 0 || res.Confidence > 1 {
		return "confidence out of 0..1"
	}
	for _, n := range res.Notes {
		if n == "" || !utf8.ValidString(n) {
			return "empty or invalid note"
		}
	}
	a := res.Audience
	if a == nil {
		return ""
	}
	for _, r := range a.AgeRanges {
		if r.Min < minAge || r.Max > maxAge || r.Min > r.Max {
			return "age range out of 13..99"
		}
	}
	valid := func(list []string, ok func(string) bool) bool {
		seen := map[string]bool{}
		for _, v := range list {
			if seen[v] || !ok(v) {
				return false
			}
			seen[v] = true
		}
		return true
	}
	oneOf := func(vals ...string) func(string) bool {
		return func(v string) bool { return slices.Contains(vals, v) }
	}
	isCountry := func(v string) bool {
		c := countries.ByName(v)
		return len(v) == 2 && strings.ToUpper(v) == v && c.IsValid() && c.Alpha2() == v
	}
	isLanguage := func(v string) bool { return len(v) == 2 && strings.ToLower(v) == v }
	nonEmpty := func(v string) bool { return v != "" }
	switch {
	case !valid(a.Genders, oneOf(agents.GenderMale, agents.GenderFemale, agents.GenderNonBinary)):
		return "bad genders"
	case !valid(a.Platforms, oneOf(agents.PlatformIOS, agents.PlatformAndroid, agents.PlatformDesktop)):
		return "bad platforms"
	case !valid(a.Placements, oneOf(agents.PlacementMusic, agents.PlacementPodcast)):
		return "bad placements"
	case !valid(a.Geo.Countries, isCountry):
		return "bad countries"
	case !valid(a.Languages, isLanguage):
		return "bad languages"
	case !valid(a.Geo.Regions, nonEmpty), !valid(a.Geo.Cities, nonEmpty), !valid(a.Genres, nonEmpty), !valid(a.Interests, nonEmpty):
		return "empty or repeated names"
	}
	return ""
}

func FuzzAudienceSpecialist(f *testing.F) {
	seeds := []string{
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
		"Reach Spanish-speaking women 25-44 in Texas and California who listen to reggaeton",
		"drop the UK and do Ireland instead", "swap the UK for Ireland", "only women", "men too",
		"make it 25-34 instead", "no age limit", "iOS only", "add podcasts", "DE, AT, CH", "U.S.A.",
		"in their late 20s and early 30s", "under 18", "Gen Alpha", "between 8 and 10k", "R$ 90.000",
		"exclude London", "not on desktop", "no, France", "remove 18-24", "the Nordics except Iceland",
		"\xff\xfe18-\x00", "İstanbul", "ǅ", "...---...", "18-24-35-44", "their 20s 30s 40s",
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	s := New()
	current := &agents.Audience{
		AgeRanges: ages(18, 24, 35, 44),
		Genders:   []string{agents.GenderFemale},
		Geo:       agents.Geo{Countries: []string{"DE", "GB"}, Regions: []string{"Bavaria"}, Cities: []string{"London"}},
		Genres:    []string{"pop"}, Interests: []string{"fitness"}, Platforms: []string{agents.PlatformIOS},
		Placements: []string{agents.PlacementMusic}, Languages: []string{"de"},
	}
	f.Fuzz(func(t *testing.T, text string, followUp bool) {
		before := current.Clone()
		m := agents.NewMessage(text, testNow)
		touches := s.Touches(m)
		req := agents.Request{Message: m, FollowUp: followUp, Now: testNow}
		if followUp {
			req.Current = agents.Brief{Audience: current}
		}
		res, err := s.Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run(%q) failed: %v", text, err)
		}
		if why := checkResult(res); why != "" {
			t.Fatalf("Run(%q, followUp=%v) = %s: %s", text, followUp, audienceJSON(res.Audience), why)
		}
		if !touches && res.Audience != nil {
			t.Fatalf("Touches(%q) = false but Run read %s", text, audienceJSON(res.Audience))
		}
		if !reflect.DeepEqual(*current, before) {
			t.Fatalf("Run(%q) changed req.Current.Audience", text)
		}
	})
}

func BenchmarkAudienceSpecialist(b *testing.B) {
	s := New()
	briefs := []struct {
		name string
		req  agents.Request
	}{
		{"first-brief", agents.Request{Message: agents.NewMessage("Reach Spanish-speaking women 25-44 in Texas and California who listen to reggaeton and latin pop on iOS, budget $20,000 over 6 weeks", testNow), Now: testNow}},
		{"follow-up", agents.Request{Message: agents.NewMessage("drop the UK and do Ireland instead", testNow), FollowUp: true, Now: testNow,
			Current: agents.Brief{Audience: &agents.Audience{AgeRanges: ages(18, 24), Geo: agents.Geo{Countries: []string{"DE", "GB"}}}}}},
		{"not-audience", agents.Request{Message: agents.NewMessage("extend to 60 days and make it 8k", testNow), Now: testNow}},
	}
	for _, bb := range briefs {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if s.Touches(bb.req.Message) {
					if _, err := s.Run(context.Background(), bb.req); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// Duckling's money and duration examples (peer-written, in ../shared) speak to the
// budget and schedule only: none of them names an audience ("42 malaysian ringgits"
// is a currency, not Malaysia).
func TestAudienceSpecialistIgnoresDucklingMoneyAndDurations(t *testing.T) {
	s := New()
	for _, rel := range []string{"eval/duckling/duckling_money_en.jsonl", "eval/duckling/duckling_duration_en.jsonl"} {
		path := sharedtest.File(t, rel)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var row struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatalf("parsing %s: %v", path, err)
			}
			if s.Touches(agents.NewMessage(row.Text, testNow)) {
				t.Errorf("Touches(%q) = true; want false (%s)", row.Text, rel)
			}
		}
	}
}

// Inputs of 100 KB read in one pass and still give a valid audience; fuzzing keeps to
// short strings, so the long lists that stress list and cue handling are here.
func TestAudienceSpecialistLargeInputs(t *testing.T) {
	noise := make([]byte, 100000)
	for i := range noise {
		noise[i] = byte(i*7919%251 + 1)
	}
	inputs := map[string]string{
		"genre list":   strings.Repeat("country, ", 11000) + "country music",
		"place list":   strings.Repeat("Jordan, ", 12000) + "in Chad",
		"age ranges":   strings.Repeat("18-24, 25-34 and 35+ ", 5000),
		"follow-ups":   strings.Repeat("women in Germany who love hip-hop, drop the UK and do Ireland instead ", 1400),
		"codes":        strings.Repeat("DE, AT, IT, IN, NO ", 5000),
		"decades":      strings.Repeat("their 20s and ", 7000),
		"binary noise": string(noise),
	}
	s := New()
	current := &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}}}
	for name, text := range inputs {
		for _, followUp := range []bool{false, true} {
			req := agents.Request{Message: agents.NewMessage(text, testNow), FollowUp: followUp, Current: agents.Brief{Audience: current}, Now: testNow}
			s.Touches(req.Message)
			res, err := s.Run(context.Background(), req)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if why := checkResult(res); why != "" {
				t.Errorf("%s (followUp=%v): %s", name, followUp, why)
			}
		}
	}
}
