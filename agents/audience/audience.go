package audience

import (
	"context"
	"fmt"
	"slices"

	"github.com/adplan/adplan/agents"
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
	sc.applyCorrections()
	rev := newRevision(lex, req)
	rev.applyScan(sc)
	res := rev.result()
	res.Sources = sc.sources()
	for _, n := range sc.typoNotes {
		if !slices.Contains(res.Notes, n) {
			res.Notes = append(res.Notes, n)
		}
	}
	return res, nil
}
