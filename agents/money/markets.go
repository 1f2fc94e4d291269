package money

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	isocountries "github.com/biter777/countries"
	"golang.org/x/text/language"

	"github.com/adplan/adplan/agents/internal/datafile"
)

// Markets as money reads them: the languages a market's people write amounts in, and
// the letters a currency is written with onto a number. Which market a word names is
// agents/geo's.

// LetterPrefix is a currency written as letters onto a number: "R120,000" (rand),
// "S/ 90,000" (sol).
type LetterPrefix struct {
	// Tokens are the letters and signs as a tokenizer splits them ("s", "/").
	Tokens   []string
	Currency string
	// Market is the country whose briefs write the letters; there they count
	// written apart from the number too.
	Market string
	// GluedOnly letters count elsewhere only written onto an amount that reads as
	// money by itself: "R2" is a road, not two rand.
	GluedOnly bool
}

type marketsFile struct {
	Comment        []string `json:"_comment"`
	MilThousand    []string `json:"mil_thousand_languages"`
	LetterPrefixes map[string]struct {
		Currency  string `json:"currency"`
		Market    string `json:"market"`
		GluedOnly bool   `json:"glued_only"`
	} `json:"letter_prefixes"`
}

type marketTables struct {
	languages   map[string]string   // alpha-2 → CLDR's likely language
	curLangs    map[string][]string // currency → the likely languages of its markets
	milThousand map[string]bool
	prefixes    map[string][]LetterPrefix // by first token, longest first
}

var marketTablesOnce = sync.OnceValue(loadMarketTables)

func loadMarketTables() *marketTables {
	var f marketsFile
	datafile.MustRead(dataFS, "data/markets.json", &f)
	t := &marketTables{
		languages:   map[string]string{},
		curLangs:    map[string][]string{},
		milThousand: setOf("mil_thousand_languages", f.MilThousand),
		prefixes:    map[string][]LetterPrefix{},
	}
	cur := tables().countryCur
	for _, c := range isocountries.All() {
		a2 := c.Alpha2()
		region, err := language.ParseRegion(a2)
		if err != nil {
			continue
		}
		tag, _ := language.Compose(language.Und, region)
		if base, conf := tag.Base(); conf != language.No {
			t.languages[a2] = base.String()
			if code := cur[a2]; code != "" && !slices.Contains(t.curLangs[code], base.String()) {
				t.curLangs[code] = append(t.curLangs[code], base.String())
			}
		}
	}
	for letters, p := range f.LetterPrefixes {
		if !tables().iso[p.Currency] {
			panic(fmt.Sprintf("data/markets.json: letter prefix %q is in %q, not an ISO 4217 currency", letters, p.Currency))
		}
		toks := strings.Fields(letters)
		t.prefixes[toks[0]] = append(t.prefixes[toks[0]], LetterPrefix{Tokens: toks, Currency: p.Currency, Market: p.Market, GluedOnly: p.GluedOnly})
	}
	for k, ps := range t.prefixes {
		sort.Slice(ps, func(i, j int) bool { return len(ps[i].Tokens) > len(ps[j].Tokens) })
		t.prefixes[k] = ps
	}
	return t
}

// MarketLanguage is the language a market most likely writes in (CLDR's likely
// subtags: "BR" → "pt"), "" for an unknown market.
func MarketLanguage(country string) string {
	return marketTablesOnce().languages[strings.ToUpper(country)]
}

// CurrencyLanguages lists the likely languages of the markets that pay in a
// currency ("EUR" → de, es, fr, ...; "BRL" → pt).
func CurrencyLanguages(code string) []string { return marketTablesOnce().curLangs[code] }

// MilIsThousand reports whether "mil" after a number is a thousand in language
// (Spanish and Portuguese), not the English shorthand for a million.
func MilIsThousand(language string) bool { return marketTablesOnce().milThousand[language] }

// LetterPrefixes lists the currencies written as letters that start with the token
// first ("r", "s"), longest first.
func LetterPrefixes(first string) []LetterPrefix { return marketTablesOnce().prefixes[first] }
