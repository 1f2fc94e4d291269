package audience

import (
	"fmt"
	"strings"

	"github.com/adplan/adplan/agents"
)

// The phrase tables of data/audience_people.json, _genres, _interests and
// _nationalities, and the cues of data/audience_words.json, added to the lexicon.

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
	Convention bool     `json:"convention"`
	Exact      bool     `json:"exact"`
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
		if p.Gender != "" {
			facts = append(facts, fact{kind: factGender, value: p.Gender})
		}
		switch {
		case len(p.Age) == 2:
			facts = append(facts, fact{kind: factAge, age: agents.AgeRange{Min: p.Age[0], Max: p.Age[1]}, soft: p.Soft,
				convention: p.Convention})
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
		if len(facts) == 1 && facts[0].kind == factGender {
			for _, a := range p.Aliases {
				lex.addTypoTarget(a, a, 0)
			}
		}
		for _, a := range p.Aliases {
			entry := e
			if lex.replaces(a) {
				entry = only
			}
			if p.Exact {
				lex.addTokens(tokenize(agents.Normalize(a), nil), entry)
			} else {
				lex.add(a, entry)
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
