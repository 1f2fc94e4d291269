package money

import (
	"slices"
	"strings"
	"testing"
)

// Market names come from CLDR in the brief languages, from the ISO list, and from the
// aliases; a name that is too short or not letters is left out.
func TestMarketNames(t *testing.T) {
	find := func(name string) string {
		ws := strings.Fields(name)
		for _, mn := range MarketNames(ws[0]) {
			if slices.Equal(mn.Words, ws) {
				return mn.Country
			}
		}
		return ""
	}
	for name, want := range map[string]string{
		"brazil": "BR", "brasil": "BR", "méxico": "MX", "deutschland": "DE", "south africa": "ZA",
		"polska": "PL", "polsce": "PL", "türkiye": "TR", "uk": "GB", "usa": "US", "czechia": "CZ",
		"republic of korea": "KR", "south korea": "KR", "perú": "PE", "vietnam": "VN",
		// Left out: too short to tell from other words, or not a plain name.
		"us": "", "iran (islamic republic of)": "",
	} {
		if got := find(name); got != want {
			t.Errorf("market name %q = %q, want %q", name, got, want)
		}
	}
	// Longest first, so "south africa" is tried before any shorter name.
	ns := MarketNames("south")
	for i := 1; i < len(ns); i++ {
		if len(ns[i].Words) > len(ns[i-1].Words) {
			t.Errorf("MarketNames(south) not longest first: %v", ns)
		}
	}
}

// Which languages a market and a currency's markets write, from CLDR's likely
// subtags, and where "mil" is a thousand.
func TestMarketLanguages(t *testing.T) {
	for country, want := range map[string]string{"BR": "pt", "mx": "es", "ZA": "en", "PL": "pl", "XX": ""} {
		if got := MarketLanguage(country); got != want {
			t.Errorf("MarketLanguage(%q) = %q, want %q", country, got, want)
		}
	}
	for code, want := range map[string][]string{"BRL": {"pt"}, "PEN": {"es"}, "PLN": {"pl"}} {
		if got := CurrencyLanguages(code); !slices.Equal(got, want) {
			t.Errorf("CurrencyLanguages(%q) = %q, want %q", code, got, want)
		}
	}
	if langs := CurrencyLanguages("USD"); !slices.Contains(langs, "en") || !slices.Contains(langs, "es") {
		t.Errorf("CurrencyLanguages(USD) = %q, want English and Spanish among them", langs)
	}
	for lang, want := range map[string]bool{"es": true, "pt": true, "en": false, "it": false, "": false} {
		if got := MilIsThousand(lang); got != want {
			t.Errorf("MilIsThousand(%q) = %v, want %v", lang, got, want)
		}
	}
}

func TestLetterPrefixes(t *testing.T) {
	r := LetterPrefixes("r")
	if len(r) != 1 || r[0].Currency != "ZAR" || r[0].Market != "ZA" || !r[0].GluedOnly {
		t.Errorf(`LetterPrefixes("r") = %+v, want the rand, glued only outside ZA`, r)
	}
	s := LetterPrefixes("s")
	if len(s) != 2 || !slices.Equal(s[0].Tokens, []string{"s", "/", "."}) || s[1].Currency != "PEN" {
		t.Errorf(`LetterPrefixes("s") = %+v, want "s/." before "s/", both soles`, s)
	}
	if got := LetterPrefixes("x"); got != nil {
		t.Errorf(`LetterPrefixes("x") = %+v, want none`, got)
	}
}
