package planner

import (
	"context"
	"math"
	"regexp"
	"slices"
	"testing"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/rules"
)

// revise reads followUp on top of prev's brief and plans it as a revision of prev.
func revise(t *testing.T, prev agents.Plan, followUp string) agents.Plan {
	t.Helper()
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Read(context.Background(), prev.Brief, followUp, true, planNow)
	if err != nil {
		t.Fatalf("reading %q: %v", followUp, err)
	}
	next, err := sharedPlanner(t).Revise(context.Background(), r.Brief, &prev, planNow, "")
	if err != nil {
		t.Fatalf("planning %q: %v", followUp, err)
	}
	return next
}

var unchanged = regexp.MustCompile(`(\S+) → (\S+)`)

// Over every varied brief and follow-ups that touch only the flight or only the
// budget: no ad set appears or disappears without a reason, a change that frees
// money or lowers minimums (more budget, a shorter flight) drops nothing, and no
// listed change shows equal values.
func TestARevisionMovesOnlyWhatItTouches(t *testing.T) {
	followUps := []struct {
		text             string
		mayDrop          bool
		scheduleOrBudget string
	}{
		{"extend to 60 days", true, "schedule"},
		{"make it 2 weeks", false, "schedule"},
		{"push it back a week", false, "schedule"},
		{"double the budget", false, "budget"},
		{"cut the budget by half", true, "budget"},
	}
	conversations := 0
	for _, brief := range variedBriefs(t) {
		first := planBrief(t, brief, "")
		if len(first.LineItems) == 0 {
			continue
		}
		for _, f := range followUps {
			conversations++
			next := revise(t, first, f.text)
			name := brief + " → " + f.text
			for _, li := range first.LineItems {
				if slices.ContainsFunc(next.LineItems, func(n agents.LineItem) bool { return n.ID == li.ID }) {
					continue
				}
				i := slices.IndexFunc(next.Dropped, func(d agents.AdSetChange) bool { return d.ID == li.ID })
				switch {
				case i < 0 || next.Dropped[i].Why == "":
					t.Errorf("%s: %s dropped without a reason", name, li.ID)
				case !f.mayDrop:
					t.Errorf("%s: %s dropped (%s), though the change frees budget", name, li.ID, next.Dropped[i].Why)
				}
			}
			for _, li := range next.LineItems {
				if slices.ContainsFunc(first.LineItems, func(p agents.LineItem) bool { return p.ID == li.ID }) {
					continue
				}
				if !slices.ContainsFunc(next.Added, func(a agents.AdSetChange) bool { return a.ID == li.ID && a.Why != "" }) {
					t.Errorf("%s: %s added without a reason", name, li.ID)
				}
			}
			for _, c := range agents.PlanChanges(first, next) {
				if m := unchanged.FindStringSubmatch(c); m != nil && m[1] == m[2] {
					t.Errorf("%s: change %q shows equal values", name, c)
				}
			}
		}
	}
	if conversations < 30 {
		t.Fatalf("only %d conversations; the property needs at least 30", conversations)
	}
}

// The budget a dropped ad set names as keeping it does keep it.
func TestADroppedAdSetsKeepWithBudgetKeepsIt(t *testing.T) {
	first := planBrief(t, "grow brand awareness among 18-24 year olds in Germany with €5,000 over 60 days", "")
	next := revise(t, first, "make it 1200")
	if len(next.Dropped) == 0 {
		t.Fatalf("nothing dropped from %d ad sets at 1,200 EUR over 60 days", len(first.LineItems))
	}
	d := next.Dropped[0]
	if d.KeepWith <= next.Budget {
		t.Fatalf("dropped %+v: keep_with should be above the budget of %v", d, next.Budget)
	}
	kept := revise(t, first, "make it "+agents.FormatCount(d.KeepWith)+" EUR")
	if !slices.ContainsFunc(kept.LineItems, func(li agents.LineItem) bool { return li.ID == d.ID }) {
		t.Errorf("at %v EUR, %s is still dropped: %+v", d.KeepWith, d.ID, kept.Dropped)
	}
	if changes := agents.PlanChanges(first, next); !slices.ContainsFunc(changes, func(c string) bool {
		return regexp.MustCompile(`^dropped ad set \S+: its minimum is .* a budget of [\d,]+ EUR keeps it$`).MatchString(c)
	}) {
		t.Errorf("plan changes %q do not say why an ad set was dropped and what keeps it", changes)
	}
}

// Ad sets a brief rules out are dropped for that reason, and come back with it.
func TestRulingAFormatOutAndBackInSaysSo(t *testing.T) {
	first := planBrief(t, "grow brand awareness among 18-24 year olds in Germany with €20,000 over 30 days", "")
	noVideo := revise(t, first, "no video")
	if len(noVideo.Dropped) == 0 {
		t.Fatal("no video dropped nothing")
	}
	for _, d := range noVideo.Dropped {
		if d.Why != "the brief now rules out video" || d.KeepWith != 0 {
			t.Errorf("dropped %+v; want ruled out by the brief, with no budget that keeps it", d)
		}
	}
	back := revise(t, noVideo, "allow video again")
	if len(back.Added) == 0 {
		t.Fatal("allowing video again added nothing")
	}
	for _, a := range back.Added {
		if a.Why != "the brief now allows video" {
			t.Errorf("added %+v; want the brief allowing video as the reason", a)
		}
	}
}

// A market a follow-up adds gets the share its expected return earns — what a brief
// naming it from the start would give it — not the ad set minimum: a large market
// takes far more than the floor, a small one may stay at it only where a fresh plan
// would too.
func TestAnAddedMarketGetsItsShareByReturn(t *testing.T) {
	marketBudget := func(p agents.Plan, market string) float64 {
		sum := 0.0
		for _, li := range p.LineItems {
			if li.Market == market {
				sum += li.Budget
			}
		}
		return sum
	}
	first := planBrief(t, "grow brand awareness among 18-24 year olds in Germany with €8,000 over 60 days", "")
	for _, m := range []struct{ name, code string }{{"France", "FR"}, {"the UK", "GB"}, {"Austria", "AT"}} {
		added := revise(t, first, "add "+m.name)
		fresh := planBrief(t, "grow brand awareness among 18-24 year olds in Germany and "+m.name+" with €8,000 over 60 days", "")
		got, want := marketBudget(added, m.code), marketBudget(fresh, m.code)
		if got == 0 {
			t.Errorf("add %s: no budget for %s: %+v", m.name, m.code, added.LineItems)
			continue
		}
		// The revision keeps Germany's ad sets at least at their minimum, so it may
		// differ from the fresh plan a little; not by more than a tenth of the budget.
		if math.Abs(got-want) > 0.1*added.Budget {
			t.Errorf("add %s: %s gets %.2f EUR; a brief naming it from the start gives it %.2f", m.name, m.code, got, want)
		}
	}
	france := revise(t, first, "add France")
	floor := 0.0
	for _, li := range france.LineItems {
		if li.Market == "FR" && (floor == 0 || li.Budget < floor) {
			floor = li.Budget
		}
	}
	if fr := marketBudget(france, "FR"); fr < 3*floor {
		t.Errorf("add France: France gets %.2f EUR, hardly above its %.2f ad set minimum, though it is one of the largest markets", fr, floor)
	}
}
