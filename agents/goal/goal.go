package goal

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/typo"
)

// The goal specialist reads what the advertiser wants (one Spotify Ads API v3
// objective) and which asset formats they allow, with caps on a format's share of the
// budget. Phrases that name an objective live in data/goal_phrases.json and the other
// words the grammar reads in data/goal_words.json. The grammar of objectives is in
// objective.go, of format limits ("no video", "keep video under 20%") in formats.go
// and shares.go; revise.go applies a reading to the goal.
//
// Readings chosen where the brief leaves room, so that users and tests can rely on them:
//   - "reach <someone>" ("reach 18-24 year olds in Germany") is a weak REACH: it sets
//     REACH with confidence 0.6 on a first brief, loses to any objective named outright,
//     and never replaces an objective on a follow-up ("let's reach women too").
//   - Promoting a music release ("my new single") is REACH with a note: the Ads API has
//     no objective for music streams, and reach is what a release campaign buys.
//   - Sign-ups and registrations are LEAD_GEN: a sign-up hands over contact details,
//     which is what Spotify's lead-form objective collects. They are CONVERSIONS when
//     the brief says what is signed up for is bought, anywhere in it: a trial, a paid
//     subscription or membership, a streaming service, a course or school enrolment.
//   - "always-on" says how a campaign runs, so it only hints at EVEN_IMPRESSION_DELIVERY
//     and an objective named beside it wins ("always-on, reach").
//   - A podcast is PODCAST_STREAMS only when it is the advertiser's own ("grow my
//     podcast"); "podcast listeners in Spain" is an audience, not a goal.
//   - When two objectives are named the first wins, unless one is marked as the main
//     one ("mainly clicks") or as a side one ("some clicks"); a note names the other.
//   - Vague limits on a format ("without blowing the budget on video", "a bit of
//     video", "protect video inventory") cap it at 25% of the budget: DESIGN's own
//     example, a share that keeps the format in the mix but clearly secondary. Each
//     such reading adds a note saying so.
//   - "include video" on a goal that allows any format means audio plus video: audio is
//     Spotify's base format and the advertiser is asking for video beside it, not for
//     display. "allow video again" / "video is fine" only lifts a restriction.

var _ agents.Specialist = (*Specialist)(nil)

// Specialist reads the goal slot: objective, allowed formats and format caps.
type Specialist struct {
	table *goalTable
	words *vocabulary
	typos *typo.Index
}

// New returns the rule-based goal specialist.
func New() *Specialist {
	return &Specialist{table: defaultTable(), words: defaultWords(), typos: defaultTypos()}
}

// Slot is SlotGoal.
func (s *Specialist) Slot() agents.Slot { return agents.SlotGoal }

// Touches reports whether the message names an objective (even to reject it) or limits
// formats.
func (s *Specialist) Touches(m agents.Message) bool {
	r, _ := s.read(m.Lower, false)
	return r.found()
}

// Run reads the goal from a first brief, or revises req.Current's goal on a follow-up.
func (s *Specialist) Run(_ context.Context, req agents.Request) (agents.Result, error) {
	r, pos := s.read(req.Message.Lower, true)
	if !r.found() {
		return agents.Result{}, nil
	}
	var current agents.Goal
	if req.FollowUp && req.Current.Goal != nil {
		current = clone(*req.Current.Goal)
	}
	revised, notes, confidence := r.apply(current, req.FollowUp)
	res := agents.Result{Confidence: confidence, Notes: notes, Sources: r.sources(pos)}
	switch {
	case req.FollowUp && req.Current.Goal != nil && equal(revised, *req.Current.Goal):
		if r.objective != "" && r.strength >= normal || len(r.ops) > 0 || r.channel != "" {
			res.Notes = append(res.Notes, "The goal already says that; nothing changed.")
		}
	case revised.IsEmpty() && (!req.FollowUp || req.Current.Goal == nil):
		// Nothing usable was read for a goal that did not exist yet.
	default:
		res.Goal = &revised
	}
	return res, nil
}

// read reads lower; with spans it also returns where each token lies in lower, for
// the reading's sources.
func (s *Specialist) read(lower string, spans bool) (reading, []agents.Span) {
	t, w := s.table, s.words
	if t == nil {
		t = defaultTable()
	}
	if w == nil {
		w = defaultWords()
	}
	toks, pos := tokenizeAt(lower, spans)
	notes := correctTypos(toks, t, s.typoIndex())
	r := goalRead(toks, t, w)
	for _, n := range notes {
		r.note(n)
	}
	return r, pos
}

// defaultTypos indexes the one-word objective phrases of the embedded table for
// misspellings.
var defaultTypos = sync.OnceValue(func() *typo.Index {
	return typo.New(defaultTable().oneWord, defaultTable().oneWordObjective, defaultWords().notTypos, defaultWords().typoMinLetters)
})

func (s *Specialist) typoIndex() *typo.Index {
	if s.typos != nil {
		return s.typos
	}
	return defaultTypos()
}

// correctTypos reads a misspelt objective word as the phrase it misspells
// ("awarness" is awareness): only a word that starts no phrase is looked up, and each
// reading gets a note, so it is never silent.
func correctTypos(toks []string, t *goalTable, x *typo.Index) []string {
	var notes []string
	for i, w := range toks {
		if len(t.byFirst[w]) > 0 {
			continue
		}
		if k, ok := x.Correct(w); ok {
			notes = append(notes, fmt.Sprintf("Read %q as %s.", w, k))
			toks[i] = k
		}
	}
	return notes
}

// Strengths of an objective phrase: a weak one only hints, a normal one names the
// goal, an emphasised one is marked as the main goal ("mainly clicks").
const (
	weak       = 1
	normal     = 2
	emphasised = 3
)

type reading struct {
	words     *vocabulary
	objective agents.Objective
	strength  int
	group     *goalGroup
	others    []agents.Objective // other objectives named outright
	negated   []agents.Objective // objectives only mentioned to reject them
	matched   bool
	// channel is the buying channel named first, otherChannel another one named
	// beside it, rejectedChannel one named only to reject it ("not programmatic").
	channel, otherChannel, rejectedChannel string
	ops                                    []goalOp
	notes                                  []string
	confidence                             float64
	// used are the words the reading came from, as tokens; see sources.
	used []tokSource
}

// tokSource is a Source in tokens: the field read from tokens [start, end).
type tokSource struct {
	field      string
	start, end int
}

// Fields of the goal, as the Brief's JSON names them, for sources.
const (
	fieldObjective = "goal.objective"
	fieldFormats   = "goal.formats"
	fieldMaxShare  = "goal.max_share"
	fieldChannel   = "goal.channel"
	fieldCue       = "" // a word that shaped a reading without setting a field
)

// use records that tokens [start, end) were read for field.
func (r *reading) use(field string, start, end int) {
	if start < end {
		if r.used == nil {
			r.used = make([]tokSource, 0, 8) // a brief's goal is read from a few phrases
		}
		r.used = append(r.used, tokSource{field: field, start: start, end: end})
	}
}

// sources turns the words used into spans of the message; pos is where each token
// lies in it.
func (r *reading) sources(pos []agents.Span) []agents.Source {
	if len(r.used) == 0 {
		return nil
	}
	slices.SortFunc(r.used, func(a, b tokSource) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.end - b.end
	})
	// Overlapping words read for one field are one source: "no more than" and "than".
	merged := r.used[:0]
	for _, u := range r.used {
		if u.start < 0 || u.end > len(pos) || u.start >= u.end {
			continue
		}
		if n := len(merged); n > 0 && merged[n-1].field == u.field && u.start < merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, u.end)
			continue
		}
		merged = append(merged, u)
	}
	out := make([]agents.Source, len(merged))
	for k, u := range merged {
		out[k] = agents.SourceAt(u.field, pos[u.start].Start, pos[u.end-1].End)
	}
	return out
}

func (r reading) found() bool {
	return r.matched || len(r.ops) > 0 || len(r.notes) > 0 || r.channel != "" || r.rejectedChannel != ""
}

func goalRead(toks []string, t *goalTable, w *vocabulary) reading {
	r := reading{words: w, confidence: 1}
	matches := matchPhrases(toks, t)
	if own := w.ownPodcasts(toks); len(own) > 0 {
		matches = append(matches, own...)
		slices.SortStableFunc(matches, func(a, b match) int { return a.start - b.start })
	}
	r.readObjective(toks, matches)
	r.readFormats(toks)
	r.readChannel(toks)
	return r
}

// readChannel reads the buying channel a brief names ("through our Spotify rep",
// "programmatic"): the first one named wins; one named only to reject it is kept
// apart, to drop it from the goal on a follow-up.
func (r *reading) readChannel(toks []string) {
	v := r.words
	for i := 0; i < len(toks); {
		var hit *channelPhrase
		for k, p := range v.channels[toks[i]] {
			if len(p.words) <= len(toks)-i && slices.Equal(toks[i:i+len(p.words)], p.words) {
				hit = &v.channels[toks[i]][k]
				break
			}
		}
		if hit == nil {
			i++
			continue
		}
		end := i + len(hit.words)
		r.use(fieldChannel, i, end)
		switch neg := v.negatedAt(toks, i); {
		case neg >= 0:
			r.use(fieldCue, neg, i)
			r.rejectedChannel = hit.channel
		case r.channel == "":
			r.channel = hit.channel
		case hit.channel != r.channel && r.otherChannel == "":
			r.otherChannel = hit.channel
		}
		i = end
	}
}

func clone(g agents.Goal) agents.Goal {
	c := g
	c.Formats = slices.Clone(g.Formats)
	if g.MaxShare != nil {
		c.MaxShare = maps.Clone(g.MaxShare)
	}
	return c
}

func equal(a, b agents.Goal) bool {
	return a.Objective == b.Objective && a.Channel == b.Channel && slices.Equal(a.Formats, b.Formats) &&
		len(a.MaxShare) == len(b.MaxShare) && maps.Equal(a.MaxShare, b.MaxShare)
}
