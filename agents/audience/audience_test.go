package audience

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
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
		// A month after a range whose top cannot be a day leaves it an age.
		{"35-54 mar-may", &agents.Audience{AgeRanges: ages(35, 54)}},
		{"18-35 September", &agents.Audience{AgeRanges: ages(18, 35)}},
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
		// Aliases shared through agents/geo with the budget and the schedule.
		{"kampania w Polsce", &agents.Audience{Geo: agents.Geo{Countries: []string{"PL"}}}},
		{"Maroc", &agents.Audience{Geo: agents.Geo{Countries: []string{"MA"}}}},
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
		{"students", &agents.Audience{AgeRanges: ages(18, 24), Interests: []string{"students"}}},
		{"grad students", &agents.Audience{Interests: []string{"students"}}},
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
