package audience

import (
	"context"
	"fmt"
	"slices"

	"github.com/adplan/adplan/agents"
	"github.com/biter777/countries"
)

// Specialist reads who a campaign reaches: ages, genders, markets, cities and
// regions, genres, interests and podcast topics, platforms, placements and languages.
//
// Readings worth knowing (each is a choice, made once, here):
//   - "teens" are 13–17: Spotify ads reach 13 and older, and 18–19 sit in the adult
//     buckets. "under N" is 18..N-1 (13..N-1 for N up to 18); "over N" and "N+" are
//     N..99, as marketers' "over-35s" include 35.
//   - Generations are birth-year bands (Pew: Gen Z 1997–2012, millennials 1981–1996,
//     Gen X 1965–1980, boomers 1946–1964) turned into ages in the year of req.Now and
//     clipped to 18..99, with a note when clipped (Gen Z in 2026 is 18–29).
//   - A label's range ("adults", "millennials") gives way to a number written in the
//     same message where they overlap ("millennials aged 25-34" is 25–34). Overlapping
//     ranges merge; adjacent ones ("18-24 and 25-34") stay apart.
//   - Men and women together are no gender restriction: a list holding both MALE and
//     FEMALE is emptied, so "men and women", "include men" on [FEMALE] and "everyone"
//     all read as any gender.
//   - Georgia is the US state; like Jordan, Chad or Niger it counts only after a place
//     word ("in Georgia") or inside a list of places ("Atlanta, Georgia"). "England" is
//     the United Kingdom's market (GB). Cities and regions also put their country in
//     Countries. ISO codes count only in capitals ("US", never "us"), and codes that
//     are also words ("IT", "IN", "NO") only inside a list of places ("DE, AT, IT").
//   - A currency is not a market: "pesos", "R$", "US$", "Australian dollars" name no
//     country.
//   - Podcast topics that live on podcasts ("true crime") and any interest written with
//     "podcast(s)" also place the ads on podcasts; a bare "business" or "wellness" is an
//     interest only.
//   - In a follow-up, a phrase with no cue replaces its field ("France" alone, "women",
//     "25-34"), unless the same message removes something from that field, when it is
//     added in its place ("drop the UK, Ireland instead"). "add", "also", "too" add;
//     "drop", "remove", "exclude", "not", "no" remove; "only", "just", "switch to",
//     "what about" replace.
type Specialist struct{}

var _ agents.Specialist = (*Specialist)(nil)

// New returns the rule-based audience specialist, its tables built.
func New() *Specialist {
	_, _ = audienceLex() // build the tables now rather than on the first message
	return &Specialist{}
}

// Slot is SlotAudience.
func (*Specialist) Slot() agents.Slot { return agents.SlotAudience }

// Touches reports whether m names anyone or anywhere the campaign could reach.
func (*Specialist) Touches(m agents.Message) bool {
	lex, err := audienceLex()
	if err != nil {
		return false
	}
	sc := scanMessage(lex, m)
	defer sc.release()
	return sc.touches()
}

// Run reads the audience of a first brief, or revises req.Current's on a follow-up.
func (*Specialist) Run(_ context.Context, req agents.Request) (agents.Result, error) {
	lex, err := audienceLex()
	if err != nil {
		return agents.Result{}, fmt.Errorf("loading audience tables: %w", err)
	}
	sc := scanMessage(lex, req.Message)
	defer sc.release()
	if !sc.touches() {
		return agents.Result{}, nil
	}
	sc.assignModes()
	rev := newRevision(lex, req)
	rev.applyScan(sc)
	return rev.result(), nil
}

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
			r.apply(&m.facts[i], m.lead)
		}
	}
}

func (r *revision) apply(f *fact, mode audienceMode) {
	switch f.kind {
	case factNull, factCue, factNationality:
		return
	case factBroad:
		r.note(fmt.Sprintf("%q is too broad to target as one market; name the countries (e.g. \"the Nordics\", \"EU5\").", f.value), 0.5)
		return
	case factClear:
		r.changed = true
		r.clear(f.field)
		return
	}
	r.changed = true
	field := fieldOf(f)
	switch {
	case f.implied:
		if mode == modeRemove {
			return
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
	add := mode == modeAdd
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

// The closed lists, in the order a complement is written in ("not on desktop" is iOS
// and Android).
var (
	genders    = []string{agents.GenderFemale, agents.GenderMale, agents.GenderNonBinary}
	platforms  = []string{agents.PlatformIOS, agents.PlatformAndroid, agents.PlatformDesktop}
	placements = []string{agents.PlacementMusic, agents.PlacementPodcast}
)

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

// removeCountry drops a country and the regions and cities in it.
func (r *revision) removeCountry(code string) {
	g := &r.aud.Geo
	if !slices.Contains(g.Countries, code) {
		r.note(fmt.Sprintf("%s is not in the audience, so there is nothing to remove.", audienceCountryName(code)), 0.9)
		return
	}
	g.Countries = slices.DeleteFunc(g.Countries, func(c string) bool { return c == code })
	g.Regions = slices.DeleteFunc(g.Regions, func(n string) bool { return r.lex.regionCountry[n] == code })
	g.Cities = slices.DeleteFunc(g.Cities, func(n string) bool { return r.lex.cityCountry[n] == code })
}

// removePlace drops a region or city. Spotify targets places but cannot carve one out
// of a country, so removing a place that was never targeted on its own only says so.
func (r *revision) removePlace(list *[]string, name, code string) {
	if slices.Contains(*list, name) {
		*list = slices.DeleteFunc(*list, func(n string) bool { return n == name })
		if slices.Contains(r.aud.Geo.Countries, code) {
			r.note(fmt.Sprintf("Removed %s; %s stays targeted as a whole unless you drop it too.", name, audienceCountryName(code)), 0.9)
		}
		return
	}
	if slices.Contains(r.aud.Geo.Countries, code) {
		r.note(fmt.Sprintf("Cannot exclude %s alone: ads target places, not exceptions, so all of %s stays targeted.", name, audienceCountryName(code)), 0.7)
		return
	}
	r.note(fmt.Sprintf("%s is not in the audience, so there is nothing to remove.", name), 0.9)
}

// countryNames are the names a note uses where the library's reads awkwardly.
var countryNames = map[string]string{
	"GB": "the UK", "US": "the US", "NL": "the Netherlands", "AE": "the UAE", "PH": "the Philippines",
	"CZ": "Czechia", "KR": "South Korea", "RU": "Russia",
}

func audienceCountryName(code string) string {
	if n, ok := countryNames[code]; ok {
		return n
	}
	if c := countries.ByName(code); c.IsValid() {
		return cleanName(c.String())
	}
	return code
}

func (r *revision) editOpen(list *[]string, v string, add bool) {
	if add {
		*list = Append(*list, v)
		return
	}
	if !slices.Contains(*list, v) {
		if r.followUp {
			r.note(fmt.Sprintf("%s is not in the audience, so there is nothing to remove.", v), 0.9)
		}
		return
	}
	*list = slices.DeleteFunc(*list, func(s string) bool { return s == v })
}

// editClosed edits a list whose every value is known, where empty means all of them:
// removing one from an empty list leaves the others.
func (r *revision) editClosed(list *[]string, all []string, v string, add bool) {
	if add {
		*list = Append(*list, v)
		return
	}
	if len(*list) == 0 {
		for _, a := range all {
			if a != v {
				*list = append(*list, a)
			}
		}
		return
	}
	*list = slices.DeleteFunc(*list, func(s string) bool { return s == v })
	if len(*list) == 0 {
		r.emptied = append(r.emptied, audienceEmptied{list: list, value: v})
	}
}

// audienceEmptied records a closed list a removal emptied, which lifts its restriction
// unless the message goes on to name something else.
type audienceEmptied struct {
	list  *[]string
	value string
}

// audienceWords names the enum values in notes.
var audienceWords = map[string]string{
	agents.GenderFemale: "women", agents.GenderMale: "men", agents.GenderNonBinary: "non-binary people",
	agents.PlatformIOS: "iOS", agents.PlatformAndroid: "Android", agents.PlatformDesktop: "desktop",
	agents.PlacementMusic: "music", agents.PlacementPodcast: "podcasts",
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
