package goal

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/adplan/adplan/agents"
)

// The goal specialist reads what the advertiser wants (one Spotify Ads API v3
// objective) and which asset formats they allow, with caps on a format's share of the
// budget. Phrases that name an objective live in data/goal_phrases.json; the grammar
// of format limits ("no video", "keep video under 20%") is in goal_formats.go.
//
// Readings chosen where the brief leaves room, so that users and tests can rely on them:
//   - "reach <someone>" ("reach 18-24 year olds in Germany") is a weak REACH: it sets
//     REACH with confidence 0.6 on a first brief, loses to any objective named outright,
//     and never replaces an objective on a follow-up ("let's reach women too").
//   - Promoting a music release ("my new single") is REACH with a note: the Ads API has
//     no objective for music streams, and reach is what a release campaign buys.
//   - Sign-ups to a product are CONVERSIONS; sign-ups to a newsletter, waitlist or
//     webinar are LEAD_GEN.
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

//go:embed data/goal_phrases.json
var phrasesJSON []byte

var _ agents.Specialist = (*Specialist)(nil)

// Specialist reads the goal slot: objective, allowed formats and format caps.
type Specialist struct {
	table *goalTable
	words *vocabulary
}

// New returns the rule-based goal specialist.
func New() *Specialist {
	return &Specialist{table: defaultTable(), words: defaultWords()}
}

// Slot is SlotGoal.
func (s *Specialist) Slot() agents.Slot { return agents.SlotGoal }

// Touches reports whether the message names an objective (even to reject it) or limits
// formats.
func (s *Specialist) Touches(m agents.Message) bool {
	return s.read(m.Lower).found()
}

// Run reads the goal from a first brief, or revises req.Current's goal on a follow-up.
func (s *Specialist) Run(_ context.Context, req agents.Request) (agents.Result, error) {
	r := s.read(req.Message.Lower)
	if !r.found() {
		return agents.Result{}, nil
	}
	var current agents.Goal
	if req.FollowUp && req.Current.Goal != nil {
		current = clone(*req.Current.Goal)
	}
	revised, notes, confidence := r.apply(current, req.FollowUp)
	res := agents.Result{Confidence: confidence, Notes: notes}
	switch {
	case req.FollowUp && req.Current.Goal != nil && equal(revised, *req.Current.Goal):
		if r.objective != "" && r.strength >= normal || len(r.ops) > 0 {
			res.Notes = append(res.Notes, "The goal already says that; nothing changed.")
		}
	case revised.IsEmpty() && (!req.FollowUp || req.Current.Goal == nil):
		// Nothing usable was read for a goal that did not exist yet.
	default:
		res.Goal = &revised
	}
	return res, nil
}

func (s *Specialist) read(lower string) reading {
	t, w := s.table, s.words
	if t == nil {
		t = defaultTable()
	}
	if w == nil {
		w = defaultWords()
	}
	return goalRead(tokenize(lower), t, w)
}

// Strengths of an objective phrase: a weak one only hints, a normal one names the
// goal, an emphasised one is marked as the main goal ("mainly clicks").
const (
	weak       = 1
	normal     = 2
	emphasised = 3
)

// Asset formats as bits, so that sets of them are cheap to combine.
const (
	audio uint8 = 1 << iota
	video
	image
	anyFormat = audio | video | image
)

var formatBits = []struct {
	bit  uint8
	name string
	word string
}{
	{audio, agents.FormatAudio, "audio"},
	{video, agents.FormatVideo, "video"},
	{image, agents.FormatImage, "display"},
}

// compatible lists the formats each objective can run on, from the Ads API's
// descriptions of its objectives; objectives it says nothing about take any format.
var compatible = map[agents.Objective]uint8{
	agents.ObjectiveReach:                  audio | video,
	agents.ObjectiveClicks:                 audio | video,
	agents.ObjectiveWebsiteVisits:          audio | video,
	agents.ObjectiveVideoViews:             video,
	agents.ObjectivePodcastStreams:         audio,
	agents.ObjectiveLeadGen:                audio,
	agents.ObjectiveEvenImpressionDelivery: anyFormat,
	agents.ObjectiveAppInstalls:            anyFormat,
	agents.ObjectiveConversions:            anyFormat,
}

// The share given to a vague limit on a format; see the file comment.
const vagueCap = 0.25

type goalTable struct {
	// byFirst holds the phrases by their first word, longest first.
	byFirst map[string][]phrase
}

type phrase struct {
	words []string
	group *goalGroup
}

type goalGroup struct {
	objective  agents.Objective // "" for phrases that only block shorter ones
	strength   int
	endStrong  bool
	confidence float64
	note       string
	near       []goalNear
}

type goalNear struct {
	objective agents.Objective
	strength  int // 0 keeps the group's strength
	words     map[string]bool
}

type tableFile struct {
	Groups []struct {
		Objective  agents.Objective `json:"objective"`
		Strength   string           `json:"strength"`
		EndStrong  bool             `json:"end_strong"`
		Confidence float64          `json:"confidence"`
		Note       string           `json:"note"`
		Phrases    []string         `json:"phrases"`
		Near       []struct {
			Objective agents.Objective `json:"objective"`
			Strength  string           `json:"strength"`
			Words     []string         `json:"words"`
		} `json:"near"`
	} `json:"groups"`
}

// defaultTable loads the embedded table on first use; it is compiled into the binary
// and checked by the tests, so a failure here is a build defect, not an input problem.
var defaultTable = sync.OnceValue(func() *goalTable {
	t, err := loadTable(phrasesJSON)
	if err != nil {
		panic(err)
	}
	return t
})

func loadTable(data []byte) (*goalTable, error) {
	var f tableFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("reading goal phrase table: %w", err)
	}
	t := &goalTable{byFirst: map[string][]phrase{}}
	seen := map[string]bool{}
	for i, g := range f.Groups {
		if g.Objective != "" && !slices.Contains(agents.Objectives, g.Objective) {
			return nil, fmt.Errorf("loading goal phrase group %d: unknown objective %q", i, g.Objective)
		}
		strength, err := parseStrength(g.Strength, g.Objective != "")
		if err != nil {
			return nil, fmt.Errorf("loading goal phrase group %d: %w", i, err)
		}
		if g.Confidence < 0 || g.Confidence > 1 {
			return nil, fmt.Errorf("loading goal phrase group %d: confidence %v outside 0..1", i, g.Confidence)
		}
		group := &goalGroup{objective: g.Objective, strength: strength, endStrong: g.EndStrong,
			confidence: g.Confidence, note: g.Note}
		for _, n := range g.Near {
			if !slices.Contains(agents.Objectives, n.Objective) {
				return nil, fmt.Errorf("loading goal phrase group %d: unknown near objective %q", i, n.Objective)
			}
			ns := 0
			if n.Strength != "" {
				if ns, err = parseStrength(n.Strength, true); err != nil {
					return nil, fmt.Errorf("loading goal phrase group %d: %w", i, err)
				}
			}
			words := map[string]bool{}
			for _, w := range n.Words {
				words[w] = true
			}
			group.near = append(group.near, goalNear{objective: n.Objective, strength: ns, words: words})
		}
		if len(g.Phrases) == 0 {
			return nil, fmt.Errorf("loading goal phrase group %d: no phrases", i)
		}
		for _, p := range g.Phrases {
			words := tokenize(agents.Normalize(p))
			key := strings.Join(words, " ")
			if len(words) == 0 || slices.ContainsFunc(words, isMark) {
				return nil, fmt.Errorf("loading goal phrase %q: not a run of words", p)
			}
			if seen[key] {
				return nil, fmt.Errorf("loading goal phrase %q: listed twice", p)
			}
			seen[key] = true
			t.byFirst[words[0]] = append(t.byFirst[words[0]], phrase{words: words, group: group})
		}
	}
	for _, ps := range t.byFirst {
		slices.SortStableFunc(ps, func(a, b phrase) int { return len(b.words) - len(a.words) })
	}
	return t, nil
}

func parseStrength(s string, needed bool) (int, error) {
	switch s {
	case "weak":
		return weak, nil
	case "normal":
		return normal, nil
	case "":
		if !needed {
			return 0, nil
		}
	}
	return 0, fmt.Errorf("strength %q is neither weak nor normal", s)
}

// tokenize splits normalised text into words and marks. Hyphens, underscores and
// other symbols separate words; apostrophes are dropped ("don't" → "dont"). Marks are
// "." for a sentence end (.;!?), "," for a clause break (,:()), and "%", "+", "&", "/",
// "<" as written. Dots, commas and slashes between digits stay inside the number
// ("12.5", "1,500", "1/3").
func tokenize(s string) []string {
	toks := make([]string, 0, len(s)/5+1)
	start, apostrophe := -1, false
	flush := func(end int) {
		if start >= 0 {
			w := s[start:end]
			if apostrophe {
				w = strings.ReplaceAll(w, "'", "")
			}
			if w != "" {
				toks = append(toks, w)
			}
		}
		start, apostrophe = -1, false
	}
	prevDigit := false
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			prevDigit = r >= '0' && r <= '9'
			continue
		case r == '\'' && start >= 0:
			apostrophe = true
			continue
		case (r == '.' || r == ',' || r == '/') && start >= 0 && prevDigit && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			continue
		}
		prevDigit = false
		flush(i)
		switch r {
		case '.', ';', '!', '?':
			toks = append(toks, ".")
		case ',', ':', '(', ')', '[', ']':
			toks = append(toks, ",")
		case '%', '+', '&', '/', '<':
			toks = append(toks, string(r))
		case '≤':
			toks = append(toks, "<")
		}
	}
	flush(len(s))
	return toks
}

func isMark(w string) bool {
	switch w {
	case ".", ",", "%", "+", "&", "/", "<":
		return true
	}
	return false
}

// isBreak reports whether w ends a clause for the purpose of looking around a word.
func isBreak(w string) bool { return w == "." || w == "," || w == "but" }

type match struct {
	start, end int
	group      *goalGroup
	objective  agents.Objective
	base       int // strength from the table and its near rules
	strength   int // after emphasis in the sentence
	negated    bool
}

type opKind int

const (
	opSet     opKind = iota // exactly these formats
	opExclude               // not these formats
	opInclude               // these formats beside audio, or beside what is allowed
	opLift                  // lift any restriction on these formats
	opCap                   // cap these formats' share at share
	opUncap                 // remove the cap on these formats
)

type goalOp struct {
	kind   opKind
	bits   uint8
	share  float64
	reason string // note for a cap read from vague words or a bare share
	vague  bool   // a cap read from vague words: never loosens a tighter cap
}

type reading struct {
	words      *vocabulary
	objective  agents.Objective
	strength   int
	group      *goalGroup
	others     []agents.Objective // other objectives named outright
	negated    []agents.Objective // objectives only mentioned to reject them
	matched    bool
	ops        []goalOp
	notes      []string
	confidence float64
}

func (r reading) found() bool {
	return r.matched || len(r.ops) > 0 || len(r.notes) > 0
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
	return r
}

// matchPhrases finds objective phrases, the longest one starting leftmost first.
func matchPhrases(toks []string, t *goalTable) []match {
	var out []match
	for i := 0; i < len(toks); {
		var hit *phrase
		for k, p := range t.byFirst[toks[i]] {
			if len(p.words) <= len(toks)-i && slices.Equal(toks[i:i+len(p.words)], p.words) {
				hit = &t.byFirst[toks[i]][k]
				break
			}
		}
		if hit == nil {
			i++
			continue
		}
		end := i + len(hit.words)
		if hit.group.objective != "" {
			out = append(out, match{start: i, end: end, group: hit.group,
				objective: hit.group.objective, base: hit.group.strength})
		}
		i = end
	}
	return out
}

var ownPodcastGroup = &goalGroup{objective: agents.ObjectivePodcastStreams, strength: normal}

// ownPodcasts finds the advertiser's own podcast named with words in between:
// "our new true crime podcast", "my weekly podcast". ("our podcast" is in the table.)
func (v *vocabulary) ownPodcasts(toks []string) []match {
	var out []match
	for i, w := range toks {
		if !v.podcastOwners.has(w) {
			continue
		}
		for j := i + 2; j < len(toks) && j <= i+4; j++ {
			if v.podcastNouns.has(toks[j]) {
				out = append(out, match{start: i, end: j + 1, group: ownPodcastGroup,
					objective: agents.ObjectivePodcastStreams, base: normal})
				break
			}
			if isMark(toks[j]) || v.notInPodcastName.has(toks[j]) {
				break
			}
		}
	}
	return out
}

func (r *reading) readObjective(toks []string, matches []match) {
	if len(matches) == 0 {
		return
	}
	r.matched = true
	type standing struct {
		strength, first int
		base            int
		group           *goalGroup
	}
	best := map[agents.Objective]*standing{}
	negatedOnly := map[agents.Objective]bool{}
	var order []agents.Objective
	for i := range matches {
		m := &matches[i]
		retarget(toks, m)
		m.strength = m.base
		if m.group.endStrong && m.strength == weak && (m.end == len(toks) || isBreak(toks[m.end])) {
			m.strength, m.base = normal, normal
		}
		m.negated = r.words.negatedAt(toks, m.start)
		if m.negated {
			if best[m.objective] == nil {
				negatedOnly[m.objective] = true
			}
			continue
		}
		delete(negatedOnly, m.objective)
		if m.base >= normal {
			switch {
			case lookBack(toks, m.start, 3, r.words.mainBefore) || lookAhead(toks, m.end, 2, r.words.mainAfter):
				m.strength = emphasised
			case lookBack(toks, m.start, 3, r.words.sideBefore) || lookAhead(toks, m.end, 2, r.words.sideAfter) ||
				r.words.sideAfterPhrases.startAt(toks, m.end, len(toks)):
				m.strength = weak
			}
		}
		st := best[m.objective]
		if st == nil {
			st = &standing{strength: m.strength, first: m.start, base: m.base, group: m.group}
			best[m.objective] = st
			order = append(order, m.objective)
			continue
		}
		if m.strength > st.strength {
			st.strength, st.group = m.strength, m.group
		}
		st.base = max(st.base, m.base)
	}
	for _, o := range agents.Objectives {
		if negatedOnly[o] {
			r.negated = append(r.negated, o)
		}
	}
	for _, o := range order {
		st := best[o]
		if r.objective == "" || st.strength > r.strength {
			r.objective, r.strength, r.group = o, st.strength, st.group
		}
	}
	for _, o := range order {
		if o != r.objective && best[o].base >= normal {
			r.others = append(r.others, o)
		}
	}
}

// retarget applies a group's near rules: a word of the rule in the same sentence,
// a dozen words either side, makes the match that rule's objective.
func retarget(toks []string, m *match) {
	if len(m.group.near) == 0 {
		return
	}
	lo, hi := max(0, m.start-12), min(len(toks), m.end+12)
	for i := m.start - 1; i >= lo; i-- {
		if toks[i] == "." {
			lo = i + 1
			break
		}
	}
	for i := m.end; i < hi; i++ {
		if toks[i] == "." {
			hi = i
			break
		}
	}
	for _, n := range m.group.near {
		for i := lo; i < hi; i++ {
			if (i < m.start || i >= m.end) && n.words[toks[i]] {
				m.objective = n.objective
				if n.strength != 0 {
					m.base = n.strength
				}
				return
			}
		}
	}
}

// negatedAt reports whether the words just before start, in the same clause,
// reject what follows ("not clicks", "instead of reach", "don't care about installs").
// "not just clicks" is not a rejection.
func (v *vocabulary) negatedAt(toks []string, start int) bool {
	for i := start - 1; i >= 0 && i >= start-3; i-- {
		w := toks[i]
		if isBreak(w) {
			return false
		}
		needs, ok := v.objectiveNegators[w]
		if !ok {
			continue
		}
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		if v.negationUndoneBy.has(next) || needs != "" && next != needs {
			continue
		}
		return true
	}
	return false
}

func lookBack(toks []string, start, n int, words wordSet) bool {
	for i := start - 1; i >= 0 && i >= start-n; i-- {
		if isBreak(toks[i]) {
			return false
		}
		if words.has(toks[i]) {
			return true
		}
	}
	return false
}

func lookAhead(toks []string, end, n int, words wordSet) bool {
	for i := end; i < len(toks) && i < end+n; i++ {
		if isBreak(toks[i]) {
			return false
		}
		if words.has(toks[i]) {
			return true
		}
	}
	return false
}

func bitsOf(formats []string) uint8 {
	if len(formats) == 0 {
		return anyFormat
	}
	var bits uint8
	for _, f := range formatBits {
		if slices.Contains(formats, f.name) {
			bits |= f.bit
		}
	}
	if bits == 0 {
		return anyFormat
	}
	return bits
}

func formatsOf(bits uint8) []string {
	if bits == anyFormat || bits == 0 {
		return nil
	}
	var out []string
	for _, f := range formatBits {
		if bits&f.bit != 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// apply revises g by the reading and returns it with the notes for the user and the
// reading's confidence.
func (r reading) apply(g agents.Goal, followUp bool) (agents.Goal, []string, float64) {
	notes := slices.Clone(r.notes)
	note := func(n string) {
		if !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	confidence := r.confidence
	before := g.Objective
	allowed := bitsOf(g.Formats)
	caps := map[string]float64{}
	for _, f := range formatBits {
		if v, ok := g.MaxShare[f.name]; ok && v > 0 && v < 1 && allowed&f.bit != 0 {
			caps[f.name] = v
		}
	}
	uncap := func(bits uint8) {
		for _, f := range formatBits {
			if bits&f.bit != 0 {
				delete(caps, f.name)
			}
		}
	}
	formatsChanged := false
	for _, op := range r.ops {
		formatsChanged = true
		switch op.kind {
		case opSet:
			allowed = op.bits
		case opExclude:
			if allowed&^op.bits == 0 {
				note(fmt.Sprintf("Ignored excluding %s: no format would be left.", goalNames(op.bits)))
				confidence = min(confidence, 0.7)
				continue
			}
			allowed &^= op.bits
		case opInclude:
			if allowed == anyFormat {
				allowed = audio | op.bits
				for _, f := range formatBits {
					if _, ok := caps[f.name]; ok {
						allowed |= f.bit
					}
				}
			} else {
				allowed |= op.bits
			}
		case opLift:
			allowed |= op.bits
			uncap(op.bits)
		case opUncap:
			uncap(op.bits)
		case opCap:
			if op.share <= 0 {
				if allowed&^op.bits != 0 {
					allowed &^= op.bits
				}
				continue
			}
			if op.reason != "" {
				note(op.reason)
				confidence = min(confidence, 0.8)
			}
			if allowed&op.bits != op.bits {
				note(fmt.Sprintf("Allowed %s again, within its cap.", goalNames(op.bits&^allowed)))
				allowed |= op.bits
			}
			for _, f := range formatBits {
				if op.bits&f.bit != 0 {
					switch v, ok := caps[f.name]; {
					case op.vague && ok && v < op.share:
						// "less video" keeps a tighter cap already set.
					case op.share >= 1:
						delete(caps, f.name)
					default:
						caps[f.name] = op.share
					}
				}
			}
		}
	}

	// The objective: a weak hint never replaces one already set on a follow-up.
	switch {
	case r.objective != "" && !(followUp && g.Objective != "" && r.strength < normal):
		g.Objective = r.objective
		if r.group != nil && r.group.note != "" && r.objective == r.group.objective {
			note(r.group.note)
		}
		if r.strength < normal {
			c := 0.6
			if r.group != nil && r.group.confidence > 0 {
				c = r.group.confidence
			}
			confidence = min(confidence, c)
		}
		if len(r.others) > 0 {
			var others []string
			for _, o := range r.others {
				others = append(others, string(o))
			}
			note(fmt.Sprintf("A campaign has one objective: planned for %s; %s was also mentioned.", r.objective, strings.Join(others, " and ")))
			confidence = min(confidence, 0.8)
		}
	case r.objective == "" && followUp && g.Objective != "" && slices.Contains(r.negated, g.Objective):
		note(fmt.Sprintf("Dropped the objective %s; no other was named.", g.Objective))
		g.Objective = ""
	}

	// Formats the objective cannot run on. When this message changed the objective and
	// said nothing about formats, the new objective wins over the older limits;
	// otherwise both stay and the note tells the user.
	if compat, ok := compatible[g.Objective]; ok && compat != anyFormat {
		lift := followUp && g.Objective != before && !formatsChanged
		need := firstBit(compat)
		if allowed&compat == 0 {
			if lift {
				allowed |= need
				note(fmt.Sprintf("Allowed %s again: %s runs on %s.", goalNames(need), g.Objective, goalNames(compat)))
			} else {
				note(fmt.Sprintf("%s runs on %s, which the brief does not allow; these conflict.", g.Objective, or(compat)))
			}
		}
		if compat == need {
			name := formatName(need)
			if v, ok := caps[name]; ok && allowed&need != 0 {
				if lift {
					delete(caps, name)
					note(fmt.Sprintf("Removed the %s cap on %s: %s runs only on %s.", percent(v), goalNames(need), g.Objective, goalNames(need)))
				} else {
					note(fmt.Sprintf("%s runs only on %s, but %s is capped at %s of the budget; these conflict.", g.Objective, goalNames(need), goalNames(need), percent(v)))
				}
			}
		}
	}

	g.Formats = formatsOf(allowed)
	g.MaxShare = nil
	for _, f := range formatBits {
		if v, ok := caps[f.name]; ok && allowed&f.bit != 0 {
			if g.MaxShare == nil {
				g.MaxShare = map[string]float64{}
			}
			g.MaxShare[f.name] = v
		}
	}
	return g, notes, confidence
}

func firstBit(bits uint8) uint8 {
	for _, f := range formatBits {
		if bits&f.bit != 0 {
			return f.bit
		}
	}
	return 0
}

func formatName(bit uint8) string {
	for _, f := range formatBits {
		if f.bit == bit {
			return f.name
		}
	}
	return ""
}

func or(bits uint8) string {
	return strings.Replace(goalNames(bits), " and ", " or ", 1)
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
	return a.Objective == b.Objective && slices.Equal(a.Formats, b.Formats) &&
		len(a.MaxShare) == len(b.MaxShare) && maps.Equal(a.MaxShare, b.MaxShare)
}
