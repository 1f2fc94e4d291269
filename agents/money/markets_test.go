package money

import (
	"slices"
	"testing"
)

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
