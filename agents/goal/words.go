package goal

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/datafile"
)

// The goal grammar's words — negators, emphasis, format words, cues of caps,
// exclusions and restrictions — live in data/goal_words.json, each section saying
// what its words do; the Go code holds only the grammar that places them.

//go:embed data/goal_words.json
var wordsJSON []byte

// vocabulary is data/goal_words.json made into look-up tables.
type vocabulary struct {
	// objectiveNegators maps a negator to the word that must follow it, or "".
	objectiveNegators                 map[string]string
	clauseBreaks                      wordSet
	negationUndoneBy                  wordSet
	mainBefore, mainAfter, sideBefore wordSet
	sideAfter                         wordSet
	sideAfterPhrases                  phrases
	// corrections take back the objectives named before them ("no wait").
	corrections                      phrases
	podcastOwners, podcastNouns      wordSet
	notInPodcastName                 wordSet
	formats                          map[string]uint8
	notFormatAfter                   wordSet
	notFormatBefore                  map[uint8]wordSet
	formatNouns, capNouns, listJoins wordSet
	fractions                        []fraction
	fractionStarts                   wordSet
	percentSigns                     phrases
	floorBefore, floorAfter          phrases
	floorSecondBefore                wordSet
	more, less, comparativeNegators  wordSet
	changeBefore, changeAfter        wordSet
	capCues                          wordSet
	clauseCues                       map[string]cueKind
	tooMuch, gentle                  phrases
	mostlyCues, uncapBefore          wordSet
	excluders                        wordSet
	excluderPairs                    map[[2]string]bool
	excludeFillers, excludeAfter     wordSet
	notAfter, auxiliaries            wordSet
	onlyBefore                       wordSet
	onlyPairs                        map[[2]string]bool
	onlyUndoneBy, onlyFillers        wordSet
	onlyAfter, onlyBut               wordSet
	includeCues, liftCues            wordSet
	includeAfterPhrases              phrases
	includeFillers                   wordSet
	// restBefore gives a format the rest of the budget, across restFillers.
	restBefore  wordSet
	restPairs   map[[2]string]bool
	restFillers wordSet
	// boughtNouns and boughtVerbs make a format what the brief buys, unless a word of
	// passing in its clause says it is only mentioned ("we did video last year").
	boughtNouns, boughtVerbs, passing wordSet
	// channels holds the phrases naming a buying channel by their first word,
	// longest first.
	channels map[string][]channelPhrase
	// objectiveVerbs ask for the objective after them, across objectiveVerbFillers.
	objectiveVerbs, objectiveVerbFillers wordSet
	// typoMinLetters and notTypos say which words may be read as a misspelt objective
	// word ("awarness"); see typos in data/goal_words.json.
	typoMinLetters int
	notTypos       []string
}

// channelPhrase is a phrase naming a buying channel ("direct deal").
type channelPhrase struct {
	words   []string
	channel string
}

// fraction is a share of the budget written in words ("a third").
type fraction struct {
	words    []string
	value    float64
	notAfter wordSet
}

// wordSet is a section of single words. A handful of words is compared one by one,
// which is quicker than hashing the word; more are looked up in a map.
type wordSet struct {
	m   map[string]bool
	few []string
}

// fewWords is the most words a wordSet compares one by one.
const fewWords = 8

func newWordSet(words []string) wordSet {
	if len(words) <= fewWords {
		return wordSet{few: words}
	}
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return wordSet{m: m}
}

func (s wordSet) has(w string) bool {
	if s.m != nil {
		return s.m[w]
	}
	for _, x := range s.few {
		if x == w {
			return true
		}
	}
	return false
}

// phrases is a section of phrases, each split into words.
type phrases [][]string

// startingAt is the index of the first phrase that starts at toks[i] and ends by hi,
// or -1.
func (ps phrases) startingAt(toks []string, i, hi int) int {
	hi = min(hi, len(toks))
	if i < 0 || i >= hi {
		return -1
	}
	for k, p := range ps {
		// Most words start no phrase: comparing the first word rules them out.
		if toks[i] == p[0] && i+len(p) <= hi && slices.Equal(toks[i+1:i+len(p)], p[1:]) {
			return k
		}
	}
	return -1
}

// startAt reports whether one of the phrases starts at toks[i] and ends by hi.
func (ps phrases) startAt(toks []string, i, hi int) bool { return ps.startingAt(toks, i, hi) >= 0 }

// endingAt is the index of the first phrase that ends just before toks[end] and
// starts at lo or later, or -1.
func (ps phrases) endingAt(toks []string, lo, end int) int {
	if end < 1 || end <= lo || end > len(toks) {
		return -1
	}
	for k, p := range ps {
		// Most words end no phrase: comparing the last word rules them out.
		start := end - len(p)
		if toks[end-1] == p[len(p)-1] && start >= lo && slices.Equal(toks[start:end-1], p[:len(p)-1]) {
			return k
		}
	}
	return -1
}

// defaultWords loads the embedded vocabulary on first use. It is compiled into the
// binary and checked by the tests, so a failure is a build defect, not an input
// problem.
var defaultWords = sync.OnceValue(func() *vocabulary {
	v, err := loadWords(wordsJSON)
	if err != nil {
		panic(err)
	}
	return v
})

type wordList struct {
	Comment string   `json:"_comment"`
	Words   []string `json:"words"`
}

type byFormat struct {
	Comment string              `json:"_comment"`
	Formats map[string][]string `json:"formats"`
}

type wordsFile struct {
	Comment           []string `json:"_comment"`
	ClauseBreaks      wordList `json:"clause_breaks"`
	ObjectiveNegators wordList `json:"objective_negators"`
	NegationUndoneBy  wordList `json:"negation_undone_by"`
	MainGoalBefore    wordList `json:"main_goal_before"`
	MainGoalAfter     wordList `json:"main_goal_after"`
	SideGoalBefore    wordList `json:"side_goal_before"`
	SideGoalAfter     wordList `json:"side_goal_after"`
	Corrections       wordList `json:"corrections"`
	OwnPodcast        struct {
		Comment   string   `json:"_comment"`
		Owners    []string `json:"owners"`
		Nouns     []string `json:"nouns"`
		NotInName []string `json:"not_in_name"`
	} `json:"own_podcast"`
	ObjectiveVerbs struct {
		Comment string   `json:"_comment"`
		Words   []string `json:"words"`
		Fillers []string `json:"fillers"`
	} `json:"objective_verbs"`
	Channels struct {
		Comment  string              `json:"_comment"`
		Channels map[string][]string `json:"channels"`
	} `json:"channels"`
	FormatWords     byFormat `json:"format_words"`
	NotFormatAfter  wordList `json:"not_format_after"`
	NotFormatBefore byFormat `json:"not_format_before"`
	FormatNouns     wordList `json:"format_nouns"`
	CapNouns        wordList `json:"cap_nouns"`
	ListJoins       wordList `json:"list_joins"`
	Fractions       struct {
		Comment   string `json:"_comment"`
		Fractions []struct {
			Words    string   `json:"words"`
			Value    [2]int   `json:"value"`
			NotAfter []string `json:"not_after"`
		} `json:"fractions"`
	} `json:"fractions"`
	PercentSigns wordList `json:"percent_signs"`
	ShareFloor   struct {
		Comment      string   `json:"_comment"`
		Before       []string `json:"before"`
		SecondBefore []string `json:"second_before"`
		After        []string `json:"after"`
	} `json:"share_floor"`
	ShareComparatives struct {
		Comment  string   `json:"_comment"`
		More     []string `json:"more"`
		Less     []string `json:"less"`
		Negators []string `json:"negators"`
	} `json:"share_comparatives"`
	ShareChange struct {
		Comment string   `json:"_comment"`
		Before  []string `json:"before"`
		After   []string `json:"after"`
	} `json:"share_change"`
	CapCues           wordList `json:"cap_cues"`
	RemovalCues       wordList `json:"removal_cues"`
	RestrictionWords  wordList `json:"restriction_words"`
	ProtectCues       wordList `json:"protect_cues"`
	InventoryWords    wordList `json:"inventory_words"`
	OverspendCues     wordList `json:"overspend_cues"`
	OverspendNegators wordList `json:"overspend_negators"`
	TooMuch           wordList `json:"too_much"`
	GentleBefore      wordList `json:"gentle_before"`
	MostlyCues        wordList `json:"mostly_cues"`
	UncapBefore       wordList `json:"uncap_before"`
	Excluders         wordList `json:"excluders"`
	ExcludeFillers    wordList `json:"exclude_fillers"`
	ExcludeAfter      wordList `json:"exclude_after"`
	NotAfter          wordList `json:"not_after"`
	Auxiliaries       wordList `json:"auxiliaries"`
	OnlyBefore        wordList `json:"only_before"`
	OnlyUndoneBy      wordList `json:"only_undone_by"`
	OnlyFillers       wordList `json:"only_fillers"`
	OnlyAfter         wordList `json:"only_after"`
	OnlyBut           wordList `json:"only_but"`
	IncludeCues       wordList `json:"include_cues"`
	LiftCues          wordList `json:"lift_cues"`
	IncludeFillers    wordList `json:"include_fillers"`
	RestBefore        wordList `json:"rest_before"`
	RestFillers       wordList `json:"rest_fillers"`
	Typos             struct {
		Comment    string   `json:"_comment"`
		MinLetters int      `json:"min_letters"`
		NotTypos   []string `json:"not_typos"`
	} `json:"typos"`
	BoughtFormats struct {
		Comment string   `json:"_comment"`
		Nouns   []string `json:"nouns"`
		Verbs   []string `json:"verbs"`
		Passing []string `json:"passing"`
	} `json:"bought_formats"`
}

// loadWords reads a vocabulary file. Every section is required, with a _comment;
// every entry must be written as the tokenizer writes it, or it could never match.
func loadWords(data []byte) (*vocabulary, error) {
	var f wordsFile
	if err := datafile.Decode(data, &f); err != nil {
		return nil, fmt.Errorf("reading goal words: %w", err)
	}
	l := &wordLoader{}
	v := &vocabulary{}
	v.loadObjectiveWords(l, &f)
	v.loadChannels(l, &f)
	v.loadFormatWords(l, &f)
	v.loadShareWords(l, &f)
	v.loadLimitWords(l, &f)
	ty := f.Typos
	if ty.MinLetters < 3 {
		l.fail(fmt.Sprintf("typos: min_letters %d is under 3", ty.MinLetters))
	}
	v.typoMinLetters = ty.MinLetters
	for _, p := range l.phrases("typos.not_typos", wordList{ty.Comment, ty.NotTypos}, 1) {
		v.notTypos = append(v.notTypos, p[0])
	}
	if l.err != nil {
		return nil, l.err
	}
	return v, nil
}

// loadObjectiveWords reads the words around an objective and of the advertiser's own
// podcast.
func (v *vocabulary) loadObjectiveWords(l *wordLoader, f *wordsFile) {
	v.clauseBreaks = l.set("clause_breaks", f.ClauseBreaks)
	v.objectiveNegators = l.negators(f.ObjectiveNegators)
	v.negationUndoneBy = l.set("negation_undone_by", f.NegationUndoneBy)
	v.mainBefore = l.set("main_goal_before", f.MainGoalBefore)
	v.mainAfter = l.set("main_goal_after", f.MainGoalAfter)
	v.sideBefore = l.set("side_goal_before", f.SideGoalBefore)
	v.sideAfter, v.sideAfterPhrases = splitPhrases(l.phrases("side_goal_after", f.SideGoalAfter, 2))
	v.corrections = l.phrases("corrections", f.Corrections, 3)
	own := f.OwnPodcast
	v.podcastOwners = l.set("own_podcast.owners", wordList{own.Comment, own.Owners})
	v.podcastNouns = l.set("own_podcast.nouns", wordList{own.Comment, own.Nouns})
	v.notInPodcastName = l.set("own_podcast.not_in_name", wordList{own.Comment, own.NotInName})
	ov := f.ObjectiveVerbs
	v.objectiveVerbs = l.set("objective_verbs", wordList{ov.Comment, ov.Words})
	v.objectiveVerbFillers = l.set("objective_verbs.fillers", wordList{ov.Comment, ov.Fillers})
}

// loadChannels reads the phrases naming a buying channel.
func (v *vocabulary) loadChannels(l *wordLoader, f *wordsFile) {
	ch := f.Channels
	l.comment("channels", ch.Comment)
	v.channels = map[string][]channelPhrase{}
	for _, name := range []string{agents.ChannelDirect, agents.ChannelSelfServe, agents.ChannelProgrammatic} {
		for _, p := range l.phrases("channels."+name, wordList{ch.Comment, ch.Channels[name]}, 4) {
			v.channels[p[0]] = append(v.channels[p[0]], channelPhrase{words: p, channel: name})
		}
	}
	for name := range ch.Channels {
		if name != agents.ChannelDirect && name != agents.ChannelSelfServe && name != agents.ChannelProgrammatic {
			l.fail(fmt.Sprintf("channels: unknown channel %q", name))
		}
	}
	for _, ps := range v.channels {
		slices.SortStableFunc(ps, func(a, b channelPhrase) int { return len(b.words) - len(a.words) })
	}
}

// loadFormatWords reads the words that name a format and what may follow them.
func (v *vocabulary) loadFormatWords(l *wordLoader, f *wordsFile) {
	v.formats = l.formatWords(f.FormatWords)
	v.notFormatAfter = l.set("not_format_after", f.NotFormatAfter)
	v.notFormatBefore = l.byFormat("not_format_before", f.NotFormatBefore)
	v.formatNouns = l.set("format_nouns", f.FormatNouns)
	v.capNouns = l.set("cap_nouns", f.CapNouns)
	v.listJoins = l.set("list_joins", f.ListJoins)
}

// loadShareWords reads the words of shares of the budget and of what makes a share no
// cap.
func (v *vocabulary) loadShareWords(l *wordLoader, f *wordsFile) {
	fr := f.Fractions
	l.comment("fractions", fr.Comment)
	if len(fr.Fractions) == 0 {
		l.fail("section fractions has no fractions")
	}
	var starts []string
	for _, e := range fr.Fractions {
		words := l.phrases("fractions", wordList{fr.Comment, []string{e.Words}}, 3)
		if len(words) == 0 {
			continue
		}
		if e.Value[0] <= 0 || e.Value[1] <= 0 {
			l.fail(fmt.Sprintf("fractions: %q has value %d/%d", e.Words, e.Value[0], e.Value[1]))
		}
		var notAfter wordSet
		if len(e.NotAfter) > 0 {
			notAfter = l.set("fractions.not_after", wordList{fr.Comment, e.NotAfter})
		}
		v.fractions = append(v.fractions, fraction{words: words[0], value: float64(e.Value[0]) / float64(e.Value[1]), notAfter: notAfter})
		if !slices.Contains(starts, words[0][0]) {
			starts = append(starts, words[0][0])
		}
	}
	v.fractionStarts = newWordSet(starts)
	v.percentSigns = l.phrases("percent_signs", f.PercentSigns, 2)
	fl := f.ShareFloor
	v.floorBefore = l.phrases("share_floor.before", wordList{fl.Comment, fl.Before}, 2)
	v.floorSecondBefore = l.set("share_floor.second_before", wordList{fl.Comment, fl.SecondBefore})
	v.floorAfter = l.phrases("share_floor.after", wordList{fl.Comment, fl.After}, 2)
	cmp := f.ShareComparatives
	v.more = l.set("share_comparatives.more", wordList{cmp.Comment, cmp.More})
	v.less = l.set("share_comparatives.less", wordList{cmp.Comment, cmp.Less})
	v.comparativeNegators = l.set("share_comparatives.negators", wordList{cmp.Comment, cmp.Negators})
	ch := f.ShareChange
	v.changeBefore = l.set("share_change.before", wordList{ch.Comment, ch.Before})
	v.changeAfter = l.set("share_change.after", wordList{ch.Comment, ch.After})
}

// loadLimitWords reads the cues of caps, exclusions, restrictions and inclusions.
func (v *vocabulary) loadLimitWords(l *wordLoader, f *wordsFile) {
	v.capCues = l.set("cap_cues", f.CapCues)
	v.clauseCues = map[string]cueKind{}
	for _, s := range []struct {
		name string
		list wordList
		kind cueKind
	}{
		{"cap_cues", f.CapCues, cueCap}, {"cap_nouns", f.CapNouns, cueCapNoun},
		{"removal_cues", f.RemovalCues, cueRemoval}, {"restriction_words", f.RestrictionWords, cueRestriction},
		{"protect_cues", f.ProtectCues, cueProtect}, {"inventory_words", f.InventoryWords, cueInventory},
		{"overspend_cues", f.OverspendCues, cueOverspend}, {"overspend_negators", f.OverspendNegators, cueOverspendNeg},
	} {
		for _, p := range l.phrases(s.name, s.list, 1) {
			v.clauseCues[p[0]] |= s.kind
		}
	}
	v.tooMuch = l.phrases("too_much", f.TooMuch, 2)
	v.gentle = l.phrases("gentle_before", f.GentleBefore, 3)
	v.mostlyCues = l.set("mostly_cues", f.MostlyCues)
	v.uncapBefore = l.set("uncap_before", f.UncapBefore)
	v.excluders, v.excluderPairs = splitPairs(l.phrases("excluders", f.Excluders, 2))
	v.excludeFillers = l.set("exclude_fillers", f.ExcludeFillers)
	v.excludeAfter = l.set("exclude_after", f.ExcludeAfter)
	v.notAfter = l.set("not_after", f.NotAfter)
	v.auxiliaries = l.set("auxiliaries", f.Auxiliaries)
	v.onlyBefore, v.onlyPairs = splitPairs(l.phrases("only_before", f.OnlyBefore, 2))
	v.onlyUndoneBy = l.set("only_undone_by", f.OnlyUndoneBy)
	v.onlyFillers = l.set("only_fillers", f.OnlyFillers)
	v.onlyAfter = l.set("only_after", f.OnlyAfter)
	v.onlyBut = l.set("only_but", f.OnlyBut)
	v.includeCues, v.includeAfterPhrases = splitPhrases(l.phrases("include_cues", f.IncludeCues, 2))
	v.liftCues = l.set("lift_cues", f.LiftCues)
	v.includeFillers = l.set("include_fillers", f.IncludeFillers)
	v.restBefore, v.restPairs = splitPairs(l.phrases("rest_before", f.RestBefore, 2))
	v.restFillers = l.set("rest_fillers", f.RestFillers)
	b := f.BoughtFormats
	v.boughtNouns = l.set("bought_formats.nouns", wordList{b.Comment, b.Nouns})
	v.boughtVerbs = l.set("bought_formats.verbs", wordList{b.Comment, b.Verbs})
	v.passing = l.set("bought_formats.passing", wordList{b.Comment, b.Passing})
}

// wordLoader checks sections as they are read and keeps the first problem.
type wordLoader struct{ err error }

func (l *wordLoader) fail(msg string) {
	if l.err == nil {
		l.err = fmt.Errorf("loading goal words: %s", msg)
	}
}

func (l *wordLoader) comment(section, comment string) {
	if strings.TrimSpace(comment) == "" {
		l.fail(fmt.Sprintf("section %s is missing or has no _comment", section))
	}
}

// phrases checks a section's entries, each of one to maxWords words written as the
// tokenizer writes them, none twice, and returns them split into words.
func (l *wordLoader) phrases(section string, w wordList, maxWords int) phrases {
	l.comment(section, w.Comment)
	if len(w.Words) == 0 {
		l.fail(fmt.Sprintf("section %s has no words", section))
	}
	out := make(phrases, 0, len(w.Words))
	seen := map[string]bool{}
	for _, e := range w.Words {
		words := strings.Split(e, " ")
		if toks := tokenize(agents.Normalize(e)); !slices.Equal(toks, words) {
			l.fail(fmt.Sprintf("%s: %q is not written as the tokenizer writes it (%q)", section, e, toks))
			continue
		}
		if len(words) > maxWords {
			l.fail(fmt.Sprintf("%s: %q has more than %d words", section, e, maxWords))
			continue
		}
		if seen[e] {
			l.fail(fmt.Sprintf("%s: %q is listed twice", section, e))
		}
		seen[e] = true
		out = append(out, words)
	}
	return out
}

// set reads a section of single words.
func (l *wordLoader) set(section string, w wordList) wordSet {
	single, _ := splitPhrases(l.phrases(section, w, 1))
	return single
}

// negators reads objective_negators: a two-word entry names the word that must follow.
func (l *wordLoader) negators(w wordList) map[string]string {
	out := map[string]string{}
	for _, p := range l.phrases("objective_negators", w, 2) {
		if _, ok := out[p[0]]; ok {
			l.fail(fmt.Sprintf("objective_negators: %q is listed twice", p[0]))
		}
		out[p[0]] = ""
		if len(p) == 2 {
			out[p[0]] = p[1]
		}
	}
	return out
}

func (l *wordLoader) formatWords(f byFormat) map[string]uint8 {
	l.comment("format_words", f.Comment)
	out := map[string]uint8{}
	for name, words := range f.Formats {
		bit := l.formatBit("format_words", name)
		for _, p := range l.phrases("format_words."+name, wordList{f.Comment, words}, 1) {
			if _, ok := out[p[0]]; ok {
				l.fail(fmt.Sprintf("format_words: %q names two formats", p[0]))
			}
			out[p[0]] = bit
		}
	}
	if len(out) == 0 {
		l.fail("section format_words has no formats")
	}
	return out
}

// byFormat reads a section of words by Ads API format name.
func (l *wordLoader) byFormat(section string, f byFormat) map[uint8]wordSet {
	l.comment(section, f.Comment)
	if len(f.Formats) == 0 {
		l.fail(fmt.Sprintf("section %s has no formats", section))
	}
	out := map[uint8]wordSet{}
	for name, words := range f.Formats {
		out[l.formatBit(section, name)] = l.set(section+"."+name, wordList{f.Comment, words})
	}
	return out
}

func (l *wordLoader) formatBit(section, name string) uint8 {
	for _, fb := range formatBits {
		if fb.name == name {
			return fb.bit
		}
	}
	l.fail(fmt.Sprintf("%s: unknown format %q", section, name))
	return 0
}

// splitPhrases parts entries into single words and longer phrases.
func splitPhrases(entries phrases) (wordSet, phrases) {
	var single []string
	var longer phrases
	for _, p := range entries {
		if len(p) == 1 {
			single = append(single, p[0])
		} else {
			longer = append(longer, p)
		}
	}
	return newWordSet(single), longer
}

// splitPairs parts entries of one or two words into words and pairs.
func splitPairs(entries phrases) (wordSet, map[[2]string]bool) {
	single, longer := splitPhrases(entries)
	pairs := map[[2]string]bool{}
	for _, p := range longer {
		pairs[[2]string{p[0], p[1]}] = true
	}
	return single, pairs
}
