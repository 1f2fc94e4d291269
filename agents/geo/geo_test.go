package geo

import (
	"slices"
	"strings"
	"testing"
)

func find(x *Index, name string) (string, Kind) {
	ws := strings.Fields(name)
	for _, m := range x.Starting(ws[0]) {
		if slices.Equal(m.Words, ws) {
			return m.Country, m.Kind
		}
	}
	return "", 0
}

// Every kind of name a brief gives a market reads as its country; a name too short
// to tell from other words, or not a plain name, is left out.
func TestNames(t *testing.T) {
	x := NewIndex(strings.Fields, nil)
	for name, want := range map[string]struct {
		code string
		kind Kind
	}{
		"germany": {"DE", English}, "south africa": {"ZA", Alias}, "new caledonia": {"NC", English}, "united kingdom": {"GB", Alias},
		"brasil": {"BR", Alias}, "alemania": {"DE", Foreign}, "allemagne": {"DE", Foreign},
		"niemcy": {"DE", Foreign}, "republic of korea": {"KR", English}, "coreia do sul": {"KR", Foreign}, "czechia": {"CZ", Alias},
		"uk": {"GB", Alias}, "ksa": {"SA", Alias}, "the states": {"US", Alias}, "u.s.a": {"US", Alias},
		"polsce": {"PL", Alias}, "türkiye": {"TR", Alias}, "scotland": {"GB", StandIn},
		"dach": {"DE", StandIn}, "german": {"DE", Demonym}, "aussie": {"AU", Demonym},
		"us": {"", 0}, "iran (islamic republic of)": {"", 0},
	} {
		if code, kind := find(x, name); code != want.code || kind != want.kind {
			t.Errorf("%q = %q (kind %d), want %q (kind %d)", name, code, kind, want.code, want.kind)
		}
	}
	// A reader that leaves out demonyms does not read "german" as a market.
	noDemonyms := NewIndex(strings.Fields, func(n Name) bool { return n.Kind != Demonym })
	if code, _ := find(noDemonyms, "german"); code != "" {
		t.Errorf("german without demonyms = %q, want none", code)
	}
	// Longest first, so "south africa" is tried before any shorter name.
	ms := x.Starting("south")
	for i := 1; i < len(ms); i++ {
		if len(ms[i].Words) > len(ms[i-1].Words) {
			t.Errorf("Starting(south) not longest first: %v", ms)
		}
	}
}

// Each name is one country's: the data never gives a name twice.
func TestNamesOnce(t *testing.T) {
	seen := map[string]string{}
	for _, n := range Names() {
		if c, ok := seen[n.Text]; ok {
			t.Errorf("%q names both %s and %s", n.Text, c, n.Country)
		}
		seen[n.Text] = n.Country
		if !IsCountry(n.Country) {
			t.Errorf("%q names %q, not a country", n.Text, n.Country)
		}
	}
}

// Codes count written in capitals and standing alone; flags spell their code.
func TestCodesAndFlags(t *testing.T) {
	for text, want := range map[string][]string{
		"DE campaign, US (CA + TX)": {"DE", "US", "CA"},
		"UK and IE":                 {"GB", "IE"},
		"IT budget OR TV":           nil,
		"de campaign, DEU, xDE":     nil,
	} {
		if got := CapitalCodes(text); !slices.Equal(got, want) {
			t.Errorf("CapitalCodes(%q) = %v, want %v", text, got, want)
		}
	}
	if got := FlagCodes("launch 🇩🇪 and 🇧🇷!"); !slices.Equal(got, []string{"DE", "BR"}) {
		t.Errorf("FlagCodes = %v, want [DE BR]", got)
	}
	if !IsCountry("DE") || IsCountry("de") || IsCountry("XX") {
		t.Error("IsCountry: DE is a country code; de and XX are not")
	}
}

// A data file that names no country fails to load, saying what.
func TestBuildRefusesUnknownCountry(t *testing.T) {
	for _, f := range []*marketsFile{
		{Aliases: map[string][]string{"XX": {"nowhere"}}},
		{StandIns: map[string]string{"atlantis": "XX"}},
		{Demonyms: map[string][]string{"XX": {"atlantean"}}},
		{DisplayLanguages: []string{"not a language"}},
	} {
		if _, err := build(f); err == nil {
			t.Errorf("build(%+v) accepted bad data", f)
		}
	}
}
