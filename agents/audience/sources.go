package audience

import (
	"slices"

	"github.com/adplan/adplan/agents"
)

// Sources: which words of the message each field of the audience was read from, so
// that the coordinator can tell the user which words nobody read. A phrase read as a
// fact is its field's source; the words around it that the grammar reads with it —
// "year olds" after an age, "fans" after a genre, "living in" before a place,
// "speakers" after a language — and the cues that governed it ("add", "drop the",
// "too", "only") are cues, with no field of their own. Phrases the scan dropped
// ("Paris Hilton", "Mother's Day", a currency) are no source.

// The audience's fields as the Brief's JSON names them.
const (
	fieldNameAges       = "audience.age_ranges"
	fieldNameGenders    = "audience.genders"
	fieldNameCountries  = "audience.geo.countries"
	fieldNameRegions    = "audience.geo.regions"
	fieldNameCities     = "audience.geo.cities"
	fieldNameGenres     = "audience.genres"
	fieldNameInterests  = "audience.interests"
	fieldNamePlatforms  = "audience.platforms"
	fieldNamePlacements = "audience.placements"
	fieldNameLanguages  = "audience.languages"
	fieldNameCue        = ""
)

// sourceField names the field of the brief a fact sets.
func sourceField(f *fact) string {
	switch f.kind {
	case factCountry, factBroad:
		return fieldNameCountries
	case factRegion:
		return fieldNameRegions
	case factCity:
		return fieldNameCities
	case factLanguage:
		return fieldNameLanguages
	case factAge, factGeneration:
		return fieldNameAges
	case factGender:
		return fieldNameGenders
	case factGenre:
		return fieldNameGenres
	case factInterest:
		return fieldNameInterests
	case factPlatform:
		return fieldNamePlatforms
	case factPlacement:
		return fieldNamePlacements
	case factClear:
		return clearedField[f.field]
	}
	return fieldNameCue
}

// clearedField names the field a phrase that lifts a restriction ("all ages") reads.
var clearedField = [fieldCount]string{
	fieldAges: fieldNameAges, fieldGenders: fieldNameGenders, fieldGeo: fieldNameCountries,
	fieldGenres: fieldNameGenres, fieldInterests: fieldNameInterests, fieldPlatforms: fieldNamePlatforms,
	fieldPlacements: fieldNamePlacements, fieldLanguages: fieldNameLanguages,
}

// sources lists the words the scan read, each tied to the field it read them for.
// Run calls it after assignModes, which records the cues that governed a phrase.
func (sc *scan) sources() []agents.Source {
	// A phrase is a source of one field, two with the cues around it: room for all
	// of them saves growing the list.
	out := make([]agents.Source, 0, 3*len(sc.matches)+len(sc.cueRuns))
	add := func(field string, lo, hi int) {
		if lo < 0 || hi > len(sc.toks) || lo >= hi {
			return
		}
		out = append(out, agents.SourceAt(field, sc.toks[lo].start, sc.toks[hi-1].end))
	}
	for k := range sc.matches {
		m := &sc.matches[k]
		if !m.isFact() || m.kind() == factNull || m.kind() == factNationality {
			continue
		}
		for i := range m.facts {
			field := sourceField(&m.facts[i])
			// A phrase with several facts ("true crime podcasts") is a source of each
			// field once.
			dup := false
			for j := range i {
				dup = dup || sourceField(&m.facts[j]) == field
			}
			if !dup {
				add(field, m.start, m.end)
			}
		}
		lo, hi := sc.contextOf(m)
		add(fieldNameCue, lo, m.start)
		add(fieldNameCue, m.end, hi)
	}
	for _, r := range sc.cueRuns {
		add(fieldNameCue, r[0], r[1])
	}
	slices.SortStableFunc(out, func(a, b agents.Source) int { return a.Span.Start - b.Span.Start })
	return slices.CompactFunc(out, func(a, b agents.Source) bool { return a == b })
}

// contextOf returns the tokens [lo, hi) around match m, lo <= m.start and hi >= m.end,
// that the grammar reads with it: "living in" before a place and "market" after it,
// "year olds" after an age, "fans" after a genre, "interested in" before an interest,
// "in" before a language and "speakers" after it.
func (sc *scan) contextOf(m *match) (lo, hi int) {
	toks, w := sc.toks, sc.lex.words
	lo, hi = m.start, m.end
	// beside reports whether token i is a free word in the same clause as the phrase,
	// with no more than a space or dash between it and the phrase.
	free := func(i int) bool { return i >= 0 && i < len(toks) && sc.matchAt[i] < 0 }
	joinedBefore := func(i int) bool { return i+1 < len(toks) && toks[i+1].sep < sepComma }
	joinedAfter := func(i int) bool { return toks[i].sep < sepComma }
	switch m.kind() {
	case factAge:
		for hi < len(toks) && free(hi) && joinedAfter(hi) && w.ages.ageNouns[toks[hi].s] {
			hi++
		}
		for hi > m.end && toks[hi-1].s == "of" {
			hi-- // "18-24 of Germany": "of" belongs to no age
		}
	case factCountry, factRegion, factCity:
		for lo > 0 && free(lo-1) && joinedBefore(lo-1) && (w.placeBefore[toks[lo-1].s] || w.placeArticles[toks[lo-1].s]) {
			lo--
		}
		for lo < m.start && w.placeArticles[toks[lo].s] {
			lo++ // "the" alone is no cue
		}
		if free(hi) && joinedAfter(hi) && w.placeAfter[toks[hi].s] {
			hi++
		}
	case factLanguage:
		if free(lo-1) && joinedBefore(lo-1) && w.languageBefore[toks[lo-1].s] {
			lo--
		}
		if free(hi) && joinedAfter(hi) && w.languageAfter[toks[hi].s] {
			hi++
		}
	case factGenre:
		lo, hi = sc.cuesBeside(m, sc.lex.genreCuesBefore, sc.lex.genreCuesAfter)
	case factInterest:
		lo, hi = sc.cuesBeside(m, sc.lex.interestCuesBefore, sc.lex.interestCuesAfter)
	}
	return lo, hi
}

// cuesBeside returns the span of m widened by a cue word right after it ("fans") and
// a cue of one or two words right before it ("interested in", "into").
func (sc *scan) cuesBeside(m *match, before, after map[string]bool) (lo, hi int) {
	toks := sc.toks
	lo, hi = m.start, m.end
	if hi < len(toks) && sc.matchAt[hi] < 0 && toks[hi].sep < sepComma && after[toks[hi].s] {
		hi++
	}
	if lo == 0 || toks[lo].sep >= sepComma || sc.matchAt[lo-1] >= 0 {
		return lo, hi
	}
	if lo > 1 && toks[lo-1].sep < sepComma && sc.matchAt[lo-2] < 0 && before[toks[lo-2].s+" "+toks[lo-1].s] {
		return lo - 2, hi
	}
	if before[toks[lo-1].s] {
		return lo - 1, hi
	}
	return lo, hi
}
