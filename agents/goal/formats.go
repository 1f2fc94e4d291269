package goal

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/adplan/adplan/agents/numbers"
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

var formatWords = map[string]uint8{
	"audio": audio, "video": video, "videos": video, "display": image,
	"image": image, "images": image, "banner": image, "banners": image,
	"imagery": image,
}

// Words after a format word that make it something else: "video games", "video
// views" (an objective), "audiobook", "display name".
var notFormatAfter = map[string]bool{
	"game": true, "games": true, "gamers": true, "gamer": true, "gaming": true, "views": true,
	"view": true, "viewers": true, "viewer": true, "completions": true, "completion": true,
	"plays": true, "call": true, "calls": true, "book": true, "books": true, "quality": true,
	"name": true, "names": true, "streams": true, "stream": true,
}

var formatNouns = map[string]bool{
	"ads": true, "ad": true, "spots": true, "spot": true, "creative": true, "creatives": true,
	"assets": true, "asset": true, "formats": true, "format": true, "units": true, "unit": true,
	"inventory": true, "placements": true, "campaign": true, "campaigns": true, "content": true,
	"share": true, "spend": true, "budget": true,
}

var capNouns = map[string]bool{
	"cap": true, "caps": true, "limit": true, "limits": true, "ceiling": true,
	"restriction": true, "restrictions": true,
}

// formatAt reads one format word at i with the nouns after it ("video ads").
func formatAt(toks []string, i int) (bits uint8, end int, capNoun, ok bool) {
	bits = formatWords[toks[i]]
	if bits == 0 {
		return 0, 0, false, false
	}
	end = i + 1
	if end < len(toks) && notFormatAfter[toks[end]] {
		return 0, 0, false, false
	}
	if bits == image && i > 0 && toks[i-1] == "brand" {
		return 0, 0, false, false
	}
	for end < len(toks) && end < i+3 {
		switch {
		case formatNouns[toks[end]]:
			end++
			continue
		case capNouns[toks[end]]:
			capNoun = true
			end++
		}
		break
	}
	return bits, end, capNoun, true
}

// goalMentions finds format words, joining lists ("audio, video and display").
func goalMentions(toks []string) []mention {
	var out []mention
	for i := 0; i < len(toks); {
		bits, end, capNoun, ok := formatAt(toks, i)
		if !ok {
			i++
			continue
		}
		m := mention{bits: bits, start: i, end: end, capNoun: capNoun}
		for {
			j := m.end
			n := 0
			for j < len(toks) && n < 2 && isListJoin(toks, j) {
				if toks[j] == "as" {
					j++
				}
				j++
				n++
			}
			if n == 0 || j >= len(toks) {
				break
			}
			b, e, c, ok := formatAt(toks, j)
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

func isListJoin(toks []string, j int) bool {
	switch toks[j] {
	case ",", "and", "or", "&", "+", "/", "plus":
		return true
	case "as":
		return j+1 < len(toks) && toks[j+1] == "well" && j+2 < len(toks) && toks[j+2] == "as"
	}
	return false
}

// goalShare is a share of the budget written in the text: "20%", "a third".
type goalShare struct {
	value      float64
	start, end int
	text       string
}

var fractions = []struct {
	words []string
	value float64
}{
	{[]string{"two", "thirds"}, 2.0 / 3}, {[]string{"three", "quarters"}, 0.75},
	{[]string{"a", "third"}, 1.0 / 3}, {[]string{"one", "third"}, 1.0 / 3},
	{[]string{"a", "quarter"}, 0.25}, {[]string{"one", "quarter"}, 0.25},
	{[]string{"a", "fourth"}, 0.25}, {[]string{"one", "fourth"}, 0.25},
	{[]string{"a", "fifth"}, 0.2}, {[]string{"one", "fifth"}, 0.2},
	{[]string{"a", "tenth"}, 0.1}, {[]string{"one", "tenth"}, 0.1},
	{[]string{"a", "half"}, 0.5}, {[]string{"one", "half"}, 0.5}, {[]string{"half"}, 0.5},
}

func shareAt(toks []string, i int) (goalShare, bool) {
	w := toks[i]
	switch w {
	case "a", "one", "two", "three", "half":
		if w == "half" && i > 0 && (toks[i-1] == "first" || toks[i-1] == "second" || toks[i-1] == "a" || toks[i-1] == "one") {
			return goalShare{}, false
		}
		for _, f := range fractions {
			if len(f.words) <= len(toks)-i && slices.Equal(toks[i:i+len(f.words)], f.words) {
				end := i + len(f.words)
				return goalShare{value: f.value, start: i, end: end, text: strings.Join(toks[i:end], " ")}, true
			}
		}
	}
	if w[0] >= '0' && w[0] <= '9' {
		if n, d, ok := strings.Cut(w, "/"); ok {
			num, err1 := strconv.Atoi(n)
			den, err2 := strconv.Atoi(d)
			if err1 == nil && err2 == nil && num > 0 && den > 0 && den <= 100 {
				return goalShare{value: float64(num) / float64(den), start: i, end: i + 1, text: w}, true
			}
			return goalShare{}, false
		}
	} else if _, ok := numbers.Units[w]; !ok {
		return goalShare{}, false
	}
	v, used, ok := numbers.ReadWords(toks[i:min(len(toks), i+6)])
	if !ok || i+used >= len(toks) {
		return goalShare{}, false
	}
	end := i + used
	switch toks[end] {
	case "%", "percent", "pct":
		end++
	case "per":
		if end+1 >= len(toks) || toks[end+1] != "cent" {
			return goalShare{}, false
		}
		end += 2
	default:
		return goalShare{}, false
	}
	return goalShare{value: v / 100, start: i, end: end, text: percent(v / 100)}, true
}

func percent(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/10, 'f', -1, 64) + "%"
}

// Words of format limits.
var (
	capCues = map[string]bool{
		"under": true, "below": true, "less": true, "max": true, "maximum": true, "most": true,
		"up": true, "cap": true, "capped": true, "caps": true, "capping": true, "limit": true,
		"limited": true, "limiting": true, "keep": true, "within": true, "exceed": true,
		"tops": true, "ceiling": true, "only": true, "just": true, "than": true, "<": true,
		"lower": true, "beneath": true, "upto": true, "cut": true, "reduce": true,
	}
	removalCues = map[string]bool{
		"no": true, "remove": true, "removing": true, "drop": true, "dropping": true, "lift": true,
		"lifting": true, "without": true, "uncap": true, "uncapped": true, "scrap": true,
		"forget": true, "ditch": true, "kill": true, "rid": true, "lose": true, "cancel": true,
		"undo": true, "unlimited": true, "unrestricted": true,
	}
	protectCues = map[string]bool{
		"protect": true, "protecting": true, "preserve": true, "preserving": true, "conserve": true,
		"spare": true, "save": true, "saving": true,
	}
	overspendCues = map[string]bool{
		"blow": true, "blowing": true, "blew": true, "blown": true, "burn": true, "burning": true,
		"waste": true, "wasting": true, "splurge": true, "splurging": true, "overspend": true,
		"overspending": true, "overdo": true, "overdoing": true, "overboard": true, "whole": true,
		"entire": true, "everything": true, "all": true,
	}
	overspendNegators = map[string]bool{
		"without": true, "dont": true, "not": true, "never": true, "avoid": true, "no": true,
		"rather": true, "careful": true, "wont": true, "shouldnt": true,
	}
	mostlyCues = map[string]bool{
		"mostly": true, "mainly": true, "primarily": true, "predominantly": true, "largely": true,
		"heavily": true, "majority": true,
	}
	excluders = map[string]bool{
		"no": true, "skip": true, "skipping": true, "without": true, "exclude": true,
		"excluding": true, "drop": true, "dropping": true, "remove": true, "removing": true,
		"avoid": true, "avoiding": true, "ditch": true, "lose": true, "cut": true, "minus": true,
		"nix": true, "not": true, "dont": true, "never": true, "zero": true, "ban": true,
		"forget": true, "none": true, "stop": true, "pause": true, "kill": true, "scrap": true,
		"nothing": true,
	}
	excluderPairs = map[[2]string]bool{
		{"leave", "out"}: true, {"take", "out"}: true, {"rule", "out"}: true, {"cut", "out"}: true,
		{"away", "from"}: true, {"clear", "of"}: true, {"rid", "of"}: true, {"none", "of"}: true,
		{"hold", "off"}: true,
	}
	excludeFillers = map[string]bool{
		"the": true, "any": true, "a": true, "an": true, "of": true, "our": true, "my": true,
		"more": true, "run": true, "use": true, "do": true, "include": true, "buy": true,
		"have": true, "want": true, "to": true, "need": true, "running": true, "using": true,
		"doing": true, "on": true, "with": true, "for": true,
	}
	excludeAfter = map[string]bool{
		"out": true, "excluded": true, "banned": true, "off": true,
	}
	notAfter = map[string]bool{
		"not": true, "isnt": true, "arent": true, "shouldnt": true, "wont": true, "never": true,
		"cant": true,
	}
	aux = map[string]bool{
		"is": true, "are": true, "should": true, "be": true, "must": true, "will": true,
		"would": true, "can": true, "s": true,
	}
	onlyBefore = map[string]bool{
		"only": true, "just": true, "exclusively": true, "purely": true, "solely": true,
		"strictly": true,
	}
	onlyPairs = map[[2]string]bool{
		{"stick", "to"}: true, {"stick", "with"}: true, {"limit", "to"}: true,
		{"limited", "to"}: true, {"restrict", "to"}: true, {"restricted", "to"}: true,
		{"nothing", "but"}: true, {"it", "to"}: true,
	}
	onlyFillers = map[string]bool{
		"run": true, "use": true, "do": true, "want": true, "buy": true, "book": true, "the": true,
		"with": true, "on": true, "be": true, "go": true, "ads": true, "running": true, "using": true,
		"it": true, "in": true,
	}
	onlyAfter  = map[string]bool{"only": true, "alone": true, "exclusively": true}
	includeCue = map[string]bool{
		"include": true, "including": true, "add": true, "adding": true, "plus": true, "also": true,
		"incl": true, "too": true, "included": true,
	}
	liftCue = map[string]bool{
		"allow": true, "allowing": true, "enable": true, "unblock": true, "reintroduce": true,
		"readd": true, "welcome": true, "fine": true, "ok": true, "okay": true, "works": true,
		"allowed": true, "again": true, "back": true, "good": true,
	}
	includeFillers = map[string]bool{
		"the": true, "some": true, "a": true, "an": true, "in": true, "back": true, "more": true,
		"us": true, "to": true, "use": true, "of": true, "bring": true, "re": true,
		"run": true, "running": true, "using": true, "have": true,
	}
)

// clause is a stretch of tokens between clause breaks, with its format mentions.
type clause struct {
	start, end int
	mentions   []mention
}

func (r *reading) readFormats(toks []string) {
	mentions := goalMentions(toks)
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
			nothingBut := toks[i] == "but" && i > 0 && (toks[i-1] == "nothing" || toks[i-1] == "anything")
			if inList || nothingBut || !isBreak(toks[i]) {
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
		case len(clauses) > 0 && start > 0 && toks[start-1] == "," && clauses[len(clauses)-1].end == start-1 &&
			hasCappedShare(toks, c.start, c.end):
			// "go with video, 30% max": the share's clause borrows the format before it.
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

// readClause reads the format limits of one clause. It returns the words of a
// "mostly audio" preference, which only matters when no cap was set.
func (r *reading) readClause(toks []string, c clause) (mostly string) {
	ms := c.mentions
	words := toks[c.start:c.end]
	cue := cuesOf(words)
	var shares []goalShare
	for i := c.start; i < c.end; i++ {
		if s, ok := shareAt(toks, i); ok && s.end <= c.end {
			shares = append(shares, s)
			i = s.end - 1
		}
	}

	// Shares of the budget: each goes with the nearest format before it, else after it.
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
		r.readShare(toks, c, s, ms[pick], cue.capCue)
	}

	for j := range ms {
		m := &ms[j]
		if m.used || m.borrowed {
			continue
		}
		m.used = true
		name := goalNames(m.bits)
		switch {
		case (m.capNoun || cue.capNoun) && cue.removal || toks[max(m.start-1, 0)] == "uncap":
			kind := opUncap
			if cue.restriction {
				kind = opLift
			}
			r.ops = append(r.ops, goalOp{kind: kind, bits: m.bits})
		case m.capNoun:
			// "the video cap" with no share and no removal: nothing to apply.
			r.note(fmt.Sprintf("Saw a cap on %s but no share; give one like \"cap %s at 20%%\".", name, name))
			r.confidence = min(r.confidence, 0.7)
		case cue.protect && cue.inventory:
			r.ops = append(r.ops, goalOp{kind: opCap, bits: m.bits, share: vagueCap, vague: true,
				reason: fmt.Sprintf("Read %q as not using up %s inventory: capped %s at 25%% of the budget.", quote(words), name, name)})
		case excludedAt(toks, c, *m):
			r.ops = append(r.ops, goalOp{kind: opExclude, bits: m.bits})
		case cue.overspend && cue.overspendNeg || cue.tooMuch || gentleBefore(toks, c.start, m.start):
			r.ops = append(r.ops, goalOp{kind: opCap, bits: m.bits, share: vagueCap, vague: true,
				reason: fmt.Sprintf("Read %q as a cap of 25%% of the budget on %s.", quote(words), name)})
		case onlyAt(toks, c, *m):
			r.ops = append(r.ops, goalOp{kind: opSet, bits: m.bits})
		default:
			include, lift := includeAt(toks, c, *m)
			switch {
			case lift:
				r.ops = append(r.ops, goalOp{kind: opLift, bits: m.bits})
			case include:
				r.ops = append(r.ops, goalOp{kind: opInclude, bits: m.bits})
			case m.bits&(m.bits-1) != 0:
				// Two or more formats named together: "audio and video".
				r.ops = append(r.ops, goalOp{kind: opSet, bits: m.bits})
			case m.start > c.start && mostlyCues[toks[m.start-1]] ||
				m.start > c.start+1 && mostlyCues[toks[m.start-2]]:
				mostly = strings.Join(toks[max(m.start-2, c.start):m.end], " ")
			}
		}
	}
	return mostly
}

func (r *reading) readShare(toks []string, c clause, s goalShare, m mention, capCue bool) {
	name := goalNames(m.bits)
	at := func(i int) string {
		if i < c.start || i >= c.end {
			return ""
		}
		return toks[i]
	}
	b1, b2, b3 := at(s.start-1), at(s.start-2), at(s.start-3)
	a1, a2 := at(s.end), at(s.end+1)
	floor := b1 == "least" && b2 == "at" || b1 == "minimum" || b1 == "min" || b2 == "minimum" ||
		b1 == "over" || b1 == "above" || a1 == "minimum" || a1 == "min" || a1 == "or" && a2 == "more" ||
		b1 == "than" && (b2 == "more" || b2 == "greater" || b2 == "higher") && b3 != "no" && b3 != "not" ||
		b1 == "than" && (b2 == "less" || b2 == "fewer" || b2 == "lower") && (b3 == "no" || b3 == "not")
	relative := b1 == "by" || a1 == "more" || a1 == "less" || a1 == "fewer" || a1 == "extra" || a1 == "higher" || a1 == "lower"
	switch {
	case floor:
		r.note(fmt.Sprintf("Ignored a minimum share of %s for %s: only caps on a format's share are supported.", s.text, name))
		r.confidence = min(r.confidence, 0.7)
	case relative:
		r.note(fmt.Sprintf("Ignored a change of %s to %s's share: give the share itself, like \"keep %s under 20%%\".", s.text, name, name))
		r.confidence = min(r.confidence, 0.7)
	case s.value > 1:
		r.note(fmt.Sprintf("Ignored a share of %s for %s: a share cannot exceed 100%%.", s.text, name))
		r.confidence = min(r.confidence, 0.7)
	case s.value == 1 && strings.Contains(s.text, "/"):
		// "50/50 audio and video": the formats are clear, the exact split is not a cap.
		r.ops = append(r.ops, goalOp{kind: opSet, bits: m.bits})
		r.note(fmt.Sprintf("Kept %s but not the exact split (%s): only caps on a format's share are supported.", name, s.text))
		r.confidence = min(r.confidence, 0.7)
	case s.value == 1 && !capCue:
		r.ops = append(r.ops, goalOp{kind: opSet, bits: m.bits})
	default:
		op := goalOp{kind: opCap, bits: m.bits, share: s.value}
		if !capCue && s.value > 0 {
			op.reason = fmt.Sprintf("Read %s on %s as a cap on its share of the budget.", s.text, name)
		}
		r.ops = append(r.ops, op)
	}
}

// hasCappedShare reports a share and a word capping it in toks[lo:hi].
func hasCappedShare(toks []string, lo, hi int) bool {
	share, capped := false, false
	for i := lo; i < hi; i++ {
		capped = capped || capCues[toks[i]]
		if !share {
			_, share = shareAt(toks, i)
		}
	}
	return share && capped
}

// shareReach is how many words apart a share and its format may be.
const shareReach = 10

// cues says which kinds of words a clause holds, read once per clause.
type cues struct {
	capCue, capNoun, removal, restriction, protect, inventory bool
	overspend, overspendNeg, tooMuch                          bool
}

func cuesOf(words []string) cues {
	var c cues
	for i, w := range words {
		c.capCue = c.capCue || capCues[w]
		c.capNoun = c.capNoun || capNouns[w]
		c.removal = c.removal || removalCues[w]
		c.restriction = c.restriction || w == "restriction" || w == "restrictions"
		c.protect = c.protect || protectCues[w]
		c.inventory = c.inventory || w == "inventory"
		c.overspend = c.overspend || overspendCues[w]
		c.overspendNeg = c.overspendNeg || overspendNegators[w]
		c.tooMuch = c.tooMuch || w == "too" && i+1 < len(words) && (words[i+1] == "much" || words[i+1] == "heavy")
	}
	return c
}

// note adds a note once: long input repeating itself must not repeat the notes.
func (r *reading) note(n string) {
	if !slices.Contains(r.notes, n) {
		r.notes = append(r.notes, n)
	}
}

// gentleBefore reports a small amount asked for just before the format: "a bit of
// video", "a little video", "light on video", "go easy on video", "less video", "cut
// back on video".
func gentleBefore(toks []string, lo, start int) bool {
	w := func(k int) string {
		if start-k < lo {
			return ""
		}
		return toks[start-k]
	}
	return w(1) == "of" && (w(2) == "bit" || w(2) == "touch" || w(2) == "sprinkle" || w(2) == "amount" && w(3) == "small") ||
		w(1) == "little" && w(2) == "a" || w(1) == "on" && (w(2) == "light" || w(2) == "easy" || w(2) == "back") ||
		w(1) == "less"
}

// excludedAt reports a rejection of the mention: "no video", "skip the video ads",
// "we don't want to run video", "leave out display", "video is out".
func excludedAt(toks []string, c clause, m mention) bool {
	i := m.start - 1
	for n := 0; i >= c.start && n < 4 && excludeFillers[toks[i]]; n++ {
		i--
	}
	if i >= c.start {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		if excluders[toks[i]] && next != "just" && next != "only" {
			return true
		}
		if i > c.start && excluderPairs[[2]string{toks[i-1], toks[i]}] {
			return true
		}
	}
	j := m.end
	for n := 0; j < c.end && n < 2 && aux[toks[j]]; n++ {
		j++
	}
	if j < c.end {
		if excludeAfter[toks[j]] {
			return true
		}
		if notAfter[toks[j]] && (j+1 >= c.end || toks[j+1] != "just" && toks[j+1] != "only") {
			return true
		}
	}
	return false
}

// onlyAt reports a restriction to the mention: "audio only", "just audio", "only
// run audio ads", "stick to audio".
func onlyAt(toks []string, c clause, m mention) bool {
	if m.end < c.end && onlyAfter[toks[m.end]] {
		return true
	}
	i := m.start - 1
	for n := 0; i >= c.start && n < 3 && onlyFillers[toks[i]]; n++ {
		if i > c.start && onlyPairs[[2]string{toks[i-1], toks[i]}] {
			return true
		}
		i--
	}
	if i < c.start {
		return false
	}
	if i > c.start && (toks[i-1] == "not" || toks[i-1] == "dont") {
		return false
	}
	return onlyBefore[toks[i]] || i > c.start && onlyPairs[[2]string{toks[i-1], toks[i]}]
}

// includeAt reports an inclusion ("include video", "add display", "video too") or a
// lifted restriction ("allow video again", "video is fine", "bring back video").
func includeAt(toks []string, c clause, m mention) (include, lift bool) {
	check := func(w string) {
		include = include || includeCue[w]
		lift = lift || liftCue[w]
	}
	i := m.start - 1
	for n := 0; i >= c.start && n < 3; n++ {
		w := toks[i]
		check(w)
		if !includeFillers[w] {
			break
		}
		i--
	}
	j := m.end
	for n := 0; j < c.end && n < 3; n++ {
		w := toks[j]
		if aux[w] {
			j++
			continue
		}
		check(w)
		if w == "as" && j+1 < c.end && toks[j+1] == "well" {
			include = true
		}
		if !liftCue[w] && !includeCue[w] {
			break
		}
		j++
	}
	return include, lift
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

// goalNames writes formats in words for notes: "video", "audio and video".
func goalNames(bits uint8) string {
	var names []string
	for _, f := range formatBits {
		if bits&f.bit != 0 {
			names = append(names, f.word)
		}
	}
	return strings.Join(names, " and ")
}
