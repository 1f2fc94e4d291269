package rules_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/conversation"
)

// The corpus (testdata/corpus) holds briefs and conversations written the way media
// planners and advertisers write them, each with the reading a careful human planner
// would make of it — not what adplan answers today. TestCorpus scores the rule-based
// reader on it field by field.
//
// dev.json and dev_conversations.json are for development; heldout.json and
// heldout_conversations.json are kept out of it and measured once at the end
// (ADPLAN_CORPUS=heldout).

// corpusFloors are the accuracies (in %) under which TestCorpus fails, per split, so a
// change that reads fewer briefs right is caught: the figures last measured, minus
// about one point.
var corpusFloors = map[string]corpusFloor{
	// Measured 2026-12-05 on f9b27a4: briefs 1717/1718 (99.9%), conversations
	// 620/620, ran 231/234 (98.7%) and 54/54 turns, unread 74/74. (When the corpus
	// was written, on 87aeca4: 80.3%, 85.8%, 75.6%, 94.4%, 0%.) The specialists were
	// developed against this split, so these figures say nothing about unseen briefs.
	"dev": {Briefs: 98.9, Conversations: 99, Ran: 97.7, TurnRan: 99, Unread: 99},
	// Measured once, on f9b27a4, after the specialists were finished and before anyone
	// looked at it: briefs 808/825 (97.9%), conversations 303/308 (98.4%), ran 109/111
	// (98.2%) and 26/27 turns (96.3%), unread 37/39 (94.9%). Its misses were left
	// unfixed, so the figure stays honest; the floors only guard against regressions.
	"heldout": {Briefs: 96.9, Conversations: 97.4, Ran: 97.2, TurnRan: 96, Unread: 94},
	// A second held-out split, written after the first was measured (its misses seen),
	// by someone who had not seen the readers' code. Measured once, on b701546, before
	// anyone looked at it: briefs 1021/1063 (96.0%), conversations 721/742 (97.2%), ran
	// 115/120 (95.8%) and 78/80 turns, unread 57/74. Its misses were then fixed (the
	// fix-money, fix-aud and fix-dates branches), so it is development data now; on
	// ac921e2: 1060/1063 (99.7%), 742/742, 120/120 and 80/80, unread 72/74. The
	// floors guard those fixes against regressions.
	"heldout2": {Briefs: 98.7, Conversations: 99, Ran: 99, TurnRan: 99, Unread: 96},
	// A third, written while the second's misses were being fixed, by someone who saw
	// neither the readers nor the other held-out splits. Measured once, on ac921e2,
	// after the second's fixes and before anyone looked at it: briefs 856/882 (97.1%),
	// conversations 686/701 (97.9%), ran 98/100 (98.0%) and 78/78 turns, unread 23/26
	// (88.5%).
	"heldout3": {Briefs: 96.1, Conversations: 96.9, Ran: 97, TurnRan: 99, Unread: 87},
}

type corpusFloor struct {
	// Briefs and Conversations are the share of expected fields read right; Ran the
	// share of briefs whose specialists were exactly those expected, TurnRan the same
	// for conversation turns; Unread the share of briefs whose unread spans agree.
	Briefs, Conversations, Ran, TurnRan, Unread float64
}

const corpusDefaultNow = "2026-11-22T10:00:00Z"

// corpusBrief is one entry of dev.json / heldout.json.
type corpusBrief struct {
	ID     string         `json:"id"`
	Text   string         `json:"text"`
	Now    string         `json:"now"`
	Expect corpusExpect   `json:"expect"`
	Ran    *[]agents.Slot `json:"ran"`
	// Unread quotes the spans a reading should report as not understood; an empty
	// list means the expected reading explains every word; absent means not checked.
	Unread *[]string `json:"unread"`
}

// corpusConversation is one entry of dev_conversations.json / heldout_conversations.json.
type corpusConversation struct {
	ID    string       `json:"id"`
	Now   string       `json:"now"`
	Turns []corpusTurn `json:"turns"`
}

// corpusTurn is one message of a conversation and the state of the fields the thread
// has set once it is read.
type corpusTurn struct {
	Text   string         `json:"text"`
	Expect corpusExpect   `json:"expect"`
	Ran    *[]agents.Slot `json:"ran"`
}

// corpusExpect names only the fields a brief states or clearly implies, with the
// Brief's JSON names; a nil pointer is a field the brief leaves open, an empty list a
// field that must stay empty.
type corpusExpect struct {
	Goal *struct {
		Objective *agents.Objective   `json:"objective"`
		Formats   *[]string           `json:"formats"`
		MaxShare  *map[string]float64 `json:"max_share"`
		Channel   *string             `json:"channel"`
	} `json:"goal"`
	Audience *struct {
		AgeRanges *[]agents.AgeRange `json:"age_ranges"`
		Genders   *[]string          `json:"genders"`
		Geo       *struct {
			Countries *[]string `json:"countries"`
			Regions   *[]string `json:"regions"`
			Cities    *[]string `json:"cities"`
		} `json:"geo"`
	} `json:"audience"`
	Budget *struct {
		Amount   *float64 `json:"amount"`
		Currency *string  `json:"currency"`
		Type     *string  `json:"type"`
	} `json:"budget"`
	Schedule *struct {
		Start *string `json:"start"`
		End   *string `json:"end"`
		Days  *int    `json:"days"`
	} `json:"schedule"`
}

// corpusFields is the order fields are reported in.
var corpusFields = []string{
	"goal.objective", "goal.formats", "goal.max_share", "goal.channel",
	"audience.age_ranges", "audience.genders", "audience.geo.countries",
	"audience.geo.regions", "audience.geo.cities",
	"budget.amount", "budget.currency", "budget.type",
	"schedule.start", "schedule.end", "schedule.days",
}

// fieldCheck is one expected field compared with what was read.
type fieldCheck struct {
	Field     string
	Want, Got string
	OK        bool
}

func TestCorpus(t *testing.T) {
	split := cmp.Or(os.Getenv("ADPLAN_CORPUS"), "dev")
	floor, ok := corpusFloors[split]
	if !ok {
		t.Fatalf("ADPLAN_CORPUS=%q: want dev, heldout, heldout2 or heldout3", split)
	}
	var briefs []corpusBrief
	if err := loadCorpus(filepath.Join("testdata", "corpus", split+".json"), &briefs); err != nil {
		t.Fatal(err)
	}
	var convs []corpusConversation
	if err := loadCorpus(filepath.Join("testdata", "corpus", split+"_conversations.json"), &convs); err != nil {
		t.Fatal(err)
	}
	if err := validateBriefs(briefs); err != nil {
		t.Fatal(err)
	}
	if err := validateConversations(convs); err != nil {
		t.Fatal(err)
	}
	coord, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	briefScore := newScore()
	var ran, unread tally
	for _, b := range briefs {
		now := corpusNow(b.Now)
		reading, err := coord.Read(ctx, agents.Brief{}, b.Text, false, now)
		if err != nil {
			t.Logf("%s: not read: %v", b.ID, err)
		}
		for _, c := range compareExpect(b.Expect, reading.Brief) {
			briefScore.add(b.ID, c)
		}
		if b.Ran != nil {
			ran.add(slices.Equal(*b.Ran, reading.Ran), b.ID, "ran", slotList(*b.Ran), slotList(reading.Ran))
		}
		if b.Unread != nil {
			var got []string
			if err == nil {
				got = reading.UnreadText()
			}
			unread.add(sameQuotes(*b.Unread, got), b.ID, "unread", quoteList(*b.Unread), quoteList(got))
		}
	}

	convScore := newScore()
	var turnRan tally
	for _, c := range convs {
		now := corpusNow(c.Now)
		thread := conversation.New(c.ID)
		for i, turn := range c.Turns {
			id := fmt.Sprintf("%s#%d", c.ID, i+1)
			v, err := thread.Apply(ctx, coord, turn.Text, now)
			if err != nil && !errors.Is(err, conversation.ErrNoChange) {
				t.Logf("%s: not read: %v", id, err)
			}
			for _, chk := range compareExpect(turn.Expect, thread.Current()) {
				convScore.add(id, chk)
			}
			if turn.Ran != nil {
				turnRan.add(slices.Equal(*turn.Ran, v.Ran), id, "ran", slotList(*turn.Ran), slotList(v.Ran))
			}
		}
	}

	t.Logf("corpus %q: %d briefs, %d conversations (%d turns)", split, len(briefs), len(convs), convScore.turns())
	t.Log("briefs, per field:\n" + briefScore.table())
	t.Log("conversations, per field (every turn):\n" + convScore.table())
	t.Logf("ran exact: briefs %s, conversation turns %s", ran, turnRan)
	t.Logf("unread agrees: briefs %s", unread)
	t.Log("most frequent misses (field, family):\n" + missKinds(briefScore.misses, convScore.misses, 10))
	var b strings.Builder
	for _, m := range briefScore.misses {
		fmt.Fprintf(&b, "  %s  %s: want %s, got %s\n", m.id, m.Field, m.Want, m.Got)
	}
	for _, m := range convScore.misses {
		fmt.Fprintf(&b, "  %s  %s: want %s, got %s\n", m.id, m.Field, m.Want, m.Got)
	}
	for _, m := range append(ran.misses, append(turnRan.misses, unread.misses...)...) {
		fmt.Fprintf(&b, "  %s  %s: want %s, got %s\n", m.id, m.Field, m.Want, m.Got)
	}
	t.Log("misses:\n" + b.String())

	for _, f := range []struct {
		name       string
		got, floor float64
	}{
		{"brief fields", briefScore.total.pct(), floor.Briefs},
		{"conversation fields", convScore.total.pct(), floor.Conversations},
		{"brief ran exact", ran.pct(), floor.Ran},
		{"conversation turn ran exact", turnRan.pct(), floor.TurnRan},
		{"unread agreement", unread.pct(), floor.Unread},
	} {
		if f.got < f.floor {
			t.Errorf("%s: %.1f%% right, below the %s floor of %.1f%%", f.name, f.got, split, f.floor)
		}
	}
}

// loadCorpus decodes a corpus file strictly: an unknown key (a typo in the corpus)
// or trailing data is an error.
func corpusNow(s string) time.Time {
	t, err := time.Parse(time.RFC3339, cmp.Or(s, corpusDefaultNow))
	if err != nil {
		panic(err) // validateNow checked every entry
	}
	return t
}

// compareExpect checks each field e names against what was read into got.
func compareExpect(e corpusExpect, got agents.Brief) []fieldCheck {
	var out []fieldCheck
	str := func(field, want, have string) {
		out = append(out, fieldCheck{Field: field, Want: q(want), Got: q(have), OK: want == have})
	}
	set := func(field string, want, have []string) {
		w, h := sortedSet(want), sortedSet(have)
		out = append(out, fieldCheck{Field: field, Want: listText(w), Got: listText(h), OK: slices.Equal(w, h)})
	}
	goal := cmp.Or(got.Goal, &agents.Goal{})
	if g := e.Goal; g != nil {
		if g.Objective != nil {
			str("goal.objective", string(*g.Objective), string(goal.Objective))
		}
		if g.Formats != nil {
			set("goal.formats", anyFormat(*g.Formats), anyFormat(goal.Formats))
		}
		if g.MaxShare != nil {
			out = append(out, fieldCheck{Field: "goal.max_share", Want: shareText(*g.MaxShare), Got: shareText(goal.MaxShare),
				OK: sameShares(*g.MaxShare, goal.MaxShare)})
		}
		if g.Channel != nil {
			str("goal.channel", *g.Channel, goal.Channel)
		}
	}
	aud := cmp.Or(got.Audience, &agents.Audience{})
	if a := e.Audience; a != nil {
		if a.AgeRanges != nil {
			w, h := mergeAges(*a.AgeRanges), mergeAges(aud.AgeRanges)
			out = append(out, fieldCheck{Field: "audience.age_ranges", Want: agesText(w), Got: agesText(h), OK: slices.Equal(w, h)})
		}
		if a.Genders != nil {
			set("audience.genders", *a.Genders, aud.Genders)
		}
		if geo := a.Geo; geo != nil {
			if geo.Countries != nil {
				set("audience.geo.countries", *geo.Countries, aud.Geo.Countries)
			}
			if geo.Regions != nil {
				set("audience.geo.regions", *geo.Regions, aud.Geo.Regions)
			}
			if geo.Cities != nil {
				set("audience.geo.cities", *geo.Cities, aud.Geo.Cities)
			}
		}
	}
	bud := cmp.Or(got.Budget, &agents.Budget{})
	if b := e.Budget; b != nil {
		if b.Amount != nil {
			out = append(out, fieldCheck{Field: "budget.amount", Want: amountText(*b.Amount), Got: amountText(bud.Amount),
				OK: math.Abs(*b.Amount-bud.Amount) < 1e-6})
		}
		if b.Currency != nil {
			str("budget.currency", *b.Currency, bud.Currency)
		}
		if b.Type != nil {
			str("budget.type", *b.Type, bud.Type)
		}
	}
	sch := cmp.Or(got.Schedule, &agents.Schedule{})
	if s := e.Schedule; s != nil {
		if s.Start != nil {
			str("schedule.start", *s.Start, sch.Start.String())
		}
		if s.End != nil {
			str("schedule.end", *s.End, sch.End.String())
		}
		if s.Days != nil {
			out = append(out, fieldCheck{Field: "schedule.days", Want: fmt.Sprint(*s.Days), Got: fmt.Sprint(sch.Days), OK: *s.Days == sch.Days})
		}
	}
	return out
}

// anyFormat writes a restriction to every format as no restriction, the same thing.
func anyFormat(f []string) []string {
	if len(sortedSet(f)) == len(agents.Formats) {
		return nil
	}
	return f
}

// mergeAges returns the ages the ranges cover as sorted, disjoint ranges, so
// "W18-24 + W25-34" and "18-34" compare equal.
func mergeAges(rs []agents.AgeRange) []agents.AgeRange {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b agents.AgeRange) int { return cmp.Or(a.Min-b.Min, a.Max-b.Max) })
	var out []agents.AgeRange
	for _, r := range s {
		if n := len(out); n > 0 && r.Min <= out[n-1].Max+1 {
			out[n-1].Max = max(out[n-1].Max, r.Max)
			continue
		}
		out = append(out, r)
	}
	return out
}

func sameShares(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || math.Abs(v-w) > 1e-9 {
			return false
		}
	}
	return true
}

func sameQuotes(want, got []string) bool {
	norm := func(s []string) []string {
		out := make([]string, len(s))
		for i, v := range s {
			out[i] = strings.ToLower(strings.TrimSpace(v))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(norm(want), norm(got))
}

func sortedSet(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

func q(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func listText(s []string) string { return "[" + strings.Join(s, " ") + "]" }

func quoteList(s []string) string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(out, " ") + "]"
}

func slotList(s []agents.Slot) string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return listText(out)
}

func agesText(rs []agents.AgeRange) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%d-%d", r.Min, r.Max)
	}
	return listText(out)
}

func shareText(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s<=%g", k, m[k])
	}
	return listText(out)
}

func amountText(v float64) string {
	if v == 0 {
		return "(none)"
	}
	return fmt.Sprintf("%.2f", v)
}

// tally counts right answers out of all, and keeps the wrong ones.
type tally struct {
	right, all int
	misses     []miss
}

type miss struct {
	id string
	fieldCheck
}

func (t *tally) add(ok bool, id, field, want, got string) {
	t.all++
	if ok {
		t.right++
		return
	}
	t.misses = append(t.misses, miss{id: id, fieldCheck: fieldCheck{Field: field, Want: want, Got: got}})
}

func (t tally) pct() float64 {
	if t.all == 0 {
		return 100
	}
	return 100 * float64(t.right) / float64(t.all)
}

func (t tally) String() string {
	return fmt.Sprintf("%d/%d (%.1f%%)", t.right, t.all, t.pct())
}

// score tallies fields one by one and in total.
type score struct {
	perField map[string]*tally
	total    tally
	misses   []miss
	ids      map[string]bool
}

func newScore() *score { return &score{perField: map[string]*tally{}, ids: map[string]bool{}} }

func (s *score) add(id string, c fieldCheck) {
	s.ids[id] = true
	f := s.perField[c.Field]
	if f == nil {
		f = &tally{}
		s.perField[c.Field] = f
	}
	f.add(c.OK, id, c.Field, c.Want, c.Got)
	s.total.add(c.OK, id, c.Field, c.Want, c.Got)
	if !c.OK {
		s.misses = append(s.misses, miss{id: id, fieldCheck: c})
	}
}

func (s *score) turns() int { return len(s.ids) }

func (s *score) table() string {
	var b strings.Builder
	for _, f := range corpusFields {
		if t := s.perField[f]; t != nil {
			fmt.Fprintf(&b, "  %-24s %4d/%-4d %5.1f%%\n", f, t.right, t.all, t.pct())
		}
	}
	fmt.Fprintf(&b, "  %-24s %4d/%-4d %5.1f%%", "all fields", s.total.right, s.total.all, s.total.pct())
	return b.String()
}

// missKinds counts misses by field and by the family of the entry they come from
// (the id up to its number), most frequent first.
func missKinds(brief, conv []miss, n int) string {
	counts := map[string]int{}
	for _, m := range brief {
		family, _, _ := strings.Cut(m.id, "-")
		counts[m.Field+" ("+family+")"]++
	}
	for _, m := range conv {
		counts[m.Field+" (conversations)"]++
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		return cmp.Or(counts[kinds[j]]-counts[kinds[i]], strings.Compare(kinds[i], kinds[j])) < 0
	})
	var b strings.Builder
	for i, k := range kinds {
		if i == n {
			break
		}
		fmt.Fprintf(&b, "  %3d  %s\n", counts[k], k)
	}
	return b.String()
}

// TestCorpusLoadIsStrict checks that a misspelt key in the corpus is an error rather
// than a field silently left unchecked.
func TestCorpusLoadIsStrict(t *testing.T) {
	for _, tt := range []struct{ name, text string }{
		{"misspelt field", `[{"id": "x", "text": "reach", "expect": {"goal": {"objectve": "REACH"}}}]`},
		{"misspelt slot", `[{"id": "x", "text": "reach", "expect": {"gaol": {"objective": "REACH"}}}]`},
		{"trailing data", `[{"id": "x", "text": "reach", "expect": {"goal": {"objective": "REACH"}}}] []`},
	} {
		path := filepath.Join(t.TempDir(), "c.json")
		if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
			t.Fatal(err)
		}
		var briefs []corpusBrief
		if err := loadCorpus(path, &briefs); err == nil {
			t.Errorf("%s: loaded without error: %s", tt.name, tt.text)
		}
	}
	bad := []corpusBrief{{ID: "x", Text: "reach"}}
	if err := validateBriefs(bad); err == nil {
		t.Error("a brief that expects nothing passed validation")
	}
	var b corpusBrief
	if err := json.Unmarshal([]byte(`{"id": "x", "text": "t", "expect": {"budget": {"currency": "euro"}}}`), &b); err != nil {
		t.Fatal(err)
	}
	if err := validateBriefs([]corpusBrief{b}); err == nil {
		t.Error("currency \"euro\" passed validation; want an ISO 4217 code")
	}
}
