package audience

import (
	"fmt"
	"slices"

	"github.com/adplan/adplan/agents"
)

// Revising: the facts a scan read, applied to the audience with the modes they were
// read with.

// revision is an audience being read or revised by one message.
type revision struct {
	lex      *lexicon
	aud      agents.Audience
	followUp bool
	year     int
	// reset marks the fields this message has already emptied to replace them.
	reset [fieldCount]bool
	// removes marks the fields this message removes something from.
	removes [fieldCount]bool
	// ageNew and ageSoft run beside aud.AgeRanges: added by this message, and a label's.
	ageNew, ageSoft []bool
	notes           []string
	confidence      float64
	changed         bool
	emptied         []audienceEmptied
	agesEmptied     *agents.AgeRange
	// conventions are the life stages read with conventional ages, for a note.
	conventions []convention
}

// convention is a life stage read as a conventional age range: the words, the range.
type convention struct {
	words string
	ages  agents.AgeRange
}

func newRevision(lex *lexicon, req agents.Request) *revision {
	r := &revision{lex: lex, followUp: req.FollowUp, confidence: 1}
	if req.FollowUp && req.Current.Audience != nil {
		r.aud = req.Current.Audience.Clone()
	}
	r.year = req.Now.Year()
	r.ageNew = make([]bool, len(r.aud.AgeRanges))
	r.ageSoft = make([]bool, len(r.aud.AgeRanges))
	return r
}

func fieldOf(f *fact) audienceField {
	switch f.kind {
	case factCountry, factRegion, factCity, factBroad:
		return fieldGeo
	case factLanguage:
		return fieldLanguages
	case factAge, factGeneration:
		return fieldAges
	case factGender:
		return fieldGenders
	case factGenre:
		return fieldGenres
	case factInterest:
		return fieldInterests
	case factPlatform:
		return fieldPlatforms
	case factPlacement:
		return fieldPlacements
	case factClear:
		return f.field
	}
	return fieldNone
}

func (r *revision) applyScan(sc *scan) {
	for k := range sc.matches {
		m := &sc.matches[k]
		if !m.isFact() {
			continue
		}
		if m.lead == modeNone {
			m.lead = m.trail
		}
		if m.lead == modeSwapOut {
			m.lead = modeRemove
		}
		if m.lead == modeRemove {
			for i := range m.facts {
				if !m.facts[i].implied {
					r.removes[fieldOf(&m.facts[i])] = true
				}
			}
		}
	}
	for k := range sc.matches {
		m := &sc.matches[k]
		if !m.isFact() {
			continue
		}
		for i := range m.facts {
			f := &m.facts[i]
			if f.convention && m.lead != modeRemove {
				r.conventions = append(r.conventions, convention{words: sc.words(m.start, m.end), ages: f.age})
			}
			r.apply(f, m.lead)
		}
	}
}

// apply applies one fact of the message with the mode it was read with.
func (r *revision) apply(f *fact, mode audienceMode) {
	switch f.kind {
	case factNull, factCue, factNationality:
		return
	case factBroad:
		r.note(fmt.Sprintf("%q is too broad to target as one market; name the countries (e.g. \"the Nordics\", \"EU5\").", f.value), 0.5)
		return
	case factClear:
		if f.followUpOnly && !r.followUp {
			return
		}
		r.changed = true
		r.clear(f.field)
		return
	}
	r.changed = true
	if add, ok := r.settle(f, mode); ok {
		r.edit(f, add)
	}
}

// settle turns the mode a fact was read with into adding or removing it, emptying its
// field first when the fact replaces it. ok is false for an implied fact a removal
// names: it never removes anything.
func (r *revision) settle(f *fact, mode audienceMode) (add, ok bool) {
	field := fieldOf(f)
	switch {
	case f.implied:
		if mode == modeRemove {
			return false, false
		}
		mode = modeAdd
	case !r.followUp:
		if mode != modeRemove {
			mode = modeAdd
		}
	case mode == modeNone || mode == modeReplaceSoft:
		mode = modeReplace
		if r.removes[field] {
			mode = modeAdd
		}
	}
	if mode == modeReplace {
		if !r.reset[field] {
			r.clear(field)
			r.reset[field] = true
		}
		mode = modeAdd
	}
	return mode == modeAdd, true
}

// edit adds f to its field of the audience or removes it.
func (r *revision) edit(f *fact, add bool) {
	switch f.kind {
	case factCountry:
		for _, code := range f.codes {
			if add {
				r.aud.Geo.Countries = Append(r.aud.Geo.Countries, code)
			} else {
				r.removeCountry(code)
			}
		}
	case factRegion:
		if n, ok := r.lex.regionNotes[f.value]; ok {
			r.note(n, 0.9)
		}
		if add {
			r.aud.Geo.Regions = Append(r.aud.Geo.Regions, f.value)
			r.aud.Geo.Countries = Append(r.aud.Geo.Countries, f.codes[0])
		} else {
			r.removePlace(&r.aud.Geo.Regions, f.value, f.codes[0])
		}
	case factCity:
		if add {
			r.aud.Geo.Cities = Append(r.aud.Geo.Cities, f.value)
			r.aud.Geo.Countries = Append(r.aud.Geo.Countries, f.codes[0])
		} else {
			r.removePlace(&r.aud.Geo.Cities, f.value, f.codes[0])
		}
	case factAge, factGeneration:
		r.editAges(f, add)
	case factGender:
		r.editClosed(&r.aud.Genders, genders, f.value, add)
	case factPlatform:
		r.editClosed(&r.aud.Platforms, platforms, f.value, add)
	case factPlacement:
		r.editClosed(&r.aud.Placements, placements, f.value, add)
	case factGenre:
		r.editOpen(&r.aud.Genres, f.value, add)
	case factInterest:
		r.editOpen(&r.aud.Interests, f.value, add)
	case factLanguage:
		r.editOpen(&r.aud.Languages, f.value, add)
	}
}

func (r *revision) clear(field audienceField) {
	switch field {
	case fieldAges:
		r.aud.AgeRanges, r.ageNew, r.ageSoft = nil, nil, nil
	case fieldGenders:
		r.aud.Genders = nil
	case fieldGeo:
		r.aud.Geo = agents.Geo{}
	case fieldGenres:
		r.aud.Genres = nil
	case fieldInterests:
		r.aud.Interests = nil
	case fieldPlatforms:
		r.aud.Platforms = nil
	case fieldPlacements:
		r.aud.Placements = nil
	case fieldLanguages:
		r.aud.Languages = nil
	}
}

func (r *revision) note(s string, confidence float64) {
	if !slices.Contains(r.notes, s) {
		r.notes = append(r.notes, s)
	}
	r.confidence = min(r.confidence, confidence)
}

// Append adds v to list unless it is there already.
func Append(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

func (r *revision) result() agents.Result {
	for _, e := range r.emptied {
		if len(*e.list) == 0 {
			r.note(fmt.Sprintf("Removing %s left nothing to target, so that restriction is lifted; say what to target instead.", audienceWords[e.value]), 0.6)
		}
	}
	if a := r.agesEmptied; a != nil && len(r.aud.AgeRanges) == 0 {
		r.note(fmt.Sprintf("Removing ages %d–%d left no ages, so age is no longer restricted; say which ages to target.", a.Min, a.Max), 0.6)
	}
	for _, c := range r.conventions {
		for i, a := range r.aud.AgeRanges {
			if a == c.ages && r.ageNew[i] && r.ageSoft[i] {
				r.note(fmt.Sprintf("Read %q as ages %d–%d, a planning convention rather than a fact; give the ages to change it.",
					c.words, a.Min, a.Max), 0.9)
			}
		}
	}
	if !r.changed {
		return agents.Result{Confidence: r.confidence, Notes: r.notes}
	}
	a := r.aud
	if slices.Contains(a.Genders, agents.GenderMale) && slices.Contains(a.Genders, agents.GenderFemale) {
		a.Genders = nil // men and women: no gender restriction
	}
	for _, list := range []*[]string{&a.Genders, &a.Geo.Countries, &a.Geo.Regions, &a.Geo.Cities,
		&a.Genres, &a.Interests, &a.Platforms, &a.Placements, &a.Languages} {
		if len(*list) == 0 {
			*list = nil
		}
	}
	if len(a.AgeRanges) == 0 {
		a.AgeRanges = nil
	}
	return agents.Result{Audience: &a, Confidence: r.confidence, Notes: r.notes}
}
