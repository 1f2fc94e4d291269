package planner

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/agents/history"
	"github.com/adplan/adplan/agents/market"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/spotify"
)

// DefaultChannel is the buying channel a plan uses when none is asked for.
const DefaultChannel = "self-serve"

//go:embed data/objective_rules.json
var objectiveRulesJSON []byte

// objectiveRule is what the Spotify Ads API allows for one objective.
type objectiveRule struct {
	Formats           []string `json:"formats"`
	Placements        []string `json:"placements"`
	NoDesktop         bool     `json:"no_desktop"`
	OneMobilePlatform bool     `json:"one_mobile_platform"`
	Result            string   `json:"result"`
}

type objectiveRules struct {
	Objectives      map[agents.Objective]objectiveRule `json:"objectives"`
	ImagePlacements []string                           `json:"image_placements"`
}

func loadObjectiveRules() (objectiveRules, error) {
	var r objectiveRules
	if err := json.Unmarshal(objectiveRulesJSON, &r); err != nil {
		return r, fmt.Errorf("reading data/objective_rules.json: %w", err)
	}
	for _, o := range agents.Objectives {
		if _, ok := r.Objectives[o]; !ok {
			return r, fmt.Errorf("data/objective_rules.json has no rule for %s", o)
		}
	}
	return r, nil
}

// Noter writes a plan's note: a short rationale from the computed plan, or "" for
// none (llm.NoteWriter is one). The planner calls it once a plan is built.
type Noter interface {
	Note(ctx context.Context, plan agents.Plan) string
}

// Options configures a Planner. The zero value plans from the embedded data.
type Options struct {
	// History is what the planner learns from; nil loads the embedded default set.
	History []history.Campaign
	// Facts are the market facts; nil uses the embedded ones.
	Facts *market.Facts
	// DefaultMarket is the market when a brief names none (ISO 3166-1 alpha-2).
	DefaultMarket string
	// DefaultCurrency is the plan currency when neither budget nor market gives one.
	DefaultCurrency string
	// Notes writes each plan's note (a NoteWriter, backed by a language model); nil
	// leaves Plan.Note empty.
	Notes Noter
}

// Planner turns a brief into a plan. It is built once (the forecast model is fitted on
// the history at that time) and is safe for concurrent use.
type Planner struct {
	facts           *market.Facts
	model           *forecast.Model
	rules           objectiveRules
	typical         typicalCampaigns
	historySize     int
	defaultMarket   string
	defaultCurrency string
	notes           Noter
}

// New loads the history and market facts and fits the forecasts.
func New(opts Options) (*Planner, error) {
	facts := opts.Facts
	if facts == nil {
		f, err := market.Load()
		if err != nil {
			return nil, fmt.Errorf("loading market facts: %w", err)
		}
		facts = f
	}
	campaigns := opts.History
	if campaigns == nil {
		c, err := history.Default()
		if err != nil {
			return nil, fmt.Errorf("loading the default history: %w", err)
		}
		campaigns = c
	}
	if len(campaigns) == 0 {
		return nil, errors.New("the history holds no campaigns to learn from")
	}
	// Markets back off to their region when they have too few campaigns of their
	// own, so the evidence reads "market → region Western Europe".
	model, err := forecast.FitWith(campaigns, forecast.Options{Region: func(code string) string {
		if m, ok := facts.Market(code); ok {
			return m.Region
		}
		return ""
	}})
	if err != nil {
		return nil, fmt.Errorf("fitting forecasts: %w", err)
	}
	rules, err := loadObjectiveRules()
	if err != nil {
		return nil, err
	}
	p := &Planner{
		facts:           facts,
		model:           model,
		rules:           rules,
		typical:         learnTypical(campaigns),
		historySize:     len(campaigns),
		defaultMarket:   strings.ToUpper(opts.DefaultMarket),
		defaultCurrency: strings.ToUpper(opts.DefaultCurrency),
		notes:           opts.Notes,
	}
	if p.defaultMarket == "" {
		p.defaultMarket = "US"
	}
	if _, ok := facts.Market(p.defaultMarket); !ok {
		return nil, fmt.Errorf("default market %q is not a market adplan has facts for", p.defaultMarket)
	}
	if p.defaultCurrency == "" {
		p.defaultCurrency = "USD"
	}
	return p, nil
}

// typicalCampaigns holds what similar past campaigns usually did, for filling in what
// a brief leaves out.
type typicalCampaigns struct {
	// budgetUSD and days are medians by objective+market, objective, and overall ("").
	budgetUSD map[string]float64
	days      map[string]float64
	count     map[string]int
	// objective is the most common objective by market and overall ("").
	objective map[string]agents.Objective
	// thinDailyUSD is the daily spend of an ad set that only one past campaign in
	// ten went below: less than that is too thin to deliver steadily.
	thinDailyUSD float64
}

func learnTypical(cs []history.Campaign) typicalCampaigns {
	spend := map[string][]float64{}
	days := map[string][]float64{}
	daily := make([]float64, 0, len(cs))
	objCount := map[string]map[string]int{}
	for _, c := range cs {
		if c.Days > 0 {
			daily = append(daily, c.SpendUSD/float64(c.Days))
		}
		for _, k := range []string{c.Objective + "/" + c.Market, c.Objective, ""} {
			spend[k] = append(spend[k], c.SpendUSD)
			days[k] = append(days[k], float64(c.Days))
		}
		for _, k := range []string{c.Market, ""} {
			if objCount[k] == nil {
				objCount[k] = map[string]int{}
			}
			objCount[k][c.Objective]++
		}
	}
	t := typicalCampaigns{budgetUSD: map[string]float64{}, days: map[string]float64{}, count: map[string]int{}, objective: map[string]agents.Objective{}}
	if len(daily) > 0 {
		slices.Sort(daily)
		t.thinDailyUSD = daily[len(daily)/10]
	}
	for k, v := range spend {
		t.budgetUSD[k] = median(v)
		t.days[k] = median(days[k])
		t.count[k] = len(v)
	}
	for k, m := range objCount {
		best, bestN := "", -1
		for o, n := range m {
			if n > bestN || n == bestN && o < best {
				best, bestN = o, n
			}
		}
		t.objective[k] = agents.Objective(best)
	}
	return t
}

// lookup returns the median for the most specific key with enough campaigns.
func (t typicalCampaigns) lookup(table map[string]float64, objective agents.Objective, mkt string) (float64, string) {
	for _, k := range []string{string(objective) + "/" + mkt, string(objective), ""} {
		if n := t.count[k]; n >= 30 {
			scope := "all past campaigns"
			switch k {
			case string(objective) + "/" + mkt:
				scope = fmt.Sprintf("%d past %s campaigns in %s", n, objective, mkt)
			case string(objective):
				scope = fmt.Sprintf("%d past %s campaigns", n, objective)
			default:
				scope = fmt.Sprintf("all %d past campaigns", n)
			}
			return table[k], scope
		}
	}
	return table[""], "all past campaigns"
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// planInputs is the brief made complete: every gap filled and labelled.
type planInputs struct {
	objective   agents.Objective
	markets     []string
	currency    string
	budget      float64 // lifetime, plan currency
	budgetType  string
	start, end  agents.Date
	days        int
	formats     []string
	maxShare    map[string]float64
	audience    agents.Audience
	channel     market.Channel
	assumptions []agents.Assumption
	warnings    []string
}

// Plan builds the plan for a brief. now is the reference time ("tomorrow", dates in the
// past); channel is direct, self-serve or programmatic ("" = self-serve).
func (p *Planner) Plan(ctx context.Context, b agents.Brief, now time.Time, channel string) (agents.Plan, error) {
	if err := ctx.Err(); err != nil {
		return agents.Plan{}, err
	}
	if channel == "" {
		channel = DefaultChannel
	}
	ch, err := p.facts.Channel(channel)
	if err != nil {
		return agents.Plan{}, err
	}
	in, err := p.complete(b, now, ch)
	if err != nil {
		return agents.Plan{}, err
	}
	cands, dropped := p.candidates(in)
	in.warnings = append(in.warnings, dropped...)
	if len(cands) == 0 {
		return agents.Plan{}, fmt.Errorf("nothing can be bought for this brief: %s", strings.Join(dropped, " "))
	}
	alloc := p.allocate(in, cands)
	plan := p.assemble(b, in, cands, alloc)
	if p.notes != nil {
		plan.Note = p.notes.Note(ctx, plan)
	}
	return plan, nil
}

// complete fills in what the brief leaves out, each gap as a labelled assumption
// backed by the history or the market facts.
func (p *Planner) complete(b agents.Brief, now time.Time, ch market.Channel) (planInputs, error) {
	in := planInputs{channel: ch}
	assume := func(field, value, why string) {
		in.assumptions = append(in.assumptions, agents.Assumption{Field: field, Value: value, Why: why})
	}
	if b.Audience != nil {
		in.audience = b.Audience.Clone()
	}
	in.markets = slices.Clone(in.audience.Geo.Countries)
	var unknown []string
	in.markets = slices.DeleteFunc(in.markets, func(c string) bool {
		if _, ok := p.facts.Market(c); !ok {
			unknown = append(unknown, c)
			return true
		}
		return false
	})
	if len(unknown) > 0 {
		in.warnings = append(in.warnings, fmt.Sprintf("No Spotify ad market data for %s; left out of the plan.", strings.Join(unknown, ", ")))
	}
	if len(in.markets) == 0 && len(unknown) > 0 {
		// Planning the default market instead of the one asked for would answer a
		// question nobody asked.
		return in, fmt.Errorf("adplan has no Spotify ad market data for %s, so it cannot plan there", strings.Join(unknown, ", "))
	}
	if len(in.markets) == 0 {
		in.markets = []string{p.defaultMarket}
		assume("audience.geo.countries", p.defaultMarket, "the brief names no market; the configured default market")
	}

	if b.Goal != nil && b.Goal.Objective != "" {
		in.objective = b.Goal.Objective
	} else {
		o := p.typical.objective[in.markets[0]]
		scope := "in " + in.markets[0]
		if o == "" {
			o, scope = p.typical.objective[""], "overall"
		}
		in.objective = o
		assume("goal.objective", string(o), fmt.Sprintf("the brief states no goal; %s is the most common objective of past campaigns %s", o, scope))
	}
	if b.Goal != nil {
		in.formats = slices.Clone(b.Goal.Formats)
		in.maxShare = b.Goal.MaxShare
	}

	// Currency: the budget's, else the first market's, else the default.
	switch {
	case b.Budget != nil && b.Budget.Currency != "":
		in.currency = b.Budget.Currency
	default:
		if m, ok := p.facts.Market(in.markets[0]); ok && m.Currency != "" {
			in.currency = m.Currency
		} else {
			in.currency = p.defaultCurrency
		}
	}
	if _, ok := p.facts.USDPerUnit(in.currency); !ok {
		in.warnings = append(in.warnings, fmt.Sprintf("No exchange rate for %s; the plan is in USD.", in.currency))
		in.currency = "USD"
	}

	// Flight.
	tomorrow := agents.DateOf(now).AddDays(1)
	switch s := b.Schedule; {
	case s != nil && !s.Start.IsZero() && !s.End.IsZero():
		in.start, in.end = s.Start, s.End
	case s != nil && !s.Start.IsZero():
		d, scope := p.typical.lookup(p.typical.days, in.objective, in.markets[0])
		days := max(1, int(math.Round(d)))
		in.start, in.end = s.Start, s.Start.AddDays(days-1)
		assume("schedule.end", in.end.String(), fmt.Sprintf("the brief gives a start but no end; %d days is the median flight of %s", days, scope))
	default:
		d, scope := p.typical.lookup(p.typical.days, in.objective, in.markets[0])
		days := max(1, int(math.Round(d)))
		in.start, in.end = tomorrow, tomorrow.AddDays(days-1)
		assume("schedule.start", in.start.String(), "the brief gives no dates; starting tomorrow")
		assume("schedule.days", fmt.Sprint(days), fmt.Sprintf("the median flight of %s", scope))
	}
	in.days = in.start.DaysUntil(in.end) + 1
	if in.end.Before(in.start) {
		return in, fmt.Errorf("the flight ends (%s) before it starts (%s)", in.end, in.start)
	}

	// Budget, as a lifetime amount in the plan currency.
	switch bu := b.Budget; {
	case bu != nil && bu.Amount > 0:
		amount := bu.Amount
		if bu.Currency != "" && bu.Currency != in.currency {
			conv, err := p.facts.Convert(amount, bu.Currency, in.currency)
			if err != nil {
				return in, fmt.Errorf("converting the budget: %w", err)
			}
			amount = conv
		}
		in.budgetType = agents.BudgetLifetime
		if bu.Type == agents.BudgetDaily {
			in.budgetType = agents.BudgetDaily
			assume("budget.type", agents.BudgetLifetime, fmt.Sprintf("the brief gives %s %s a day; the ad sets book it as %s %s over the %d days, so their budgets add up exactly",
				money.FormatAmount(amount, in.currency), in.currency, money.FormatAmount(amount*float64(in.days), in.currency), in.currency, in.days))
			amount *= float64(in.days)
		}
		in.budget = amount
	case bu != nil:
		return in, fmt.Errorf("the budget is %s: a plan needs a budget above zero", agents.FormatBudget(*bu))
	default:
		usd, scope := p.typical.lookup(p.typical.budgetUSD, in.objective, in.markets[0])
		amount, err := p.facts.Convert(usd, "USD", in.currency)
		if err != nil {
			return in, fmt.Errorf("converting the typical budget: %w", err)
		}
		in.budget = roundBudget(amount)
		in.budgetType = agents.BudgetLifetime
		assume("budget.amount", money.FormatAmount(in.budget, in.currency)+" "+in.currency, "the brief states no budget; the median budget of "+scope)
	}
	in.budget = math.Round(in.budget*100) / 100
	if in.budget > 1e12 || math.IsInf(in.budget, 0) || math.IsNaN(in.budget) {
		return in, fmt.Errorf("the budget %s %s is too large to plan", money.FormatAmount(in.budget, in.currency), in.currency)
	}

	// What a planner would flag before buying anything.
	if in.start.Before(tomorrow) {
		in.warnings = append(in.warnings, fmt.Sprintf("The flight starts %s, which is not in the future; ad sets cannot start in the past.", in.start))
	}
	if in.days < 7 {
		in.warnings = append(in.warnings, fmt.Sprintf("A %d-day flight is too short for delivery to learn and optimise; a week or more is safer.", in.days))
	}
	for _, r := range in.audience.AgeRanges {
		if r.Min < 18 {
			in.warnings = append(in.warnings, "The audience includes people under 18: ads to minors are restricted (no alcohol, gambling, dating, and more) and some markets forbid targeting them.")
			break
		}
	}
	if usd, _ := p.facts.Convert(in.budget, in.currency, "USD"); usd < ch.MinCampaignUSD {
		in.warnings = append(in.warnings, fmt.Sprintf("The budget (%s %s) is below the %s minimum of about %s %s.", money.FormatAmount(in.budget, in.currency), in.currency, ch.Name, money.FormatAmount(p.mustConvert(ch.MinCampaignUSD, "USD", in.currency), in.currency), in.currency))
	}
	return in, nil
}

func (p *Planner) mustConvert(amount float64, from, to string) float64 {
	v, err := p.facts.Convert(amount, from, to)
	if err != nil {
		return amount
	}
	return v
}

// roundBudget rounds a filled-in budget to a figure a planner would write.
func roundBudget(v float64) float64 {
	if v <= 0 {
		return v
	}
	mag := math.Pow(10, math.Floor(math.Log10(v))-1)
	return math.Round(v/mag) * mag
}

// candidate is one ad set the budget may go to.
type candidate struct {
	market    string
	format    string
	placement string
	platforms []string
	audience  float64
	minUSD    float64
}

// candidates lists the ad sets the brief, the objective's rules and the channel allow,
// and says what was left out and why.
func (p *Planner) candidates(in planInputs) ([]candidate, []string) {
	rule := p.rules.Objectives[in.objective]
	var notes []string
	if !slices.Contains(in.channel.Objectives, string(in.objective)) {
		notes = append(notes, fmt.Sprintf("The %s channel does not sell %s; choose another channel or objective.", in.channel.Name, in.objective))
		return nil, notes
	}
	formats := slices.Clone(rule.Formats)
	formats = slices.DeleteFunc(formats, func(f string) bool {
		return !slices.Contains(in.channel.Formats, f) || len(in.formats) > 0 && !slices.Contains(in.formats, f) ||
			in.maxShare != nil && in.maxShare[f] == 0 && hasKey(in.maxShare, f)
	})
	if len(formats) == 0 {
		notes = append(notes, fmt.Sprintf("%s runs on %s, which the brief or the %s channel rules out.", in.objective, strings.Join(rule.Formats, "/"), in.channel.Name))
		return nil, notes
	}
	placements := slices.Clone(rule.Placements)
	if len(in.audience.Placements) > 0 {
		placements = slices.DeleteFunc(placements, func(pl string) bool { return !slices.Contains(in.audience.Placements, pl) })
		if len(placements) == 0 {
			notes = append(notes, fmt.Sprintf("%s cannot run on %s placements.", in.objective, strings.Join(in.audience.Placements, "/")))
			return nil, notes
		}
	}
	platformSets := [][]string{in.audience.Platforms}
	if rule.OneMobilePlatform {
		mobile := []string{agents.PlatformIOS, agents.PlatformAndroid}
		if len(in.audience.Platforms) > 0 {
			mobile = slices.DeleteFunc(slices.Clone(in.audience.Platforms), func(pl string) bool { return pl == agents.PlatformDesktop })
		}
		if len(mobile) == 0 {
			notes = append(notes, "App installs need a mobile platform (iOS or Android), and the brief names only desktop.")
			return nil, notes
		}
		platformSets = nil
		for _, pl := range mobile {
			platformSets = append(platformSets, []string{pl})
		}
	} else if rule.NoDesktop && slices.Contains(in.audience.Platforms, agents.PlatformDesktop) {
		rest := slices.DeleteFunc(slices.Clone(in.audience.Platforms), func(pl string) bool { return pl == agents.PlatformDesktop })
		platformSets = [][]string{rest}
		notes = append(notes, fmt.Sprintf("%s does not run on desktop; desktop left out.", in.objective))
	}
	// An ad set must get the channel's minimum, and enough a day to deliver steadily
	// over the flight: opening one that the thin-budget warning would flag helps no one.
	minAdSet := math.Max(in.channel.MinAdSetUSD, p.typical.thinDailyUSD*float64(in.days))
	var cs []candidate
	for _, m := range in.markets {
		for _, f := range formats {
			for _, pl := range placements {
				if f == agents.FormatImage && !slices.Contains(p.rules.ImagePlacements, pl) {
					continue
				}
				for _, plats := range platformSets {
					t := market.Targeting{Genders: in.audience.Genders, Platforms: plats, Placements: []string{pl}}
					for _, r := range in.audience.AgeRanges {
						t.AgeRanges = append(t.AgeRanges, market.AgeRange{Min: r.Min, Max: r.Max})
					}
					size := p.facts.AudienceSize(m, t)
					if size < 1 {
						continue
					}
					cs = append(cs, candidate{market: m, format: f, placement: pl, platforms: plats, audience: size, minUSD: minAdSet})
				}
			}
		}
	}
	return cs, notes
}

func hasKey(m map[string]float64, k string) bool { _, ok := m[k]; return ok }

// allocation is the budget of each candidate in the plan currency.
type allocation []float64

// allocate splits the budget by marginal return on the objective: it hands out the
// budget in small steps, each to the candidate whose forecast result grows most for
// it, so spend flows to cheap, unsaturated audiences first. It honours format caps
// and the minimum spend per ad set, and gives every market its best ad set first
// when the budget can cover them all.
func (p *Planner) allocate(in planInputs, cs []candidate) allocation {
	alloc := make(allocation, len(cs))
	usdPerUnit, _ := p.facts.USDPerUnit(in.currency)
	minUnits := func(c candidate) float64 { return c.minUSD / usdPerUnit }
	value := func(i int, amount float64) float64 {
		if amount <= 0 {
			return 0
		}
		pred, err := p.predict(in, cs[i], amount*usdPerUnit)
		if err != nil {
			return 0
		}
		return effectiveValue(pred, in.days)
	}
	formatSpent := map[string]float64{}
	capOK := func(c candidate, extra float64) bool {
		share, ok := in.maxShare[c.format]
		return !ok || formatSpent[c.format]+extra <= share*in.budget+1e-9
	}
	remaining := in.budget

	// Seed each market with its best single ad set at the minimum, when affordable.
	perMarketMin := 0.0
	seen := map[string]bool{}
	for _, c := range cs {
		if !seen[c.market] {
			seen[c.market] = true
			perMarketMin += minUnits(c)
		}
	}
	if perMarketMin <= in.budget {
		for _, m := range in.markets {
			best, bestV := -1, -1.0
			for i, c := range cs {
				if c.market != m || !capOK(c, minUnits(c)) {
					continue
				}
				if v := value(i, minUnits(c)) / minUnits(c); v > bestV {
					best, bestV = i, v
				}
			}
			if best >= 0 {
				amt := min(minUnits(cs[best]), remaining)
				alloc[best] += amt
				formatSpent[cs[best].format] += amt
				remaining -= amt
			}
		}
	}

	const steps = 60
	step := in.budget / steps
	cur := make([]float64, len(cs))
	gain := make([]float64, len(cs))
	cost := make([]float64, len(cs))
	refresh := func(i int) {
		cur[i] = value(i, alloc[i])
		cost[i] = step
		if alloc[i] == 0 {
			cost[i] = max(step, minUnits(cs[i]))
		}
		gain[i] = (value(i, alloc[i]+cost[i]) - cur[i]) / cost[i]
	}
	for i := range cs {
		refresh(i)
	}
	for remaining > 1e-6 {
		best := -1
		for i, c := range cs {
			amt := min(cost[i], remaining)
			if alloc[i] == 0 && amt < minUnits(c) {
				continue // cannot open an ad set below the minimum
			}
			if !capOK(c, amt) {
				continue
			}
			if best < 0 || gain[i] > gain[best] {
				best = i
			}
		}
		if best < 0 {
			// Nothing can take more without breaking a cap or a minimum: give the rest
			// to the biggest open line item that has room.
			best = p.fallbackLine(alloc, cs, capOK, remaining)
			if best < 0 {
				break
			}
			alloc[best] += remaining
			formatSpent[cs[best].format] += remaining
			remaining = 0
			break
		}
		amt := min(cost[best], remaining)
		alloc[best] += amt
		formatSpent[cs[best].format] += amt
		remaining -= amt
		refresh(best)
	}
	if remaining > 1e-6 && slices.Max(alloc) == 0 {
		// The budget is below the minimum of a single ad set: the plan still shows
		// what it would buy in the best one, and the warnings say it is too small.
		best := 0
		for i := range cs {
			if gain[i] > gain[best] {
				best = i
			}
		}
		alloc[best] = in.budget
	}
	return alloc
}

func (p *Planner) fallbackLine(alloc allocation, cs []candidate, capOK func(candidate, float64) bool, extra float64) int {
	best := -1
	for i := range cs {
		if alloc[i] > 0 && capOK(cs[i], extra) && (best < 0 || alloc[i] > alloc[best]) {
			best = i
		}
	}
	if best < 0 {
		for i := range cs {
			if alloc[i] > 0 && (best < 0 || alloc[i] > alloc[best]) {
				best = i
			}
		}
	}
	return best
}

// effectiveValue is the forecast result a planner would count: beyond about three
// exposures per person per week, extra impressions mostly repeat the message, so
// results past that frequency count at a tenth.
func effectiveValue(pred forecast.Prediction, days int) float64 {
	v := pred.Result.Mid
	capFreq := 3 * math.Max(1, float64(days)/7)
	if f := pred.Frequency.Mid; f > capFreq {
		v = v*capFreq/f + v*(1-capFreq/f)*0.1
	}
	return v
}

// predict forecasts one line item. The history is priced as self-serve; a channel's
// pricing multiplies the CPM, so the same money buys fewer (or more) impressions.
func (p *Planner) predict(in planInputs, c candidate, budgetUSD float64) (forecast.Prediction, error) {
	mult := in.channel.CPMMultiplier
	if mult <= 0 {
		mult = 1
	}
	pred, err := p.model.Predict(p.query(in, c, budgetUSD/mult))
	if err != nil {
		return pred, err
	}
	pred.CPMUSD = scaleRange(pred.CPMUSD, mult)
	return pred, nil
}

func (p *Planner) query(in planInputs, c candidate, budgetUSD float64) forecast.Query {
	q := forecast.Query{
		Market: c.market, Objective: string(in.objective), Format: c.format, Placement: c.placement,
		AudienceSize: c.audience, BudgetUSD: budgetUSD, Days: in.days, AgeMin: 18, AgeMax: 99, Gender: "ALL",
		Start: in.start.Time(),
	}
	if len(in.audience.AgeRanges) > 0 {
		q.AgeMin, q.AgeMax = in.audience.AgeRanges[0].Min, in.audience.AgeRanges[0].Max
		for _, r := range in.audience.AgeRanges[1:] {
			q.AgeMin, q.AgeMax = min(q.AgeMin, r.Min), max(q.AgeMax, r.Max)
		}
	}
	if len(in.audience.Genders) == 1 && in.audience.Genders[0] != agents.GenderNonBinary {
		q.Gender = in.audience.Genders[0]
	}
	return q
}

// assemble turns the allocation into line items with budgets that add up to the
// total exactly, forecasts, totals, evidence, warnings and API payloads.
func (p *Planner) assemble(b agents.Brief, in planInputs, cs []candidate, alloc allocation) agents.Plan {
	plan := agents.Plan{
		Brief: b, Channel: in.channel.Name, Objective: in.objective, Currency: in.currency,
		Budget: in.budget, BudgetType: in.budgetType, Flight: agents.NewSchedule(in.start, in.end),
		Assumptions: nonNilSlice(in.assumptions), Warnings: nonNilSlice(in.warnings),
	}
	usdPerUnit, _ := p.facts.USDPerUnit(in.currency)
	totalMicro := int64(math.Round(in.budget*100)) * 10_000
	micros := splitMicros(totalMicro, alloc)
	rule := p.rules.Objectives[in.objective]
	var sets []spotify.AdSetSpec
	var largest int64 = -1
	for i, c := range cs {
		if micros[i] == 0 {
			continue
		}
		amount := float64(micros[i]) / 1e6
		pred, err := p.predict(in, c, amount*usdPerUnit)
		if err != nil {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("No forecast for %s %s %s: %v", c.market, c.format, c.placement, err))
		}
		li := agents.LineItem{
			ID:     fmt.Sprintf("%s-%s-%s%s", c.market, strings.ToLower(c.format), strings.ToLower(c.placement), platformSuffix(c.platforms)),
			Market: c.market, Format: c.format, Placements: []string{c.placement},
			Budget: amount, BudgetMicro: micros[i], Share: float64(micros[i]) / float64(totalMicro),
			Audience: math.Round(c.audience),
			Forecast: agents.LineForecast{
				Impressions: pred.Impressions, Reach: pred.Reach, Frequency: pred.Frequency,
				CPM:    scaleRange(pred.CPMUSD, 1/usdPerUnit),
				Result: agents.ResultForecast{Metric: rule.Result, Range: pred.Result},
			},
			Evidence: pred.Evidence,
		}
		plan.LineItems = append(plan.LineItems, li)
		if micros[i] > largest {
			largest = micros[i]
			plan.Evidence = agents.PlanEvidence{SimilarCampaigns: pred.Evidence.Similar, MatchedOn: pred.Evidence.MatchedOn, Widened: nonNilSlice(pred.Evidence.Widened)}
		}
		if c.audience < 50_000 {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("The %s audience for %s is only about %s people: too narrow to deliver the budget without very high frequency.", c.market, li.ID, agents.FormatCount(c.audience)))
		} else if pred.Frequency.Mid > 3*math.Max(1, float64(in.days)/7)*2 {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s reaches its audience about %.1f times over the flight: the audience is narrow for this budget.", li.ID, pred.Frequency.Mid))
		}
		if float64(micros[i])/1e6*usdPerUnit < c.minUSD*0.999 {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s gets less than the %s minimum per ad set.", li.ID, in.channel.Name))
		}
		sets = append(sets, p.adSetSpec(in, c, li))
	}
	sort.SliceStable(plan.LineItems, func(i, j int) bool { return plan.LineItems[i].BudgetMicro > plan.LineItems[j].BudgetMicro })
	plan.Totals = totals(plan.LineItems, totalMicro, rule.Result)
	plan.Evidence.HistorySize = p.historySize
	plan.Evidence.Method = "Forecasts come from past campaigns with the same objective, market, format and placement, in the same budget band and with overlapping ages, widened step by step when fewer than 30 match; CPM and result rates are their medians with 10th–90th percentile ranges, and reach saturates with the audience size."
	covered := map[string]bool{}
	for _, li := range plan.LineItems {
		covered[li.Market] = true
	}
	var uncovered []string
	for _, m := range in.markets {
		if !covered[m] {
			uncovered = append(uncovered, m)
		}
	}
	if len(uncovered) > 0 && len(cs) > 0 {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("The budget is too thin to give every market an ad set that can deliver over the flight (about %s %s each): %s left out. A larger budget or a shorter flight covers them.",
			money.FormatAmount(math.Ceil(cs[0].minUSD/usdPerUnit), in.currency), in.currency, strings.Join(uncovered, ", ")))
	}
	var thin []string
	for _, li := range plan.LineItems {
		if li.Budget*usdPerUnit/float64(in.days) < p.typical.thinDailyUSD {
			thin = append(thin, li.ID)
		}
	}
	if len(thin) > 0 {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("The budget is thin for the flight: %s would spend less a day than 90%% of past campaigns (about %s USD a day); delivery may be patchy. A shorter flight or fewer ad sets concentrates it.", strings.Join(thin, ", "), money.FormatAmount(math.Round(p.typical.thinDailyUSD), "USD")))
	}
	payloads, err := spotify.Build(spotify.CampaignSpec{Name: campaignName(b, in), Objective: string(in.objective)}, sets)
	if err != nil {
		plan.Warnings = append(plan.Warnings, "The Spotify Ads API payloads could not be built: "+err.Error())
	}
	plan.SpotifyAdsAPI = payloads
	return plan
}

func platformSuffix(pl []string) string {
	if len(pl) == 1 {
		return "-" + strings.ToLower(pl[0])
	}
	return ""
}

func (p *Planner) adSetSpec(in planInputs, c candidate, li agents.LineItem) spotify.AdSetSpec {
	s := spotify.AdSetSpec{
		Name: li.ID, Market: c.market, Format: c.format, Placements: []string{c.placement},
		Platforms: c.platforms, Genders: in.audience.Genders, Genres: in.audience.Genres,
		Interests: in.audience.Interests, Languages: in.audience.Languages,
		BudgetMicro: li.BudgetMicro, Currency: in.currency, BudgetType: agents.BudgetLifetime,
		Start: in.start.Time(), End: in.end.Time(), Objective: string(in.objective),
		Regions: in.audience.Geo.Regions, Cities: in.audience.Geo.Cities,
		// Bid up to the top of the forecast CPM range, so the ad set can win the
		// auctions the forecast assumes.
		BidMicro: int64(math.Ceil(li.Forecast.CPM.High * 1e6)),
	}
	for _, r := range in.audience.AgeRanges {
		s.AgeRanges = append(s.AgeRanges, spotify.AgeRange{Min: r.Min, Max: r.Max})
	}
	return s
}

func campaignName(b agents.Brief, in planInputs) string {
	return fmt.Sprintf("adplan %s %s %s", in.objective, strings.Join(in.markets, "+"), in.start)
}

// splitMicros turns amounts into micro units that are whole cents and add up to total
// exactly: each is rounded down to the cent, and the cents left over go to the
// largest amounts first.
func splitMicros(total int64, alloc allocation) []int64 {
	sum := 0.0
	for _, a := range alloc {
		sum += a
	}
	out := make([]int64, len(alloc))
	if sum <= 0 {
		return out
	}
	totalCents := total / 10_000
	var given int64
	type frac struct {
		i int
		f float64
	}
	var fracs []frac
	for i, a := range alloc {
		exact := a / sum * float64(totalCents)
		c := int64(math.Floor(exact))
		out[i] = c
		given += c
		if a > 0 {
			fracs = append(fracs, frac{i, exact - float64(c)})
		}
	}
	sort.SliceStable(fracs, func(a, b int) bool { return fracs[a].f > fracs[b].f })
	for k := 0; given < totalCents && len(fracs) > 0; k = (k + 1) % len(fracs) {
		out[fracs[k].i]++
		given++
	}
	for i := range out {
		out[i] *= 10_000
	}
	return out
}

func scaleRange(r forecast.Range, f float64) forecast.Range {
	return forecast.Range{Low: r.Low * f, Mid: r.Mid * f, High: r.High * f}
}

func totals(items []agents.LineItem, totalMicro int64, metric string) agents.Totals {
	t := agents.Totals{BudgetMicro: totalMicro, Budget: float64(totalMicro) / 1e6, Result: agents.ResultForecast{Metric: metric}}
	for _, li := range items {
		t.Impressions = addRange(t.Impressions, li.Forecast.Impressions)
		t.Reach = addRange(t.Reach, li.Forecast.Reach)
		t.Result.Range = addRange(t.Result.Range, li.Forecast.Result.Range)
	}
	if t.Reach.Mid > 0 {
		t.Frequency = forecast.Range{Low: safeDiv(t.Impressions.Low, t.Reach.Low), Mid: t.Impressions.Mid / t.Reach.Mid, High: safeDiv(t.Impressions.High, t.Reach.High)}
		sortRange(&t.Frequency)
	}
	if t.Impressions.Mid > 0 {
		t.CPM = forecast.Range{Low: t.Budget / t.Impressions.High * 1000, Mid: t.Budget / t.Impressions.Mid * 1000, High: t.Budget / t.Impressions.Low * 1000}
		sortRange(&t.CPM)
	}
	return t
}

func addRange(a, b forecast.Range) forecast.Range {
	return forecast.Range{Low: a.Low + b.Low, Mid: a.Mid + b.Mid, High: a.High + b.High}
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func sortRange(r *forecast.Range) {
	v := []float64{r.Low, r.Mid, r.High}
	slices.Sort(v)
	r.Low, r.Mid, r.High = v[0], v[1], v[2]
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// HistorySize is how many past campaigns the planner learned from.
func (p *Planner) HistorySize() int { return p.historySize }
