package audience

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
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
	field   audienceField
	nat     *nationality
	cue     audienceCue
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
	cityCountry   map[string]string
	regionCountry map[string]string
	capitalCount  int
	cityCount     int

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
}

// audienceVocab lists the canonical names the audience tables know.
type audienceVocab struct {
	genres, interests []string
	aliases           map[string]string // "genre:hip hop" → "hip-hop"
	languages         map[string]bool
}

// canonical maps a name or alias of kind ("genre", "interest") to the tables' own name.
func (v *audienceVocab) canonical(kind, s string) (string, bool) {
	name, ok := v.aliases[kind+":"+strings.ToLower(strings.TrimSpace(s))]
	return name, ok
}

func (v *audienceVocab) add(genres genreFile, interests interestFile, nats nationalityFile) {
	v.aliases, v.languages = map[string]string{}, map[string]bool{"en": true}
	for _, g := range genres.Genres {
		v.genres = append(v.genres, g.Name)
		for _, a := range append(append([]string{g.Name}, g.Aliases...), g.CueAliases...) {
			v.aliases["genre:"+strings.ToLower(a)] = g.Name
		}
	}
	for _, it := range interests.Interests {
		v.interests = append(v.interests, it.Name)
		for _, a := range append(append([]string{it.Name}, it.Aliases...), it.CueAliases...) {
			v.aliases["interest:"+strings.ToLower(a)] = it.Name
		}
	}
	for _, n := range nats.Nationalities {
		if n.Language != "" {
			v.languages[n.Language] = true
		}
	}
}

var (
	lexOnce sync.Once
	lexVal  *lexicon
	lexErr  error
)

// audienceLex returns the lexicon, building it on first use.
func audienceLex() (*lexicon, error) {
	lexOnce.Do(func() {
		lexVal, lexErr = buildLexicon()
	})
	return lexVal, lexErr
}

func buildLexicon() (*lexicon, error) {
	lex := &lexicon{
		codeEntries:   map[string]*audienceEntry{},
		dottedEntries: map[string]*audienceEntry{},
		cityCountry:   map[string]string{},
		regionCountry: map[string]string{},
		words:         defaultWords(),
	}
	var people peopleFile
	var genres genreFile
	var interests interestFile
	var nats nationalityFile
	var geo geoFile
	for _, f := range []struct {
		name string
		into any
	}{
		{"data/audience_people.json", &people},
		{"data/audience_genres.json", &genres},
		{"data/audience_interests.json", &interests},
		{"data/audience_nationalities.json", &nats},
		{"data/audience_geo.json", &geo},
	} {
		b, err := dataFS.ReadFile(f.name)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.name, err)
		}
		if err := json.Unmarshal(b, f.into); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", f.name, err)
		}
	}
	// The first table to claim a phrase keeps it, so the order below is the priority:
	// phrases that are not audiences, then people, then places (cities before
	// countries before regions), then nationalities, genres, interests and cues.
	nullEntry := &audienceEntry{facts: []fact{{kind: factNull}}}
	for _, p := range people.People {
		if p.Null {
			lex.addAll(p.Aliases, nullEntry)
		}
	}
	lex.addAll(genres.NullPhrases, nullEntry)
	if err := lex.addPeople(people.People); err != nil {
		return nil, err
	}
	if err := lex.addGeo(&geo); err != nil {
		return nil, err
	}
	for name := range geo.RegionNotes {
		if _, ok := lex.regionCountry[name]; !ok {
			return nil, fmt.Errorf("reading audience region notes: unknown region %q", name)
		}
	}
	lex.regionNotes = geo.RegionNotes
	lex.vocab.add(genres, interests, nats)
	lex.addNationalities(nats.Nationalities, geo.CueRequired)
	if len(genres.Suffixes) == 0 || len(interests.PodcastSuffixes) == 0 {
		return nil, fmt.Errorf("reading audience genres and interests: no suffixes or podcast_suffixes")
	}
	lex.addGenres(&genres)
	lex.addInterests(&interests)
	lex.addCues()
	return lex, nil
}

type peopleFile struct {
	People []person `json:"people"`
}

// person is one row of audience_people.json: the phrases and what they say.
type person struct {
	Aliases    []string `json:"aliases"`
	Gender     string   `json:"gender"`
	Interest   string   `json:"interest"`
	Age        []int    `json:"age"`
	Soft       bool     `json:"soft"`
	Born       []int    `json:"born"`
	Generation string   `json:"generation"`
	Clear      string   `json:"clear"`
	Platforms  []string `json:"platforms"`
	Placements []string `json:"placements"`
	Null       bool     `json:"null"`
}

type genreFile struct {
	Genres []struct {
		Name       string   `json:"name"`
		Aliases    []string `json:"aliases"`
		CueAliases []string `json:"cue_aliases"`
	} `json:"genres"`
	CuesAfter   []string `json:"cues_after"`
	CuesBefore  []string `json:"cues_before"`
	NullPhrases []string `json:"null_phrases"`
	Suffixes    []string `json:"suffixes"`
}

type interestFile struct {
	Interests []struct {
		Name       string   `json:"name"`
		Aliases    []string `json:"aliases"`
		CueAliases []string `json:"cue_aliases"`
		Podcast    bool     `json:"podcast"`
	} `json:"interests"`
	CuesAfter       []string `json:"cues_after"`
	CuesBefore      []string `json:"cues_before"`
	PodcastSuffixes []string `json:"podcast_suffixes"`
}

type nationalityFile struct {
	Nationalities map[string]*nationality `json:"nationalities"`
}

func (lex *lexicon) addPeople(people []person) error {
	for _, p := range people {
		if p.Null {
			continue
		}
		var facts []fact
		switch {
		case p.Gender != "":
			facts = append(facts, fact{kind: factGender, value: p.Gender})
		case len(p.Age) == 2:
			facts = append(facts, fact{kind: factAge, age: agents.AgeRange{Min: p.Age[0], Max: p.Age[1]}, soft: p.Soft})
		case len(p.Born) == 2:
			facts = append(facts, fact{kind: factGeneration, born: [2]int{p.Born[0], p.Born[1]}, value: p.Generation})
		case p.Clear != "":
			field, ok := fieldNames[p.Clear]
			if !ok {
				return fmt.Errorf("reading audience people: unknown field %q", p.Clear)
			}
			facts = append(facts, fact{kind: factClear, field: field})
		}
		for _, pl := range p.Platforms {
			facts = append(facts, fact{kind: factPlatform, value: pl})
		}
		for _, pl := range p.Placements {
			facts = append(facts, fact{kind: factPlacement, value: pl})
		}
		if p.Interest != "" {
			facts = append(facts, fact{kind: factInterest, value: p.Interest, implied: len(facts) > 0})
		}
		if len(facts) == 0 {
			return fmt.Errorf("reading audience people: %v says nothing", p.Aliases)
		}
		e := &audienceEntry{facts: facts}
		only := &audienceEntry{facts: facts, mode: modeReplace}
		for _, a := range p.Aliases {
			if lex.replaces(a) {
				lex.add(a, only)
			} else {
				lex.add(a, e)
			}
		}
	}
	return nil
}

// replaces reports whether a people phrase ends in a replacing suffix ("music only",
// "mobile-only").
func (lex *lexicon) replaces(alias string) bool {
	for _, s := range lex.words.replacingSuffixes {
		if strings.HasSuffix(alias, " "+s) || strings.HasSuffix(alias, "-"+s) {
			return true
		}
	}
	return false
}

func (lex *lexicon) addNationalities(nats map[string]*nationality, cueRequired []string) {
	needs := set(cueRequired)
	for word, nat := range nats {
		e := &audienceEntry{facts: []fact{{kind: factNationality, nat: nat}}}
		if needs[word] {
			e.need = needPlace
		}
		lex.add(word, e)
	}
}

func (lex *lexicon) addGenres(f *genreFile) {
	for _, g := range f.Genres {
		free := &audienceEntry{facts: []fact{{kind: factGenre, value: g.Name}}}
		cued := &audienceEntry{facts: free.facts, need: needGenre}
		for _, a := range g.Aliases {
			lex.add(a, free)
			for _, s := range f.Suffixes {
				lex.add(a+" "+s, free)
			}
		}
		for _, a := range g.CueAliases {
			lex.add(a, cued)
			for _, s := range f.Suffixes {
				lex.add(a+" "+s, free)
			}
		}
	}
	lex.genreCuesAfter = set(f.CuesAfter)
	lex.genreCuesBefore = set(f.CuesBefore)
}

func (lex *lexicon) addInterests(f *interestFile) {
	for _, it := range f.Interests {
		facts := []fact{{kind: factInterest, value: it.Name}}
		podcastFacts := []fact{facts[0], {kind: factPlacement, value: agents.PlacementPodcast, implied: true}}
		if it.Podcast {
			facts = podcastFacts
		}
		free := &audienceEntry{facts: facts}
		cued := &audienceEntry{facts: facts, need: needInterest}
		onPodcasts := &audienceEntry{facts: podcastFacts}
		for _, a := range it.Aliases {
			lex.add(a, free)
		}
		for _, a := range it.CueAliases {
			lex.add(a, cued)
		}
		for _, a := range append(append([]string(nil), it.Aliases...), it.CueAliases...) {
			for _, s := range f.PodcastSuffixes {
				lex.add(a+" "+s, onPodcasts)
			}
		}
	}
	lex.interestCuesAfter = set(f.CuesAfter)
	lex.interestCuesBefore = set(f.CuesBefore)
}

func (lex *lexicon) addCues() {
	for _, c := range lex.words.cues {
		e := &audienceEntry{facts: []fact{{kind: factCue, cue: c.cue}}}
		lex.addAll(c.words, e)
	}
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

// Separators between tokens, weakest first: what lies between two tokens is recorded as
// the strongest separator seen.
const (
	sepNone   byte = 0 // adjacent: "45+", "US$"
	sepSpace  byte = 1
	sepDash   byte = 2 // "18-24", "hip-hop"
	sepSlash  byte = 3
	sepComma  byte = 4
	sepClause byte = 5 // . ! ? ; : — phrases and lists stop here
)

// token is a word, a number or one of the symbols & + % $ € £ ¥ ₹.
type token struct {
	s   string
	sep byte // separator before the token
	// upper marks a word of two or more letters written all in capitals (in Text).
	upper bool
	// title marks a word written with a capital and then lower case ("Hilton").
	title bool
	// dotted marks an abbreviation written with dots ("U.S." is "us").
	dotted bool
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isSymbol(r rune) bool {
	switch r {
	case '&', '+', '%', '$', '€', '£', '¥', '₹':
		return true
	}
	return false
}

// tokenize splits s into tokens, appending to dst. Numbers keep their inner
// dots and commas ("5.000", "1,500"); letters joined by dots become one dotted token
// ("u.s.a." is "usa").
func tokenize(s string, dst []token) []token {
	return tokenizeText(s, dst, defaultWords().abbreviations)
}

// tokenizeText is tokenize with the abbreviations given: the words file is checked
// with the tokenizer before its abbreviations are known.
func tokenizeText(s string, dst []token, abbreviations map[string]bool) []token {
	sep := sepClause
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWordRune(r):
			start := i
			j := i + size
			digits := r >= '0' && r <= '9'
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					if r2 < '0' || r2 > '9' {
						digits = false
					}
					j += sz
					continue
				}
				if digits && (r2 == '.' || r2 == ',') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j++
					continue
				}
				break
			}
			tok := token{s: s[start:j], sep: sep}
			// "u.s.", "l.a.", "u.s.a.": single letters joined by dots.
			if j-start == 1 && asciiLetter(s[start]) && dottedNext(s, j) {
				var b strings.Builder
				b.WriteByte(s[start])
				for dottedNext(s, j) {
					b.WriteByte(s[j+1])
					j += 2
				}
				if j < len(s) && s[j] == '.' {
					j++
				}
				tok.s, tok.dotted = b.String(), true
			}
			dst = append(dst, tok)
			sep = sepNone
			i = j
		case isSymbol(r):
			dst = append(dst, token{s: s[i : i+size], sep: sep})
			sep = sepNone
			i += size
		default:
			var k byte
			switch r {
			case '.':
				k = sepClause
				if n := len(dst); n > 0 && sep == sepNone && abbreviations[dst[n-1].s] {
					k = sepSpace // "St. Louis", "Mt. Vernon"
				}
			case '!', '?', ';', ':', '\n':
				k = sepClause
			case ',', '(', ')', '[', ']':
				k = sepComma
			case '/', '|':
				k = sepSlash
			case '-', '–', '—':
				k = sepDash
			default:
				k = sepSpace
			}
			if k > sep {
				sep = k
			}
			i += size
		}
	}
	return dst
}

func asciiLetter(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// dottedNext reports whether s[j:] goes on ".x" with x a single letter.
func dottedNext(s string, j int) bool {
	if j+1 >= len(s) || s[j] != '.' || !asciiLetter(s[j+1]) {
		return false
	}
	if j+2 < len(s) {
		r, _ := utf8.DecodeRuneInString(s[j+2:])
		if isWordRune(r) {
			return false
		}
	}
	return true
}

// fold drops diacritics from a lower-case word ("münchen" → "munchen").
func fold(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
			b.WriteByte('a')
		case 'æ':
			b.WriteString("ae")
		case 'ç', 'ć', 'č':
			b.WriteByte('c')
		case 'ď', 'đ', 'ð':
			b.WriteByte('d')
		case 'è', 'é', 'ê', 'ë', 'ē', 'ę', 'ě':
			b.WriteByte('e')
		case 'ğ':
			b.WriteByte('g')
		case 'ì', 'í', 'î', 'ï', 'ı', 'ī':
			b.WriteByte('i')
		case 'ł':
			b.WriteByte('l')
		case 'ñ', 'ń', 'ň':
			b.WriteByte('n')
		case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ő', 'ō':
			b.WriteByte('o')
		case 'ř':
			b.WriteByte('r')
		case 'ś', 'š', 'ș', 'ş':
			b.WriteByte('s')
		case 'ß':
			b.WriteString("ss")
		case 'ț', 'ţ', 'ť':
			b.WriteByte('t')
		case 'þ':
			b.WriteString("th")
		case 'ù', 'ú', 'û', 'ü', 'ů', 'ű', 'ū':
			b.WriteByte('u')
		case 'ý', 'ÿ':
			b.WriteByte('y')
		case 'ź', 'ż', 'ž':
			b.WriteByte('z')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Vocabulary is what the audience tables know by name: genres, interests, languages,
// and the regions and cities they place in a country. A model's reading is checked
// against exactly this, so it cannot name what the rules would not.
type Vocabulary struct {
	vocab *audienceVocab
	lex   *lexicon
}

// Vocab returns the tables' vocabulary. The tables are embedded; if they were broken,
// the audience tests fail first, and Vocab knows English and nothing else.
func Vocab() Vocabulary {
	lex, err := audienceLex()
	if err != nil {
		return Vocabulary{vocab: &audienceVocab{aliases: map[string]string{}, languages: map[string]bool{"en": true}}}
	}
	return Vocabulary{vocab: &lex.vocab, lex: lex}
}

// Genres lists every genre by its canonical name.
func (v Vocabulary) Genres() []string { return v.vocab.genres }

// Interests lists every interest by its canonical name.
func (v Vocabulary) Interests() []string { return v.vocab.interests }

// Canonical maps a name or alias of kind ("genre", "interest") to the tables' own name.
func (v Vocabulary) Canonical(kind, name string) (string, bool) { return v.vocab.canonical(kind, name) }

// KnowsLanguage reports whether code is an ISO 639-1 language the tables know.
func (v Vocabulary) KnowsLanguage(code string) bool { return v.vocab.languages[code] }

// RegionCountry is the country (ISO 3166-1 alpha-2) of a region the tables know.
func (v Vocabulary) RegionCountry(name string) (string, bool) {
	if v.lex == nil {
		return "", false
	}
	c, ok := v.lex.regionCountry[name]
	return c, ok
}

// CityCountry is the country (ISO 3166-1 alpha-2) of a city the tables know.
func (v Vocabulary) CityCountry(name string) (string, bool) {
	if v.lex == nil {
		return "", false
	}
	c, ok := v.lex.cityCountry[name]
	return c, ok
}
