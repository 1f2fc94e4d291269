// Package geo says which market a word names, for every reader of a brief: the
// audience reads the countries it targets, the budget the market whose currency a
// bare amount is in ("15000 in Brazil"), the schedule the market whose date order
// and seasons a date follows. The specialists run side by side, so none can wait for
// another's reading; each asks this package, which is cheap after its first use.
//
// The names are the English names of github.com/biter777/countries, the names CLDR
// gives the countries in the languages briefs are written in
// (golang.org/x/text/language/display), and what data/markets.json adds: aliases
// ("UK", "KSA", "the States", "Deutschland", "w Polsce"), stand-ins (a part or a
// group of markets: "Scotland", "DACH") and demonyms ("German"). ISO codes count only
// written in capitals ("DE campaign"), and flags ("🇩🇪") spell their code.
//
// The package imports nothing of adplan's but its data-file reader, so money,
// schedule and audience can all use it.
package geo

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/biter777/countries"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/adplan/adplan/agents/internal/datafile"
)

//go:embed data/*.json
var dataFS embed.FS

// Kind says where a name comes from, so that a reader takes only the names it can
// trust.
type Kind uint8

const (
	// Alias is a hand-typed name of a country ("uk", "the states", "deutschland").
	Alias Kind = iota
	// English is the country's English name ("germany", "south africa").
	English
	// Foreign is the country's name in another language, from CLDR ("alemania").
	Foreign
	// StandIn is a part or group of markets that stands for one market where only
	// its habits matter ("scotland" for GB, "dach" for DE).
	StandIn
	// Demonym is the adjective of a market ("german", "aussie").
	Demonym
)

// Name is one name of a market, in lower case as the data or the library writes it.
type Name struct {
	Text    string
	Country string // ISO 3166-1 alpha-2
	Kind    Kind
}

type marketsFile struct {
	Comment          []string            `json:"_comment"`
	DisplayLanguages []string            `json:"display_languages"`
	MinLetters       int                 `json:"min_letters"`
	AliasesNote      string              `json:"_aliases"`
	Aliases          map[string][]string `json:"aliases"`
	StandInsNote     string              `json:"_stand_ins"`
	StandIns         map[string]string   `json:"stand_ins"`
	DemonymsNote     string              `json:"_demonyms"`
	Demonyms         map[string][]string `json:"demonyms"`
	CodeStopNote     string              `json:"_code_stopwords"`
	CodeStopwords    []string            `json:"code_stopwords"`
}

type tables struct {
	names         []Name // each text once, in order of priority
	codes         map[string]bool
	codeStopwords map[string]bool
}

var load = sync.OnceValue(func() *tables {
	var f marketsFile
	datafile.MustRead(dataFS, "data/markets.json", &f)
	t, err := build(&f)
	if err != nil {
		panic("agents/geo: data/markets.json: " + err.Error())
	}
	return t
})

func build(f *marketsFile) (*tables, error) {
	t := &tables{codes: map[string]bool{}, codeStopwords: map[string]bool{}}
	all := countries.All()
	for _, c := range all {
		if a2 := c.Alpha2(); len(a2) == 2 {
			t.codes[a2] = true
		}
	}
	for _, w := range f.CodeStopwords {
		t.codeStopwords[w] = true
	}
	seen := map[string]bool{}
	add := func(text, code string, kind Kind) {
		text = strings.Join(strings.Fields(strings.ToLower(text)), " ")
		if !plainName(text) || seen[text] {
			return // a name claimed twice keeps its first country
		}
		if (kind == English || kind == Foreign) && letters(text) < f.MinLetters {
			return
		}
		seen[text] = true
		t.names = append(t.names, Name{Text: text, Country: code, Kind: kind})
	}
	checked := func(what, code string) error {
		if !t.codes[code] {
			return fmt.Errorf("%s names %q, not a country code", what, code)
		}
		return nil
	}
	for _, code := range sortedKeys(f.Aliases) {
		if err := checked("aliases", code); err != nil {
			return nil, err
		}
		for _, a := range f.Aliases[code] {
			add(a, code, Alias)
		}
	}
	var namers []display.Namer
	for _, l := range f.DisplayLanguages {
		tag, err := language.Parse(l)
		if err != nil {
			return nil, fmt.Errorf("display_languages: %q: %w", l, err)
		}
		namers = append(namers, display.Regions(tag))
	}
	for _, c := range all {
		a2 := c.Alpha2()
		add(c.String(), a2, English)
		region, err := language.ParseRegion(a2)
		if err != nil {
			continue
		}
		for i, n := range namers {
			kind := Foreign
			if f.DisplayLanguages[i] == "en" {
				kind = English
			}
			add(n.Name(region), a2, kind)
		}
	}
	for _, name := range sortedKeys(f.StandIns) {
		if err := checked("stand_ins "+name, f.StandIns[name]); err != nil {
			return nil, err
		}
		add(name, f.StandIns[name], StandIn)
	}
	for _, code := range sortedKeys(f.Demonyms) {
		if err := checked("demonyms", code); err != nil {
			return nil, err
		}
		for _, d := range f.Demonyms[code] {
			add(d, code, Demonym)
		}
	}
	return t, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// plainName reports whether a name is words of letters only, as a brief writes it
// (no "(Republic of)", no commas).
func plainName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '.' && r != '\'' && !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// Names lists every name of a market, each text once, in order of priority. The
// slice is shared: callers must not modify it.
func Names() []Name { return load().names }

// IsCountry reports whether code is an ISO 3166-1 alpha-2 code, in capitals.
func IsCountry(code string) bool { return load().codes[code] }

// Match is a name as a reader's tokenizer splits it.
type Match struct {
	Words   []string
	Country string
	Kind    Kind
}

// Index finds names among a reader's tokens: it files each name under its first
// word, as the reader's own tokenizer splits it.
type Index struct {
	byFirst map[string][]Match
}

// NewIndex indexes the names keep accepts (nil: all), split into words by split.
func NewIndex(split func(string) []string, keep func(Name) bool) *Index {
	x := &Index{byFirst: map[string][]Match{}}
	for _, n := range Names() {
		if keep != nil && !keep(n) {
			continue
		}
		ws := split(n.Text)
		if len(ws) == 0 {
			continue
		}
		x.byFirst[ws[0]] = append(x.byFirst[ws[0]], Match{Words: ws, Country: n.Country, Kind: n.Kind})
	}
	for k, ms := range x.byFirst {
		slices.SortStableFunc(ms, func(a, b Match) int {
			if len(a.Words) != len(b.Words) {
				return len(b.Words) - len(a.Words)
			}
			return strings.Compare(strings.Join(a.Words, " "), strings.Join(b.Words, " "))
		})
		x.byFirst[k] = ms
	}
	return x
}

// Starting lists the names whose first word is first, longest first.
func (x *Index) Starting(first string) []Match { return x.byFirst[first] }

// CapitalCodes finds two-letter country codes written in capitals and standing
// alone ("DE campaign", "US (CA + TX)"), "UK" as GB, leaving out the capitalised
// words that are seldom a code ("IT", "OR", "TV").
func CapitalCodes(text string) []string {
	t := load()
	var out []string
	for i := 0; i+1 < len(text); i++ {
		a, b := text[i], text[i+1]
		if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' {
			continue
		}
		if i > 0 && isLetterBefore(text, i) || i+2 < len(text) && isLetterAt(text, i+2) {
			continue
		}
		code := text[i : i+2]
		if code == "UK" {
			code = "GB"
		}
		if t.codes[code] && !t.codeStopwords[code] {
			out = append(out, code)
		}
		i++
	}
	return out
}

func isLetterBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isLetterAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// FlagCodes finds flags: two regional indicator symbols spell a country's code.
func FlagCodes(text string) []string {
	t := load()
	var out []string
	var prev rune
	for _, r := range text {
		if r < 0x1F1E6 || r > 0x1F1FF {
			prev = 0
			continue
		}
		if prev == 0 {
			prev = r
			continue
		}
		code := string([]byte{byte('A' + prev - 0x1F1E6), byte('A' + r - 0x1F1E6)})
		if t.codes[code] {
			out = append(out, code)
		}
		prev = 0
	}
	return out
}
