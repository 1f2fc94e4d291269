package audience

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/datafile"
)

// The words the scan reads around the lexicon's phrases — cues, fillers, the words
// that show a phrase is a place or a language, the words of age ranges — live in
// data/audience_words.json and data/audience_ages.json, each section saying what its
// words do; the Go code holds only the grammar that places them.

// scanWords is data/audience_words.json and data/audience_ages.json made into
// look-up tables.
type scanWords struct {
	cues          []cueGroup
	abbreviations map[string]bool
	// connectors are the list joins and the articles: what may sit between two items
	// of a list. Only a join joins them.
	connectors, listJoins      map[string]bool
	headingWords               map[string]bool
	placeBefore, placeArticles map[string]bool
	placeAfter                 map[string]bool
	languageBefore             map[string]bool
	languageAfter, marketAfter map[string]bool
	currencySigns              map[string]bool
	fillers, verbs, swapWords  map[string]bool
	answers, addingOpeners     map[string]bool
	// codesBeforeNumbers are codes that name no place right before a number ("KW 10").
	codesBeforeNumbers map[string]bool
	// foreignCues maps a cue word to the languages in which it is another word.
	foreignCues       map[string][]string
	replacingSuffixes []string
	ages              *ageWords
	// typoMinLetters and notTypos say which words may be read as a misspelt country
	// or gender word ("germnay"); see the typos section of audience_words.json.
	typoMinLetters int
	notTypos       []string
}

// cueGroup is cue phrases that do one thing to the phrases around them.
type cueGroup struct {
	cue   audienceCue
	words []string
}

// ageWords are the words of age ranges written with numbers.
type ageWords struct {
	// lead maps the first word of a range opener, floor, ceiling, decade opener or
	// decade part to what it starts.
	lead map[string]ageLead
	// leadShape has bit n of entry b set when a lead word of length n starts with
	// byte b.
	leadShape [256]uint64
	// after holds the sections of words that may follow a number, so that one look-up
	// reads them all.
	after    map[string]afterKind
	ageWords map[string]bool
	// ageNouns are the words after a range that belong to it ("year olds").
	ageNouns     map[string]bool
	plusNext     map[string]bool
	openEnds     map[string]bool
	parts        map[string]decadePart
	decades      map[string]int
	beforeNotAge map[string]bool
	// demos maps the letter of a buying demo ("w" of "W35+") to the gender it
	// restricts to, "" for every gender.
	demos map[string]string
}

// afterKind marks the sections of audience_ages.json a word after a number belongs to.
type afterKind uint8

const (
	afterRangeJoin   afterKind = 1 << iota // range_joins: "18 to 24"
	afterPlusSign                          // plus_signs: "45+"
	afterAlternative                       // alternatives: "35 and over"
	afterPlusWord                          // plus_words: "35 plus women"
	afterSomethings                        // somethings: "20-somethings"
	afterNotAge                            // after_not_age: "30 days"
)

// ageLeadKind is what a word before a number starts.
type ageLeadKind uint8

const (
	leadRange    ageLeadKind = iota + 1 // "from 25 to 34"
	leadRangeAnd                        // "between 25 and 34": only "and" joins
	leadFloor                           // "over 35"
	leadCeiling                         // "under 30"
	leadDecades                         // "their 20s"
	leadPart                            // "late 20s"
)

type ageLead struct {
	kind ageLeadKind
	then string // the word that must follow ("older than"), or ""
}

// decadePart is the part of a decade a word names ("early 20s").
type decadePart uint8

const (
	partNone decadePart = iota
	partEarly
	partMid
	partLate
)

var partNames = map[string]decadePart{"early": partEarly, "mid": partMid, "late": partLate}

var modeNames = map[string]audienceMode{
	"add": modeAdd, "remove": modeRemove, "replace": modeReplace,
	"replace_soft": modeReplaceSoft, "swap_out": modeSwapOut, "correct": modeCorrect,
}

// defaultWords loads the embedded words on first use. They are compiled into the
// binary and checked by the tests, so a failure is a build defect, not an input
// problem.
var defaultWords = sync.OnceValue(func() *scanWords {
	w, err := loadWords(dataFS.ReadFile)
	if err != nil {
		panic(err)
	}
	return w
})

type wordList struct {
	Comment string   `json:"_comment"`
	Words   []string `json:"words"`
}

type scanWordsFile struct {
	Comment []string `json:"_comment"`
	Cues    struct {
		Comment string `json:"_comment"`
		Groups  []struct {
			Mode      string   `json:"mode"`
			Leading   bool     `json:"leading"`
			Trailing  bool     `json:"trailing"`
			InsteadOf bool     `json:"instead_of"`
			Words     []string `json:"words"`
		} `json:"groups"`
	} `json:"cues"`
	Abbreviations        wordList `json:"abbreviations"`
	ListJoins            wordList `json:"list_joins"`
	ListArticles         wordList `json:"list_articles"`
	HeadingWords         wordList `json:"heading_words"`
	PlaceWordsBefore     wordList `json:"place_words_before"`
	PlaceArticles        wordList `json:"place_articles"`
	PlaceWordsAfter      wordList `json:"place_words_after"`
	LanguageWordsBefore  wordList `json:"language_words_before"`
	LanguageWordsAfter   wordList `json:"language_words_after"`
	MarketWordsAfter     wordList `json:"market_words_after"`
	CurrencySigns        wordList `json:"currency_signs"`
	Fillers              wordList `json:"fillers"`
	Verbs                wordList `json:"verbs"`
	SwapWords            wordList `json:"swap_words"`
	Answers              wordList `json:"answers"`
	AddingOpeners        wordList `json:"adding_openers"`
	ReplacingSuffixes    wordList `json:"replacing_suffixes"`
	CodesBeforeNumbers   wordList `json:"codes_before_numbers"`
	CuesInOtherLanguages struct {
		Comment string              `json:"_comment"`
		Words   map[string][]string `json:"words"`
	} `json:"cues_in_other_languages"`
	Typos struct {
		Comment    string   `json:"_comment"`
		MinLetters int      `json:"min_letters"`
		NotTypos   []string `json:"not_typos"`
	} `json:"typos"`
}

type ageWordsFile struct {
	Comment         []string `json:"_comment"`
	RangeOpeners    wordList `json:"range_openers"`
	RangeOpenersAnd wordList `json:"range_openers_and"`
	RangeJoins      wordList `json:"range_joins"`
	Floors          wordList `json:"floors"`
	Ceilings        wordList `json:"ceilings"`
	AgeWords        wordList `json:"age_words"`
	AgeNouns        wordList `json:"age_nouns"`
	PlusSigns       wordList `json:"plus_signs"`
	PlusWords       wordList `json:"plus_words"`
	PlusNext        wordList `json:"plus_next"`
	Alternatives    wordList `json:"alternatives"`
	OpenEnds        wordList `json:"open_ends"`
	Somethings      wordList `json:"somethings"`
	DecadeOpeners   wordList `json:"decade_openers"`
	DecadeParts     struct {
		Comment string              `json:"_comment"`
		Parts   map[string][]string `json:"parts"`
	} `json:"decade_parts"`
	Decades struct {
		Comment string         `json:"_comment"`
		Decades map[string]int `json:"decades"`
	} `json:"decades"`
	BuyingDemos struct {
		Comment string            `json:"_comment"`
		Demos   map[string]string `json:"demos"`
	} `json:"buying_demos"`
	NotAgeBeside wordList `json:"not_age_beside"`
	BeforeNotAge wordList `json:"before_not_age"`
	AfterNotAge  wordList `json:"after_not_age"`
}

// loadWords reads audience_words.json and audience_ages.json through read. Every
// section is required, with a _comment; a word looked up as one token must be one
// token as the tokenizer writes it, or it could never match.
func loadWords(read func(name string) ([]byte, error)) (*scanWords, error) {
	var f scanWordsFile
	var a ageWordsFile
	for _, file := range []struct {
		name string
		into any
	}{{"data/audience_words.json", &f}, {"data/audience_ages.json", &a}} {
		data, err := read(file.name)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", file.name, err)
		}
		if err := datafile.Decode(data, file.into); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", file.name, err)
		}
	}
	l := &wordLoader{file: "audience_words.json"}
	w := l.scanWords(&f)
	l.file = "audience_ages.json"
	w.ages = l.ageWords(&a)
	if l.err != nil {
		return nil, l.err
	}
	return w, nil
}

func (l *wordLoader) scanWords(f *scanWordsFile) *scanWords {
	w := &scanWords{
		abbreviations:      l.set("abbreviations", f.Abbreviations),
		listJoins:          l.set("list_joins", f.ListJoins),
		headingWords:       l.set("heading_words", f.HeadingWords),
		placeBefore:        l.set("place_words_before", f.PlaceWordsBefore),
		placeArticles:      l.set("place_articles", f.PlaceArticles),
		placeAfter:         l.set("place_words_after", f.PlaceWordsAfter),
		languageBefore:     l.set("language_words_before", f.LanguageWordsBefore),
		languageAfter:      l.set("language_words_after", f.LanguageWordsAfter),
		marketAfter:        l.set("market_words_after", f.MarketWordsAfter),
		currencySigns:      l.set("currency_signs", f.CurrencySigns),
		fillers:            l.set("fillers", f.Fillers),
		verbs:              l.set("verbs", f.Verbs),
		swapWords:          l.set("swap_words", f.SwapWords),
		answers:            l.set("answers", f.Answers),
		addingOpeners:      l.set("adding_openers", f.AddingOpeners),
		codesBeforeNumbers: l.set("codes_before_numbers", f.CodesBeforeNumbers),
	}
	ty := f.Typos
	l.comment("typos", ty.Comment)
	if ty.MinLetters < 3 {
		l.fail(fmt.Sprintf("typos: min_letters %d is under 3", ty.MinLetters))
	}
	w.typoMinLetters = ty.MinLetters
	for k := range l.set("typos.not_typos", wordList{ty.Comment, ty.NotTypos}) {
		w.notTypos = append(w.notTypos, k)
	}
	w.connectors = map[string]bool{}
	for k := range w.listJoins {
		w.connectors[k] = true
	}
	for k := range l.set("list_articles", f.ListArticles) {
		if w.listJoins[k] {
			l.fail(fmt.Sprintf("list_articles: %q is also a list join", k))
		}
		w.connectors[k] = true
	}
	for s := range l.set("replacing_suffixes", f.ReplacingSuffixes) {
		w.replacingSuffixes = append(w.replacingSuffixes, s)
	}
	l.comment("cues_in_other_languages", f.CuesInOtherLanguages.Comment)
	w.foreignCues = f.CuesInOtherLanguages.Words
	for word := range w.foreignCues {
		l.set("cues_in_other_languages", wordList{f.CuesInOtherLanguages.Comment, []string{word}})
	}
	l.comment("cues", f.Cues.Comment)
	for i, g := range f.Cues.Groups {
		mode, ok := modeNames[g.Mode]
		if !ok {
			l.fail(fmt.Sprintf("cues: group %d has unknown mode %q", i, g.Mode))
		}
		if !g.Leading && !g.Trailing && mode != modeCorrect {
			l.fail(fmt.Sprintf("cues: group %d neither leads nor trails", i))
		}
		l.phrases(fmt.Sprintf("cues group %d", i), wordList{f.Cues.Comment, g.Words})
		w.cues = append(w.cues, cueGroup{cue: audienceCue{mode: mode, leading: g.Leading, trailing: g.Trailing, insteadOf: g.InsteadOf}, words: g.Words})
	}
	if len(f.Cues.Groups) == 0 {
		l.fail("section cues has no groups")
	}
	return w
}

func (l *wordLoader) ageWords(f *ageWordsFile) *ageWords {
	a := &ageWords{
		lead:     map[string]ageLead{},
		ageWords: l.set("age_words", f.AgeWords),
		ageNouns: l.set("age_nouns", f.AgeNouns),
		plusNext: l.set("plus_next", f.PlusNext),
		openEnds: l.set("open_ends", f.OpenEnds),
		parts:    map[string]decadePart{},
		decades:  map[string]int{},
	}
	a.after = map[string]afterKind{}
	for _, s := range []struct {
		name string
		list wordList
		kind afterKind
	}{
		{"range_joins", f.RangeJoins, afterRangeJoin}, {"plus_signs", f.PlusSigns, afterPlusSign},
		{"alternatives", f.Alternatives, afterAlternative}, {"plus_words", f.PlusWords, afterPlusWord},
		{"somethings", f.Somethings, afterSomethings}, {"after_not_age", f.AfterNotAge, afterNotAge},
		{"not_age_beside", f.NotAgeBeside, afterNotAge},
	} {
		for w := range l.set(s.name, s.list) {
			a.after[w] |= s.kind
		}
	}
	a.beforeNotAge = l.set("before_not_age", f.BeforeNotAge)
	for w := range l.set("not_age_beside", f.NotAgeBeside) {
		a.beforeNotAge[w] = true
	}
	l.leads(a, "range_openers", f.RangeOpeners, leadRange)
	l.leads(a, "range_openers_and", f.RangeOpenersAnd, leadRangeAnd)
	l.leads(a, "floors", f.Floors, leadFloor)
	l.leads(a, "ceilings", f.Ceilings, leadCeiling)
	l.leads(a, "decade_openers", f.DecadeOpeners, leadDecades)
	dp := f.DecadeParts
	l.comment("decade_parts", dp.Comment)
	for name, words := range dp.Parts {
		part, ok := partNames[name]
		if !ok {
			l.fail(fmt.Sprintf("decade_parts: unknown part %q", name))
		}
		for w := range l.set("decade_parts."+name, wordList{dp.Comment, words}) {
			a.parts[w] = part
		}
		l.leads(a, "decade_parts."+name, wordList{dp.Comment, words}, leadPart)
	}
	if len(a.parts) == 0 {
		l.fail("section decade_parts has no parts")
	}
	l.comment("decades", f.Decades.Comment)
	for w, d := range f.Decades.Decades {
		l.set("decades", wordList{f.Decades.Comment, []string{w}})
		if d < 10 || d > 90 || d%10 != 0 {
			l.fail(fmt.Sprintf("decades: %q is %d, not a decade from 10 to 90", w, d))
		}
		a.decades[w] = d
	}
	if len(a.decades) == 0 {
		l.fail("section decades has no decades")
	}
	l.comment("buying_demos", f.BuyingDemos.Comment)
	a.demos = map[string]string{}
	for letter, g := range f.BuyingDemos.Demos {
		if len(letter) != 1 || !asciiLetter(letter[0]) || letter != strings.ToLower(letter) {
			l.fail(fmt.Sprintf("buying_demos: %q is not one lower-case letter", letter))
		}
		if g != "" && !slices.Contains(genders, g) {
			l.fail(fmt.Sprintf("buying_demos: %q restricts to unknown gender %q", letter, g))
		}
		a.demos[letter] = g
	}
	if len(a.demos) == 0 {
		l.fail("section buying_demos has no demos")
	}
	return a
}

// leads files a section's entries, of one or two words, as words that start kind.
func (l *wordLoader) leads(a *ageWords, section string, w wordList, kind ageLeadKind) {
	for _, p := range l.phrases(section, w) {
		if len(p) > 2 {
			l.fail(fmt.Sprintf("%s: %q has more than two words", section, strings.Join(p, " ")))
			continue
		}
		if _, ok := a.lead[p[0]]; ok {
			l.fail(fmt.Sprintf("%s: %q already starts an age", section, p[0]))
		}
		lead := ageLead{kind: kind}
		if len(p) == 2 {
			lead.then = p[1]
		}
		a.lead[p[0]] = lead
		a.leadShape[p[0][0]] |= 1 << min(len(p[0]), 63)
	}
}

// mayLead reports whether s could be a lead word. Most tokens are not, and a bit per
// first byte and length rules them out without hashing the token.
func (aw *ageWords) mayLead(s string) bool {
	return s != "" && aw.leadShape[s[0]]&(1<<min(len(s), 63)) != 0
}

// wordLoader checks sections as they are read and keeps the first problem.
type wordLoader struct {
	file string
	err  error
}

func (l *wordLoader) fail(msg string) {
	if l.err == nil {
		l.err = fmt.Errorf("loading %s: %s", l.file, msg)
	}
}

func (l *wordLoader) comment(section, comment string) {
	if strings.TrimSpace(comment) == "" {
		l.fail(fmt.Sprintf("section %s is missing or has no _comment", section))
	}
}

// phrases checks a section's entries, none twice and each giving tokens, and returns
// them split into tokens.
func (l *wordLoader) phrases(section string, w wordList) [][]string {
	l.comment(section, w.Comment)
	if len(w.Words) == 0 {
		l.fail(fmt.Sprintf("section %s has no words", section))
	}
	out := make([][]string, 0, len(w.Words))
	seen := map[string]bool{}
	for _, e := range w.Words {
		toks := tokenizeText(agents.Normalize(e), nil, nil)
		if len(toks) == 0 {
			l.fail(fmt.Sprintf("%s: %q has no words", section, e))
			continue
		}
		if seen[e] {
			l.fail(fmt.Sprintf("%s: %q is listed twice", section, e))
		}
		seen[e] = true
		words := make([]string, len(toks))
		for i, t := range toks {
			words[i] = t.s
		}
		out = append(out, words)
	}
	return out
}

// set reads a section of words each looked up as one token.
func (l *wordLoader) set(section string, w wordList) map[string]bool {
	l.phrases(section, w)
	out := make(map[string]bool, len(w.Words))
	for _, e := range w.Words {
		if toks := tokenizeText(agents.Normalize(e), nil, nil); len(toks) != 1 || toks[0].s != e {
			l.fail(fmt.Sprintf("%s: %q is not one token as the tokenizer writes it", section, e))
			continue
		}
		out[e] = true
	}
	return out
}
