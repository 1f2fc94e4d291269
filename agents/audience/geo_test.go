package audience

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
	"github.com/biter777/countries"
)

func testGeoFile(t *testing.T) *geoFile {
	t.Helper()
	b, err := dataFS.ReadFile("data/audience_geo.json")
	if err != nil {
		t.Fatalf("reading geo data: %v", err)
	}
	var geo geoFile
	if err := json.Unmarshal(b, &geo); err != nil {
		t.Fatalf("parsing geo data: %v", err)
	}
	return &geo
}

// geoOf reads "listeners in <place>" as a first brief.
func geoOf(t *testing.T, place string) agents.Geo {
	t.Helper()
	res := runFirst(t, "listeners in "+place)
	if res.Audience == nil {
		return agents.Geo{}
	}
	return res.Audience.Geo
}

// Every country the library names reads as its ISO code, except the names a brief
// means as something else (Georgia is the US state).
func TestAudienceCountryNamesFromLibrary(t *testing.T) {
	geo := testGeoFile(t)
	skip := set(geo.SkipCountries)
	skipNames := set(geo.SkipCountryNames)
	n := 0
	for _, c := range countries.All() {
		a2, name := c.Alpha2(), cleanName(c.String())
		if skip[strings.ToLower(a2)] || skipNames[audienceKey(name)] {
			continue
		}
		n++
		if got := geoOf(t, name); !slices.Equal(got.Countries, []string{a2}) {
			t.Errorf("listeners in %s: countries %q; want [%s]", name, got.Countries, a2)
		}
	}
	if n < 230 {
		t.Errorf("read %d country names from the library; want at least 230", n)
	}
}

// Every capital the library names is a city of its country; with the hand-typed
// cities that is well over the 100 the brief asks for.
func TestAudienceCapitalsFromLibrary(t *testing.T) {
	geo := testGeoFile(t)
	skip := set(geo.SkipCountries)
	skipCaps := set(geo.SkipCapitals)
	lex, err := audienceLex()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range countries.All() {
		a2 := c.Alpha2()
		capital := cleanName(c.Capital().String())
		if skip[strings.ToLower(a2)] || !c.Capital().IsValid() || skipCaps[audienceKey(capital)] ||
			audienceKey(capital) == audienceKey(cleanName(c.String())) || lex.namesCountry(capital, a2) {
			continue
		}
		n++
		got := geoOf(t, capital)
		if len(got.Cities) != 1 || !slices.Equal(got.Countries, []string{a2}) {
			t.Errorf("listeners in %s: %+v; want one city in %s", capital, got, a2)
		}
	}
	if n < 150 || n+lex.cityCount < 300 {
		t.Errorf("read %d capitals and %d other cities; want at least 150 and 300 in all", n, lex.cityCount)
	}
}

func TestAudienceHandTypedCities(t *testing.T) {
	for _, c := range testGeoFile(t).Cities {
		for _, a := range append([]string{c.Name}, c.Aliases...) {
			got := geoOf(t, a)
			want := agents.Geo{Countries: []string{c.Country}, Cities: []string{c.Name}}
			if !slices.Equal(got.Countries, want.Countries) || !slices.Equal(got.Cities, want.Cities) || len(got.Regions) > 0 {
				t.Errorf("listeners in %s: %+v; want %+v", a, got, want)
			}
		}
	}
}

// Every region reads under its English name with its country, unless a city of the
// same name in the same country claims it ("Hamburg", "São Paulo").
func TestAudienceRegions(t *testing.T) {
	lex, err := audienceLex()
	if err != nil {
		t.Fatal(err)
	}
	geo := testGeoFile(t)
	for name, a2 := range lex.regionCountry {
		for _, a := range append([]string{name}, geo.RegionAliases[name]...) {
			got := geoOf(t, a)
			asRegion := slices.Equal(got.Regions, []string{name})
			asCity := len(got.Regions) == 0 && len(got.Cities) == 1
			if !slices.Equal(got.Countries, []string{a2}) || !asRegion && !asCity {
				t.Errorf("listeners in %s: %+v; want region %s of %s", a, got, name, a2)
			}
		}
	}
	if len(lex.regionCountry) < 200 {
		t.Errorf("%d regions; want at least 200", len(lex.regionCountry))
	}
}

func TestAudienceRegionExonyms(t *testing.T) {
	tests := []struct {
		give string
		want agents.Geo
	}{
		{"Bayern", agents.Geo{Countries: []string{"DE"}, Regions: []string{"Bavaria"}}},
		{"Nordrhein-Westfalen", agents.Geo{Countries: []string{"DE"}, Regions: []string{"North Rhine-Westphalia"}}},
		{"NRW", agents.Geo{Countries: []string{"DE"}, Regions: []string{"North Rhine-Westphalia"}}},
		{"Catalunya", agents.Geo{Countries: []string{"ES"}, Regions: []string{"Catalonia"}}},
		{"Andalucía", agents.Geo{Countries: []string{"ES"}, Regions: []string{"Andalusia"}}},
		{"Lombardia", agents.Geo{Countries: []string{"IT"}, Regions: []string{"Lombardy"}}},
		{"Tuscany", agents.Geo{Countries: []string{"IT"}, Regions: []string{"Tuscany"}}},
		{"Île-de-France", agents.Geo{Countries: []string{"FR"}, Regions: []string{"Île-de-France"}}},
		{"Ile de France", agents.Geo{Countries: []string{"FR"}, Regions: []string{"Île-de-France"}}},
		{"Zuid-Holland", agents.Geo{Countries: []string{"NL"}, Regions: []string{"South Holland"}}},
		{"Tirol", agents.Geo{Countries: []string{"AT"}, Regions: []string{"Tyrol"}}},
		{"Quebec", agents.Geo{Countries: []string{"CA"}, Regions: []string{"Quebec"}}},
		{"New South Wales", agents.Geo{Countries: []string{"AU"}, Regions: []string{"New South Wales"}}},
		{"Maharashtra", agents.Geo{Countries: []string{"IN"}, Regions: []string{"Maharashtra"}}},
		{"Jalisco", agents.Geo{Countries: []string{"MX"}, Regions: []string{"Jalisco"}}},
		{"Minas Gerais", agents.Geo{Countries: []string{"BR"}, Regions: []string{"Minas Gerais"}}},
		{"Wales", agents.Geo{Countries: []string{"GB"}, Regions: []string{"Wales"}}},
		{"Northern Ireland", agents.Geo{Countries: []string{"GB"}, Regions: []string{"Northern Ireland"}}},
		{"Flanders", agents.Geo{Countries: []string{"BE"}, Regions: []string{"Flanders"}}},
		{"New York State", agents.Geo{Countries: []string{"US"}, Regions: []string{"New York"}}},
		{"New York", agents.Geo{Countries: []string{"US"}, Cities: []string{"New York"}}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := geoOf(t, tt.give); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("listeners in %s: %+v; want %+v", tt.give, got, tt.want)
			}
		})
	}
}

// Words that look like places but are not, in the sentences where they are not.
func TestAudienceFalseFriends(t *testing.T) {
	tests := []struct {
		give string
		want []string // countries
	}{
		{"Michael Jordan fans", nil},
		{"listeners in Jordan", []string{"JO"}},
		{"Chad from sales signed off", nil},
		{"Chad, Niger and Mali", []string{"TD", "NE", "ML"}},
		{"a guinea pig test", nil},
		{"Guinea and Senegal", []string{"GN", "SN"}},
		{"Papua New Guinea", []string{"PG"}},
		{"Equatorial Guinea", []string{"GQ"}},
		{"Georgia", nil},
		{"Atlanta, Georgia", []string{"US"}},
		{"Turkey", []string{"TR"}},
		{"a turkey dinner ad", nil},
		{"Paris Hilton fans", nil},
		{"a football jersey", nil},
		{"listeners in Jersey", []string{"JE"}},
		{"polish the copy", nil},
		{"the Polish market", []string{"PL"}},
		{"a family reunion", nil},
		{"in the country", nil},
		{"Mexican pesos", nil},
		{"Swiss francs", nil},
		{"Canadian dollars", nil},
		{"in US dollars", nil},
		{"42 malaysian ringgits", nil},
		{"help us reach me in it", nil},
		{"Indiana Jones fans", nil},
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
