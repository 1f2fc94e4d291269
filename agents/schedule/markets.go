package schedule

import (
	"fmt"
	"strings"
	"sync"

	"github.com/adplan/adplan/agents/geo"
	"github.com/adplan/adplan/agents/internal/datafile"
)

// The market a brief names, as far as dates need it: whether it writes a numeric date
// month first, and whether its seasons are those of the southern hemisphere. The
// specialists run side by side, so the schedule cannot ask the audience which
// countries a message names; it asks agents/geo which market a word names, and only
// when a date needs it (an ambiguous 5/3, a season, a holiday whose day differs by
// market).

type marketsFile struct {
	Comment    string   `json:"_comment"`
	MonthFirst wordList `json:"month_first"`
	Either     wordList `json:"either"`
	Southern   wordList `json:"southern"`
}

// marketTable is data/markets.json with the names of agents/geo, split as messages
// are split: every name, stand-ins ("Scotland", "DACH") and demonyms ("a German
// campaign") among them.
type marketTable struct {
	names      *geo.Index
	monthFirst map[string]bool
	either     map[string]bool
	southern   map[string]bool
}

var markets = sync.OnceValue(func() *marketTable {
	var f marketsFile
	datafile.MustRead(dataFS, "data/markets.json", &f)
	return newMarketTable(&f)
})

func newMarketTable(f *marketsFile) *marketTable {
	t := &marketTable{
		names:      geo.NewIndex(phraseWords, nil),
		monthFirst: f.MonthFirst.set(), either: f.Either.set(), southern: f.Southern.set(),
	}
	for _, l := range []wordList{f.MonthFirst, f.Either, f.Southern} {
		for _, code := range l.Words {
			if !geo.IsCountry(code) {
				panic(fmt.Sprintf("schedule data: %q is no country code (%s)", code, l.Comment))
			}
		}
	}
	return t
}

// phraseWords is a name as the message's tokens spell it.
func phraseWords(name string) []string {
	var words []string
	for _, tok := range tokenize(strings.ToLower(name)) {
		words = append(words, tok.text)
	}
	return words
}

// marketsNamed lists the markets the message names, in order, each once: names
// ("Germany", "the UK", "Saudi Arabia", "Deutschland"), codes written in capitals
// ("DE campaign", "US (CA + TX)") and flags ("🇩🇪").
func (s *scheduleScanner) marketsNamed() []string {
	if s.marketsRead {
		return s.namedMarkets
	}
	s.marketsRead = true
	t := markets()
	seen := map[string]bool{}
	add := func(code string) {
		if !seen[code] {
			seen[code] = true
			s.namedMarkets = append(s.namedMarkets, code)
		}
	}
	for i := 0; i < len(s.tokens); i++ {
		if s.tokens[i].kind != scheduleWord {
			continue
		}
		// The longest name starting here.
		for _, m := range t.names.Starting(s.tokens[i].text) {
			if s.wordsAt(i, m.Words) {
				add(m.Country)
				i += len(m.Words) - 1
				break
			}
		}
	}
	for _, code := range geo.CapitalCodes(s.text) {
		add(code)
	}
	for _, code := range geo.FlagCodes(s.text) {
		add(code)
	}
	for _, code := range s.knownMarkets {
		add(code)
	}
	return s.namedMarkets
}

// wordsAt reports whether the tokens from i spell words.
func (s *scheduleScanner) wordsAt(i int, words []string) bool {
	if i+len(words) > len(s.tokens) {
		return false
	}
	for k, w := range words {
		if s.tokens[i+k].text != w {
			return false
		}
	}
	return true
}

// dateOrder says how the markets a message names write a numeric day and month:
// settled is false when they name none, or disagree.
func (s *scheduleScanner) dateOrder() (monthFirst, settled bool) {
	t := markets()
	var months, days bool
	for _, code := range s.marketsNamed() {
		switch {
		case t.either[code]:
			return false, false
		case t.monthFirst[code]:
			months = true
		default:
			days = true
		}
	}
	if months == days {
		return false, false
	}
	return months, true
}

// southern reports whether the markets a message names are all in the southern
// hemisphere, and whether it names any.
func (s *scheduleScanner) southern() (south, named bool) {
	t := markets()
	named = len(s.marketsNamed()) > 0
	for _, code := range s.marketsNamed() {
		if !t.southern[code] {
			return false, named
		}
	}
	return named, named
}
