package audience

import (
	"fmt"
	"slices"

	"github.com/adplan/adplan/agents"
)

// Age ranges in a revision: a label's range gives way to a number, overlapping
// ranges merge, and a removal cuts ranges apart.

// editAges adds or removes a fact's ages; a generation's are worked out for the
// brief's year and count as a label's.
func (r *revision) editAges(f *fact, add bool) {
	ar, soft := f.age, f.soft
	if f.kind == factGeneration {
		var ok bool
		if ar, ok = r.generationAges(f); !ok {
			return
		}
		soft = true
	}
	if add {
		r.addAge(ar, soft)
	} else {
		r.removeAge(ar)
	}
}

// generationAges turns a generation's birth years into ages in the brief's year,
// clipped to the ages ads reach.
func (r *revision) generationAges(f *fact) (agents.AgeRange, bool) {
	lo, hi := r.year-f.born[1], r.year-f.born[0]
	if hi < adultAge {
		r.note(fmt.Sprintf("%s (born %d–%d) are under %d in %d; ads cannot target them.", f.value, f.born[0], f.born[1], adultAge, r.year), 0.6)
		return agents.AgeRange{}, false
	}
	ar := agents.AgeRange{Min: max(lo, adultAge), Max: min(hi, maxAge)}
	if ar.Min != lo || ar.Max != hi {
		r.note(fmt.Sprintf("%s (born %d–%d) are %d–%d in %d; read as %d–%d, the ages ads reach.",
			f.value, f.born[0], f.born[1], lo, hi, r.year, ar.Min, ar.Max), 0.95)
	}
	return ar, true
}

func overlap(a, b agents.AgeRange) bool { return a.Min <= b.Max && b.Min <= a.Max }

// addAge adds a range: a label's range gives way to a number from the same message
// that overlaps it, and overlapping ranges merge.
func (r *revision) addAge(a agents.AgeRange, soft bool) {
	ranges := r.aud.AgeRanges
	if soft {
		for i, e := range ranges {
			if r.ageNew[i] && !r.ageSoft[i] && overlap(e, a) {
				return
			}
		}
	}
	at := -1
	for i := 0; i < len(ranges); {
		e := ranges[i]
		if !overlap(e, a) {
			i++
			continue
		}
		if !soft && r.ageNew[i] && r.ageSoft[i] {
			// The number refines the label: it takes the label's place.
		} else {
			a = agents.AgeRange{Min: min(a.Min, e.Min), Max: max(a.Max, e.Max)}
			soft = soft && r.ageSoft[i]
		}
		if at < 0 {
			at = i
		}
		ranges = slices.Delete(ranges, i, i+1)
		r.ageNew = slices.Delete(r.ageNew, i, i+1)
		r.ageSoft = slices.Delete(r.ageSoft, i, i+1)
	}
	if at < 0 {
		at = len(ranges)
	}
	r.aud.AgeRanges = slices.Insert(ranges, at, a)
	r.ageNew = slices.Insert(r.ageNew, at, true)
	r.ageSoft = slices.Insert(r.ageSoft, at, soft)
}

// removeAge takes a range out of every range it overlaps.
func (r *revision) removeAge(a agents.AgeRange) {
	var out []agents.AgeRange
	var outNew, outSoft []bool
	found := false
	for i, e := range r.aud.AgeRanges {
		if !overlap(e, a) {
			out, outNew, outSoft = append(out, e), append(outNew, r.ageNew[i]), append(outSoft, r.ageSoft[i])
			continue
		}
		found = true
		for _, piece := range []agents.AgeRange{{Min: e.Min, Max: a.Min - 1}, {Min: a.Max + 1, Max: e.Max}} {
			if piece.Min <= piece.Max {
				out, outNew, outSoft = append(out, piece), append(outNew, r.ageNew[i]), append(outSoft, r.ageSoft[i])
			}
		}
	}
	if !found {
		if len(r.aud.AgeRanges) == 0 {
			r.note(fmt.Sprintf("Cannot exclude ages %d–%d from an audience of all ages; name the ages to target.", a.Min, a.Max), 0.7)
		} else {
			r.note(fmt.Sprintf("Ages %d–%d are not in the audience, so there is nothing to remove.", a.Min, a.Max), 0.9)
		}
		return
	}
	if len(out) == 0 {
		r.agesEmptied = &a
	}
	r.aud.AgeRanges, r.ageNew, r.ageSoft = out, outNew, outSoft
}
