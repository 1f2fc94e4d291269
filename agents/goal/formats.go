package goal

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// The grammar of format limits: which asset formats a brief allows ("no video",
// "audio only", "audio and video") and caps on a format's share of the budget ("keep
// video under 20%", "video no more than a third"). Each clause is read on its own;
// a clause break inside a list of formats ("audio, video and display") does not count.

// mention is a run of format words: "video", "audio and video ads", "display".
type mention struct {
	bits       uint8
	start, end int
	capNoun    bool // "video cap", "video limit"
	used       bool
	borrowed   bool // read again with the share in the next clause
}

// formatAt reads one format word at i with the nouns after it ("video ads").
func (v *vocabulary) formatAt(toks []string, i int) (bits uint8, end int, capNoun, ok bool) {
	bits = v.formats[toks[i]]
	if bits == 0 {
		return 0, 0, false, false
	}
	end = i + 1
	if end < len(toks) && v.notFormatAfter.has(toks[end]) {
		return 0, 0, false, false
	}
	if i > 0 && v.notFormatBefore[bits].has(toks[i-1]) {
		return 0, 0, false, false
	}
	for end < len(toks) && end < i+3 {
		switch {
		case v.formatNouns.has(toks[end]):
			end++
			continue
		case v.capNouns.has(toks[end]):
			capNoun = true
			end++
		}
		break
	}
	return bits, end, capNoun, true
}

// mentions finds format words, joining lists ("audio, video and display").
func (v *vocabulary) mentions(toks []string) []mention {
	var out []mention
	for i := 0; i < len(toks); {
		bits, end, capNoun, ok := v.formatAt(toks, i)
		if !ok {
			i++
			continue
		}
		m := mention{bits: bits, start: i, end: end, capNoun: capNoun}
		for {
			j := m.end
			n := 0
			for j < len(toks) && n < 2 && v.isListJoin(toks, j) {
				if toks[j] == "as" {
					j += 2 // "as well as"
				}
				j++
				n++
			}
			if n == 0 || j >= len(toks) {
				break
			}
			b, e, c, ok := v.formatAt(toks, j)
			if !ok {
				break
			}
			m.bits |= b
			m.end = e
			m.capNoun = m.capNoun || c
		}
		out = append(out, m)
		i = m.end
	}
	return out
}

func (v *vocabulary) isListJoin(toks []string, j int) bool {
	if v.listJoins.has(toks[j]) {
		return true
	}
	return toks[j] == "as" && j+1 < len(toks) && toks[j+1] == "well" && j+2 < len(toks) && toks[j+2] == "as"
}

// clause is a stretch of tokens between clause breaks, with its format mentions.
type clause struct {
	start, end int
	mentions   []mention
}

func (r *reading) readFormats(toks []string) {
	mentions := r.words.mentions(toks)
	if len(mentions) == 0 {
		return
	}
	// Clause breaks inside a list of formats ("audio, video and display") do not count.
	var clauses []clause
	start, mi, ci := 0, 0, 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) {
			for mi < len(mentions) && mentions[mi].end <= i {
				mi++
			}
			inList := mi < len(mentions) && mentions[mi].start <= i && i < mentions[mi].end
			nothingBut := r.words.clauseBreaks.has(toks[i]) && i > 0 && r.words.onlyBut.has(toks[i-1])
			if inList || nothingBut || !r.words.isBreak(toks[i]) {
				continue
			}
		}
		c := clause{start: start, end: i}
		for ci < len(mentions) && mentions[ci].start < c.end {
			if mentions[ci].start >= c.start && mentions[ci].end <= c.end {
				c.mentions = append(c.mentions, mentions[ci])
			}
			ci++
		}
		switch {
		case len(c.mentions) > 0:
			clauses = append(clauses, c)
		case len(clauses) > 0 && r.words.onlyClauseMarks(toks, clauses[len(clauses)-1].end, start) &&
			r.words.hasCappedShare(toks, c.start, c.end):
			// "go with video, 30% max", "video is fine but keep it under 20%": the
			// share's clause borrows the format before it.
			prev := clauses[len(clauses)-1]
			m := prev.mentions[len(prev.mentions)-1]
			m.borrowed = true
			clauses = append(clauses, clause{start: m.start, end: c.end, mentions: []mention{m}})
		}
		start = i + 1
	}
	anyCap := false
	mostly := ""
	for _, c := range clauses {
		if m := r.readClause(toks, c); m != "" && mostly == "" {
			mostly = m
		}
	}
	for _, op := range r.ops {
		anyCap = anyCap || op.kind == opCap
	}
	if mostly != "" && !anyCap {
		r.note(fmt.Sprintf("%q names no share of the budget, so no format cap was set.", mostly))
		r.confidence = min(r.confidence, 0.7)
	}
}

// onlyClauseMarks reports whether toks[lo:hi] is one or more clause marks or words of
// clause_breaks (", but"), and no sentence end.
func (v *vocabulary) onlyClauseMarks(toks []string, lo, hi int) bool {
	if lo >= hi || lo < 0 || hi > len(toks) {
		return false
	}
	for _, w := range toks[lo:hi] {
		if w != "," && w != dash && !v.clauseBreaks.has(w) {
			return false
		}
	}
	return true
}

// readClause reads the format limits of one clause. It returns the words of a
// "mostly audio" preference, which only matters when no cap was set.
func (r *reading) readClause(toks []string, c clause) (mostly string) {
	cue := r.words.cuesOf(toks[c.start:c.end])
	r.readShares(toks, c, cue.capCue)
	for j := range c.mentions {
		m := &c.mentions[j]
		if m.used || m.borrowed {
			continue
		}
		m.used = true
		if words := r.readMention(toks, c, *m, cue); words != "" {
			mostly = words
		}
	}
	return mostly
}

// readShares reads the shares of the budget in the clause, each with the nearest
// format before it, else after it, and marks those formats used.
func (r *reading) readShares(toks []string, c clause, capCue bool) {
	ms := c.mentions
	var shares []goalShare
	for i := c.start; i < c.end; i++ {
		if s, ok := r.words.shareAt(toks, i); ok && s.end <= c.end {
			shares = append(shares, s)
			i = s.end - 1
		}
	}
	for k, s := range shares {
		lo, hi := c.start, c.end
		if k > 0 {
			lo = shares[k-1].end
		}
		if k+1 < len(shares) {
			hi = shares[k+1].start
		}
		// A share goes with a format a few words away at most ("max 30% of the
		// budget on video"); looking further would cost time on long junk input.
		lo, hi = max(lo, s.start-shareReach), min(hi, s.end+shareReach)
		first, _ := slices.BinarySearchFunc(ms, lo, func(m mention, lo int) int { return m.start - lo })
		pick := -1
		for j := first; j < len(ms) && ms[j].end <= s.start; j++ {
			if !ms[j].used {
				pick = j
			}
		}
		if pick < 0 {
			for j := first; j < len(ms) && ms[j].start < hi; j++ {
				if !ms[j].used && ms[j].start >= s.end {
					pick = j
					break
				}
			}
		}
		if pick < 0 {
			continue
		}
		ms[pick].used = true
		r.readShare(toks, c, s, ms[pick], capCue)
	}
}

// readMention reads what the clause says of a format mention with no share, and
// records the words it read it from. It returns the words of a "mostly audio"
// preference, or "".
func (r *reading) readMention(toks []string, c clause, m mention, cue cues) (mostly string) {
	v := r.words
	words := toks[c.start:c.end]
	name := goalNames(m.bits)
	uncap := m.start > 0 && v.uncapBefore.has(toks[m.start-1])
	switch {
	case (m.capNoun || cue.capNoun) && cue.removal || uncap:
		kind := opUncap
		if cue.restriction {
			kind = opLift
		}
		r.ops = append(r.ops, goalOp{kind: kind, bits: m.bits})
		r.use(opField(kind), m.start, m.end)
		r.useKinds(toks, c, cueCapNoun|cueRemoval|cueRestriction)
		if uncap {
			r.use(fieldCue, m.start-1, m.start)
		}
	case m.capNoun:
		// "the video cap" with no share and no removal: nothing to apply.
		r.note(fmt.Sprintf("Saw a cap on %s but no share; give one like \"cap %s at 20%%\".", name, name))
		r.confidence = min(r.confidence, 0.7)
		r.use(fieldMaxShare, m.start, m.end)
	case cue.protect && cue.inventory:
		r.ops = append(r.ops, goalOp{kind: opCap, bits: m.bits, share: vagueCap, vague: true,
			reason: fmt.Sprintf("Read %q as not using up %s inventory: capped %s at 25%% of the budget.", quote(words), name, name)})
		r.use(fieldMaxShare, m.start, m.end)
		r.useKinds(toks, c, cueProtect|cueInventory)
	default:
		if lo, hi, ok := v.excludedAt(toks, c, m); ok {
			r.ops = append(r.ops, goalOp{kind: opExclude, bits: m.bits})
			r.use(fieldFormats, m.start, m.end)
			r.use(fieldCue, lo, hi)
			return ""
		}
		return r.readLimit(toks, c, m, cue)
	}
	return ""
}

// readLimit goes on with readMention once the mention is neither a cap's nor
// excluded: a vague cap, a restriction to it, an inclusion or a list of formats.
func (r *reading) readLimit(toks []string, c clause, m mention, cue cues) (mostly string) {
	v := r.words
	words := toks[c.start:c.end]
	name := goalNames(m.bits)
	gentle := v.gentle.endingAt(toks, c.start, m.start)
	if cue.overspend && cue.overspendNeg || cue.tooMuch || gentle >= 0 {
		r.ops = append(r.ops, goalOp{kind: opCap, bits: m.bits, share: vagueCap, vague: true,
			reason: fmt.Sprintf("Read %q as a cap of 25%% of the budget on %s.", quote(words), name)})
		r.use(fieldMaxShare, m.start, m.end)
		if cue.overspend && cue.overspendNeg {
			r.useKinds(toks, c, cueOverspend|cueOverspendNeg)
		}
		if cue.tooMuch {
			for i := c.start; i < c.end; i++ {
				if k := v.tooMuch.startingAt(toks, i, c.end); k >= 0 {
					r.use(fieldCue, i, i+len(v.tooMuch[k]))
				}
			}
		}
		if gentle >= 0 {
			r.use(fieldCue, m.start-len(v.gentle[gentle]), m.start)
		}
		return ""
	}
	if lo, hi, ok := v.restAt(toks, c, m); ok {
		r.ops = append(r.ops, goalOp{kind: opRest, bits: m.bits})
		r.use(fieldFormats, m.start, m.end)
		r.use(fieldCue, lo, hi)
		return ""
	}
	if lo, hi, ok := v.onlyAt(toks, c, m); ok {
		r.ops = append(r.ops, goalOp{kind: opSet, bits: m.bits})
		r.use(fieldFormats, m.start, m.end)
		r.use(fieldCue, lo, hi)
		return ""
	}
	in := v.includeAt(toks, c, m)
	switch {
	case in.lift || in.include:
		kind := opInclude
		if in.lift {
			kind = opLift
		}
		r.ops = append(r.ops, goalOp{kind: kind, bits: m.bits})
		r.use(fieldFormats, m.start, m.end)
		r.use(fieldCue, in.before, m.start)
		r.use(fieldCue, m.end, in.after)
	case m.bits&(m.bits-1) != 0:
		// Two or more formats named together: "audio and video".
		r.ops = append(r.ops, goalOp{kind: opSet, bits: m.bits})
		r.use(fieldFormats, m.start, m.end)
	case m.start > c.start && v.mostlyCues.has(toks[m.start-1]):
		r.use(fieldFormats, m.start-1, m.end)
		return strings.Join(toks[max(m.start-2, c.start):m.end], " ")
	case m.start > c.start+1 && v.mostlyCues.has(toks[m.start-2]):
		r.use(fieldFormats, m.start-2, m.end)
		return strings.Join(toks[m.start-2:m.end], " ")
	default:
		if verb, ok := v.boughtAt(toks, c, m); ok {
			r.ops = append(r.ops, goalOp{kind: opBuy, bits: m.bits})
			r.use(fieldFormats, m.start, m.end)
			if verb >= 0 {
				r.use(fieldCue, verb, verb+1)
			}
			if m.end < c.end && v.boughtNouns.has(toks[m.end]) && !v.formatNouns.has(toks[m.end]) {
				r.use(fieldFormats, m.end, m.end+1)
			}
		}
	}
	return ""
}

// boughtAt reports whether the clause names the mention as what the brief buys ("run
// audio ads", "a video campaign"), and the index of the verb before it, or -1; see
// bought_formats in data/goal_words.json.
func (v *vocabulary) boughtAt(toks []string, c clause, m mention) (verb int, ok bool) {
	noun := m.end < c.end && v.boughtNouns.has(toks[m.end])
	for i := m.start + 1; i < m.end && !noun; i++ {
		noun = v.boughtNouns.has(toks[i])
	}
	verb = -1
	if m.start > c.start && v.boughtVerbs.has(toks[m.start-1]) {
		verb = m.start - 1
	}
	if !noun && verb < 0 {
		return -1, false
	}
	for i := c.start; i < c.end; i++ {
		if v.passing.has(toks[i]) || i < m.start && v.onlyUndoneBy.has(toks[i]) {
			return -1, false
		}
	}
	return verb, true
}

// opField is the field of the goal an op sets.
func opField(k opKind) string {
	if k == opCap || k == opUncap {
		return fieldMaxShare
	}
	return fieldFormats
}

// useKinds records the words of the clause of the given cue kinds as cues.
func (r *reading) useKinds(toks []string, c clause, kinds cueKind) {
	for i := c.start; i < c.end; i++ {
		if r.words.clauseCues[toks[i]]&kinds != 0 {
			r.use(fieldCue, i, i+1)
		}
	}
}

// The share given to a vague limit on a format; see the package readings in goal.go.
const vagueCap = 0.25

// cues says which kinds of words a clause holds, read once per clause.
type cues struct {
	capCue, capNoun, removal, restriction, protect, inventory bool
	overspend, overspendNeg, tooMuch                          bool
}

// cueKind marks the sections of goal_words.json a word of a clause belongs to, so
// that one look-up per word reads them all.
type cueKind uint8

const (
	cueCap cueKind = 1 << iota
	cueCapNoun
	cueRemoval
	cueRestriction
	cueProtect
	cueInventory
	cueOverspend
	cueOverspendNeg
)

func (v *vocabulary) cuesOf(words []string) cues {
	var kinds cueKind
	tooMuch := false
	for i, w := range words {
		kinds |= v.clauseCues[w]
		tooMuch = tooMuch || v.tooMuch.startAt(words, i, len(words))
	}
	return cues{
		capCue: kinds&cueCap != 0, capNoun: kinds&cueCapNoun != 0, removal: kinds&cueRemoval != 0,
		restriction: kinds&cueRestriction != 0, protect: kinds&cueProtect != 0, inventory: kinds&cueInventory != 0,
		overspend: kinds&cueOverspend != 0, overspendNeg: kinds&cueOverspendNeg != 0, tooMuch: tooMuch,
	}
}

// note adds a note once: long input repeating itself must not repeat the notes.
func (r *reading) note(n string) {
	if !slices.Contains(r.notes, n) {
		r.notes = append(r.notes, n)
	}
}

// excludedAt reports a rejection of the mention: "no video", "skip the video ads",
// "we don't want to run video", "leave out display", "video is out". The words
// [lo, hi) are the rejection with the fillers it reaches across.
func (v *vocabulary) excludedAt(toks []string, c clause, m mention) (lo, hi int, ok bool) {
	i := m.start - 1
	for n := 0; i >= c.start && n < 4 && v.excludeFillers.has(toks[i]); n++ {
		i--
	}
	if i >= c.start {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		if v.excluders.has(toks[i]) && !v.negationUndoneBy.has(next) {
			return i, m.start, true
		}
		if i > c.start && v.excluderPairs[[2]string{toks[i-1], toks[i]}] {
			return i - 1, m.start, true
		}
	}
	j := m.end
	for n := 0; j < c.end && n < 2 && v.auxiliaries.has(toks[j]); n++ {
		j++
	}
	if j < c.end {
		if v.excludeAfter.has(toks[j]) {
			return m.end, j + 1, true
		}
		if v.notAfter.has(toks[j]) && (j+1 >= c.end || !v.negationUndoneBy.has(toks[j+1])) {
			return m.end, j + 1, true
		}
	}
	return 0, 0, false
}

// onlyAt reports a restriction to the mention: "audio only", "just audio", "only
// run audio ads", "stick to audio". The words [lo, hi) are the restriction with the
// fillers it reaches across.
func (v *vocabulary) onlyAt(toks []string, c clause, m mention) (lo, hi int, ok bool) {
	if m.end < c.end && v.onlyAfter.has(toks[m.end]) {
		return m.end, m.end + 1, true
	}
	i := m.start - 1
	for n := 0; i >= c.start && n < 3 && v.onlyFillers.has(toks[i]); n++ {
		if i > c.start && v.onlyPairs[[2]string{toks[i-1], toks[i]}] {
			return i - 1, m.start, true
		}
		i--
	}
	if i < c.start {
		return 0, 0, false
	}
	if i > c.start && v.onlyUndoneBy.has(toks[i-1]) {
		return 0, 0, false
	}
	if v.onlyBefore.has(toks[i]) {
		return i, m.start, true
	}
	if i > c.start && v.onlyPairs[[2]string{toks[i-1], toks[i]}] {
		return i - 1, m.start, true
	}
	return 0, 0, false
}

// restAt reports the mention given the rest of the budget: "rest audio", "the
// remainder on audio", "everything else in audio", "audio for the rest". The words
// [lo, hi) are the rest word with the fillers it reaches across.
func (v *vocabulary) restAt(toks []string, c clause, m mention) (lo, hi int, ok bool) {
	i := m.start - 1
	for n := 0; i >= c.start && n < 4 && v.restFillers.has(toks[i]) && !v.restBefore.has(toks[i]); n++ {
		i--
	}
	if i >= c.start {
		if v.restBefore.has(toks[i]) {
			return i, m.start, true
		}
		if i > c.start && v.restPairs[[2]string{toks[i-1], toks[i]}] {
			return i - 1, m.start, true
		}
	}
	// After the format only across fillers, so that "audio rest" is no rest.
	j := m.end
	for n := 0; j < c.end && n < 4 && v.restFillers.has(toks[j]) && !v.restBefore.has(toks[j]); n++ {
		j++
	}
	if j > m.end && j < c.end && v.restBefore.has(toks[j]) {
		return m.end, j + 1, true
	}
	return 0, 0, false
}

// inclusion is what includeAt read: an inclusion or a lifted restriction, and the
// words [before, mention) and [mention end, after) that say so.
type inclusion struct {
	include, lift bool
	before, after int
}

// includeAt reports an inclusion ("include video", "add display", "video too") or a
// lifted restriction ("allow video again", "video is fine", "bring back video").
func (v *vocabulary) includeAt(toks []string, c clause, m mention) inclusion {
	in := inclusion{before: m.start, after: m.end}
	check := func(w string) bool {
		inc, lift := v.includeCues.has(w), v.liftCues.has(w)
		in.include = in.include || inc
		in.lift = in.lift || lift
		return inc || lift
	}
	i := m.start - 1
	for n := 0; i >= c.start && n < 3; n++ {
		w := toks[i]
		if check(w) {
			in.before = i
		}
		if !v.includeFillers.has(w) {
			break
		}
		i--
	}
	j := m.end
	for n := 0; j < c.end && n < 3; n++ {
		w := toks[j]
		if v.auxiliaries.has(w) {
			j++
			continue
		}
		if check(w) {
			in.after = j + 1
		}
		if k := v.includeAfterPhrases.startingAt(toks, j, c.end); k >= 0 {
			in.include = true
			in.after = max(in.after, j+len(v.includeAfterPhrases[k]))
		}
		if !v.liftCues.has(w) && !v.includeCues.has(w) {
			break
		}
		j++
	}
	return in
}

// quote writes a clause back for a note, shortened to about 80 bytes.
func quote(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if b.Len() > 80 {
			break
		}
	}
	q := b.String()
	if len(q) > 80 {
		cut := 77
		for cut > 0 && !utf8.RuneStart(q[cut]) {
			cut--
		}
		q = q[:cut] + "..."
	}
	return q
}
