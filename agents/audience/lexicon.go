package audience

import (
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/typo"
)

// The audience specialist reads a message as tokens and looks phrases up in a trie of
// tokens built once from the tables in data/audience_*.json and from the countries
// library: one map look-up per token instead of a regular expression per phrase.

//go:embed data/audience_*.json
var dataFS embed.FS

// audienceField is one list of an Audience; a follow-up adds to, removes from or
// replaces each field on its own.
type audienceField uint8

const (
	fieldNone audienceField = iota
	fieldAges
	fieldGenders
	fieldGeo
	fieldGenres
	fieldInterests
	fieldPlatforms
	fieldPlacements
	fieldLanguages
	fieldCount
)

var fieldNames = map[string]audienceField{
	"ages": fieldAges, "genders": fieldGenders, "geo": fieldGeo,
	"genres": fieldGenres, "interests": fieldInterests,
	"platforms": fieldPlatforms, "placements": fieldPlacements,
	"languages": fieldLanguages,
}

type factKind uint8

const (
	factCountry     factKind = iota + 1 // codes: a country or a group's countries
	factRegion                          // value: region; codes[0]: its country
	factCity                            // value: city; codes[0]: its country
	factNationality                     // nat: resolved from context into a country or a language
	factLanguage                        // value: ISO 639-1 code
	factBroad                           // value: an area too broad to be one market list
	factAge                             // age, soft
	factGeneration                      // born, value: the generation's name
	factGender
	factGenre
	factInterest
	factPlatform
	factPlacement
	factClear // field: a phrase that lifts a restriction ("all ages")
	factNull  // looks like an audience word but is not ("Mother's Day")
	factCue   // cue: add, remove or replace what follows or precedes
)

// fact is one thing a phrase says about the audience.
type fact struct {
	kind  factKind
	value string
	codes []string
	age   agents.AgeRange
	born  [2]int
	// soft marks a label's age range ("adults"), which a number beside it overrides.
	soft bool
	// implied facts ride along with the phrase's main fact ("moms" → parenting): a
	// follow-up adds them but never removes or resets a field because of them.
	implied bool
	// followUpOnly marks a fact that applies only on a follow-up (see demoFacts).
	followUpOnly bool
	// convention marks a life stage's ages that are a planning convention ("young
	// people" are 18-24): a note says so when they are the ones planned.
	convention bool
	field      audienceField
	nat        *nationality
	cue        audienceCue
}

type nationality struct {
	Country        string `json:"country"`
	Region         string `json:"region"`
	Language       string `json:"language"`
	PreferLanguage bool   `json:"prefer_language"`
}

// audienceMode is what a message does to a field.
type audienceMode uint8

const (
	modeNone    audienceMode = iota
	modeAdd                  // "add Austria", "men too"
	modeRemove               // "drop the UK", "not France"
	modeReplace              // "only Germany", "switch to France"
	// modeReplaceSoft replaces unless the same message removes something from
	// the field, when it substitutes: "drop the UK and do Ireland instead" adds IE.
	modeReplaceSoft
	// modeSwapOut removes, and makes "to/with/for X" after it an addition:
	// "swap the UK for Ireland", "switch from Germany to Austria".
	modeSwapOut
	// modeCorrect takes back what the message said before it: "18-24... wait, 25-34".
	modeCorrect
)

type audienceCue struct {
	mode      audienceMode
	leading   bool // applies to the phrases after it ("add Spain")
	trailing  bool // applies to the phrases before it ("Spain too")
	insteadOf bool // "X instead of Y": Y is removed, X substitutes
}

// audienceNeed says what a phrase that is also an ordinary word needs around it to count.
type audienceNeed uint8

const (
	needNone     audienceNeed = iota
	needPlace                 // a place word before it or a list of places ("in Jordan")
	needList                  // a list of places only (a code such as IT, IN, NO)
	needGenre                 // a music word or a list of genres ("country music")
	needInterest              // an interest word or a list of interests ("finance podcasts")
)

type audienceEntry struct {
	facts []fact
	need  audienceNeed
	// mode is the phrase's own cue ("music only" replaces), which no list overrides.
	mode audienceMode
}

type audienceNode struct {
	next  map[string]*audienceNode
	entry *audienceEntry
}

// lexicon holds every table, built once.
type lexicon struct {
	root audienceNode
	// codeEntries maps a lower-case ISO alpha-2 code (or special code: uk, la, nyc) to
	// its entry; codes are read from capitals in Message.Text only.
	codeEntries map[string]*audienceEntry
	// dottedEntries are the abbreviations read when written with dots ("U.S.", "L.A.").
	dottedEntries map[string]*audienceEntry
	// subdivisionCodes maps the lower-case code of a region within its country ("tx",
	// "vic") to the regions of that code, one per country.
	subdivisionCodes map[string][]fact
	cityCountry      map[string]string
	regionCountry    map[string]string
	capitalCount     int
	cityCount        int

	genreCuesAfter     map[string]bool
	genreCuesBefore    map[string]bool
	interestCuesAfter  map[string]bool
	interestCuesBefore map[string]bool

	// vocab is the same tables seen as names: the canonical genres and interests with
	// their aliases, and the languages, for checking what a model answers.
	vocab audienceVocab

	// words are the words the scan reads around the phrases.
	words *scanWords
	// regionNotes are notes on how a region was read ("Georgia" is the US state).
	regionNotes map[string]string
	// typoNames maps each one-word country or gender word a misspelling may be read
	// as to the name a note gives it ("germany": "Germany"); typos indexes them.
	typoNames map[string]string
	typos     *typo.Index
}

// audienceLex returns the lexicon, building it on first use. A broken words file
// panics (see defaultWords) on this and every later call.
var audienceLex = sync.OnceValues(buildLexicon)

func buildLexicon() (*lexicon, error) {
	f, err := readLexiconFiles()
	if err != nil {
		return nil, err
	}
	lex := &lexicon{
		codeEntries:      map[string]*audienceEntry{},
		dottedEntries:    map[string]*audienceEntry{},
		subdivisionCodes: map[string][]fact{},
		cityCountry:      map[string]string{},
		regionCountry:    map[string]string{},
		words:            defaultWords(),
		typoNames:        map[string]string{},
	}
	// The first table to claim a phrase keeps it, so the order below is the priority:
	// phrases that are not audiences, then people, then places (cities before
	// countries before regions), then nationalities, genres, interests and cues.
	nullEntry := &audienceEntry{facts: []fact{{kind: factNull}}}
	for _, p := range f.people.People {
		if p.Null {
			lex.addAll(p.Aliases, nullEntry)
		}
	}
	lex.addAll(f.genres.NullPhrases, nullEntry)
	if err := lex.addPeople(f.people.People); err != nil {
		return nil, err
	}
	if err := lex.addGeo(&f.geo); err != nil {
		return nil, err
	}
	for name := range f.geo.RegionNotes {
		if _, ok := lex.regionCountry[name]; !ok {
			return nil, fmt.Errorf("reading audience region notes: unknown region %q", name)
		}
	}
	lex.regionNotes = f.geo.RegionNotes
	lex.vocab.add(f.genres, f.interests, f.nats)
	lex.addNationalities(f.nats.Nationalities, f.geo.CueRequired)
	lex.addGenres(&f.genres)
	lex.addInterests(&f.interests)
	lex.addCues()
	keys := slices.Sorted(maps.Keys(lex.typoNames))
	meanings := make([]string, len(keys))
	for i, k := range keys {
		meanings[i] = lex.typoNames[k]
	}
	lex.typos = typo.New(keys, meanings, lex.words.notTypos, lex.words.typoMinLetters)
	return lex, nil
}

// addTypoTarget lets a misspelling of the one-word key be read as it, with name in
// the note that says so. A key that needs a place word before it is no target.
func (lex *lexicon) addTypoTarget(key, name string, need audienceNeed) {
	k := audienceKey(key)
	if need != 0 || strings.Contains(k, " ") {
		return
	}
	if _, ok := lex.typoNames[k]; !ok {
		lex.typoNames[k] = name
	}
}

// lexiconFiles are the phrase tables as read from data/.
type lexiconFiles struct {
	people    peopleFile
	genres    genreFile
	interests interestFile
	nats      nationalityFile
	geo       geoFile
}

func readLexiconFiles() (*lexiconFiles, error) {
	f := &lexiconFiles{}
	for _, file := range []struct {
		name string
		into any
	}{
		{"data/audience_people.json", &f.people},
		{"data/audience_genres.json", &f.genres},
		{"data/audience_interests.json", &f.interests},
		{"data/audience_nationalities.json", &f.nats},
		{"data/audience_geo.json", &f.geo},
	} {
		b, err := dataFS.ReadFile(file.name)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", file.name, err)
		}
		if err := json.Unmarshal(b, file.into); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", file.name, err)
		}
	}
	if len(f.genres.Suffixes) == 0 || len(f.interests.PodcastSuffixes) == 0 {
		return nil, fmt.Errorf("reading audience genres and interests: no suffixes or podcast_suffixes")
	}
	return f, nil
}

func (lex *lexicon) addAll(keys []string, e *audienceEntry) {
	for _, k := range keys {
		lex.add(k, e)
	}
}

// add files e under the tokens of key, and under its spelling without diacritics;
// a phrase already claimed keeps its first entry.
func (lex *lexicon) add(key string, e *audienceEntry) {
	toks := tokenize(agents.Normalize(key), nil)
	if len(toks) == 0 {
		return
	}
	lex.addTokens(toks, e)
	folded := false
	for i := range toks {
		if f := fold(toks[i].s); f != toks[i].s {
			toks[i].s = f
			folded = true
		}
	}
	if folded {
		lex.addTokens(toks, e)
	}
}

func (lex *lexicon) addTokens(toks []token, e *audienceEntry) {
	node := &lex.root
	for _, t := range toks {
		if node.next == nil {
			node.next = map[string]*audienceNode{}
		}
		child := node.next[t.s]
		if child == nil {
			child = &audienceNode{}
			node.next[t.s] = child
		}
		node = child
	}
	if node.entry == nil {
		node.entry = e
	}
}

// longest returns the entry of the longest phrase starting at toks[i] and where it
// ends. A phrase never runs across the end of a sentence.
func (lex *lexicon) longest(toks []token, i int) (*audienceEntry, int) {
	node := &lex.root
	var best *audienceEntry
	end := i
	for j := i; j < len(toks); j++ {
		if j > i && toks[j].sep == sepClause {
			break
		}
		next := node.next[toks[j].s]
		if next == nil {
			break
		}
		node = next
		if node.entry != nil {
			best, end = node.entry, j+1
		}
	}
	return best, end
}

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		toks := tokenize(agents.Normalize(w), nil)
		parts := make([]string, len(toks))
		for i, t := range toks {
			parts[i] = t.s
		}
		m[strings.Join(parts, " ")] = true
	}
	return m
}
