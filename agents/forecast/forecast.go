package forecast

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/adplan/adplan/agents/history"
)

// Query is one line item to forecast.
type Query struct {
	Market         string  // ISO 3166-1 alpha-2
	Objective      string  // REACH, EVEN_IMPRESSION_DELIVERY, CLICKS, ...
	Format         string  // AUDIO, VIDEO, IMAGE
	Placement      string  // MUSIC or PODCAST
	AudienceSize   float64 // people the targeting can reach in the market (> 0)
	AgeMin, AgeMax int     // for matching similar campaigns
	Gender         string  // ALL, FEMALE, MALE: matched for evidence, not used by the model yet
	BudgetUSD      float64
	Days           int
	// Start is the flight's first day. Optional: prices move with the season
	// where the history shows it, and a zero Start gets the typical month.
	Start time.Time
	// FrequencyCaps hold each listener's impressions over the flight (see
	// FlightFrequency); nil means Spotify's defaults, SpotifyDefaultCaps, which
	// every ad set runs under when it sets none.
	FrequencyCaps []FrequencyCap
	// SkipEvidence leaves Prediction.Evidence empty, for a caller that only
	// compares forecasts (an optimiser trying budgets): finding the similar
	// campaigns is a fifth of a prediction's cost.
	SkipEvidence bool
}

// Range is a forecast's low, middle and high value (Low ≤ Mid ≤ High).
type Range struct {
	Low  float64 `json:"low"`
	Mid  float64 `json:"mid"`
	High float64 `json:"high"`
}

// Prediction is the forecast for one line item.
type Prediction struct {
	Impressions Range `json:"impressions"`
	Reach       Range `json:"reach"`
	Frequency   Range `json:"frequency"`
	CPMUSD      Range `json:"cpm_usd"`
	// Result is the objective's own result, named by ResultMetric.
	Result       Range    `json:"result"`
	ResultMetric string   `json:"result_metric"`
	Evidence     Evidence `json:"evidence"`
	// MaxFrequency is the most impressions a listener can get over the flight
	// under the query's frequency caps; Frequency never exceeds it.
	MaxFrequency float64 `json:"max_frequency"`
	// CappedImpressions is set when the audience cannot take all the impressions
	// the budget buys at that frequency: Impressions are what it can take, and
	// the rest of the budget would go unspent.
	CappedImpressions bool `json:"capped_impressions,omitempty"`
}

// Options tune Fit. The zero value is what Fit uses.
type Options struct {
	// Region maps a market to the region it backs off to when it has too few
	// campaigns of its own ("" for none). Nil groups the markets of the
	// history by their price level (see the package doc). Predict calls it
	// for markets the history lacks, so it must be safe for concurrent use.
	Region func(market string) string
	// MinSimilar is how many campaigns a segment or an evidence set needs
	// before it stops widening; 0 means 30.
	MinSimilar int
}

// ErrInvalidQuery is wrapped by every error Predict returns.
var ErrInvalidQuery = errors.New("invalid forecast query")

// ErrNoHistory is returned by Fit when no campaign is usable.
var ErrNoHistory = errors.New("no usable past campaigns")

// resultMetrics names each objective's own result.
var resultMetrics = map[string]string{
	"REACH":                    "reach",
	"EVEN_IMPRESSION_DELIVERY": "reach",
	"CLICKS":                   "clicks",
	"WEBSITE_VISITS":           "website_visits",
	"VIDEO_VIEWS":              "video_completions",
	"CONVERSIONS":              "conversions",
	"LEAD_GEN":                 "leads",
	"PODCAST_STREAMS":          "podcast_streams",
	"APP_INSTALLS":             "installs",
}

var formats = map[string]bool{"AUDIO": true, "VIDEO": true, "IMAGE": true}

var placements = map[string]bool{"MUSIC": true, "PODCAST": true}

// ResultMetric names the result an objective is judged by ("reach",
// "clicks", "video_completions", ...); ok is false for an unknown objective.
func ResultMetric(objective string) (metric string, ok bool) {
	metric, ok = resultMetrics[objective]
	return metric, ok
}

// resultOf is a campaign's own result for its objective.
func resultOf(c *history.Campaign) float64 {
	switch c.Objective {
	case "REACH", "EVEN_IMPRESSION_DELIVERY":
		return c.Reach
	case "CLICKS", "WEBSITE_VISITS":
		return c.Clicks
	case "VIDEO_VIEWS":
		return c.VideoCompletions
	case "CONVERSIONS":
		return c.Conversions
	case "LEAD_GEN":
		return c.Leads
	case "PODCAST_STREAMS":
		return c.PodcastStreams
	case "APP_INSTALLS":
		return c.Installs
	}
	return 0
}

func isReachObjective(o string) bool { return o == "REACH" || o == "EVEN_IMPRESSION_DELIVERY" }

// Model is a forecast fitted on past campaigns. It is safe for concurrent use.
type Model struct {
	minSimilar   int
	regionOf     func(string) string
	markets      map[string]int32
	marketRegion []int32
	regionIndex  map[string]int32
	regionNames  []string
	marketAud    []float64 // widest audience seen per market
	meanNarrow   float64
	cells        map[segKey]int32
	knots        []float64 // of the reach pressure curve, in log(I/A)
	dayKnots     []float64 // of the reach flight-length curve, in log(days)
	dateLo       float64   // first and last campaign start, in years
	dateHi       float64
	cpm          *segModel
	reach        *segModel
	rates        map[string]*segModel // by objective
	evidence     *evidenceIndex
	season       *seasonIndex
	n            int
}

// Fit learns a Model from past campaigns with the default Options.
func Fit(campaigns []history.Campaign) (*Model, error) {
	return FitWith(campaigns, Options{})
}

// usable reports whether a campaign can teach the model anything.
func usable(c *history.Campaign) bool {
	_, okObj := resultMetrics[c.Objective]
	return okObj && formats[c.Format] && placements[c.Placement] && c.Market != "" &&
		c.SpendUSD > 0 && c.Impressions > 0 && c.AudienceSize > 0 && c.Days >= 1
}

// FitWith learns a Model from past campaigns.
func FitWith(campaigns []history.Campaign, opt Options) (*Model, error) {
	m := &Model{
		minSimilar:  opt.MinSimilar,
		markets:     map[string]int32{},
		regionIndex: map[string]int32{},
		cells:       map[segKey]int32{},
		rates:       map[string]*segModel{},
		evidence:    newEvidenceIndex(),
	}
	if m.minSimilar <= 0 {
		m.minSimilar = 30
	}
	use, marketNames, cellKeys := m.index(campaigns)
	if len(use) == 0 {
		return nil, fmt.Errorf("fitting forecast: %w (of %d)", ErrNoHistory, len(campaigns))
	}
	m.n = len(use)
	m.assignRegions(opt, use, marketNames, cellKeys)
	dateOf := m.dateScale(use)
	m.placeKnots(use)
	o := m.observe(use, dateOf)
	m.fitParts(o, len(marketNames), cellKeys)
	return m, nil
}

// index keeps the usable campaigns and numbers their markets and segments in the
// order they first appear, noting the widest audience seen in each market (the
// yardstick of audience narrowness).
func (m *Model) index(campaigns []history.Campaign) (use []*history.Campaign, marketNames []string, cellKeys []segKey) {
	for i := range campaigns {
		c := &campaigns[i]
		if !usable(c) {
			continue
		}
		use = append(use, c)
		if _, ok := m.markets[c.Market]; !ok {
			m.markets[c.Market] = int32(len(m.marketAud))
			m.marketAud = append(m.marketAud, 0)
		}
		mi := m.markets[c.Market]
		m.marketAud[mi] = max(m.marketAud[mi], c.AudienceSize)
		k := segKey{c.Format, c.Placement, c.Objective}
		if _, ok := m.cells[k]; !ok {
			m.cells[k] = int32(len(cellKeys))
			cellKeys = append(cellKeys, k)
		}
	}
	marketNames = make([]string, len(m.marketAud))
	for name, i := range m.markets {
		marketNames[i] = name
	}
	return use, marketNames, cellKeys
}

// assignRegions gives every market the region it backs off to: the caller's, or
// without one a tier of markets at a similar price level.
func (m *Model) assignRegions(opt Options, use []*history.Campaign, marketNames []string, cellKeys []segKey) {
	if opt.Region != nil {
		m.regionOf = opt.Region
	} else {
		m.regionOf = priceTiers(use, m.markets, marketNames, m.cells, len(cellKeys))
	}
	m.marketRegion = make([]int32, len(marketNames))
	for i, name := range marketNames {
		m.marketRegion[i] = m.regionID(m.regionOf(name), true)
	}
}

// dateScale notes the span of the campaigns' start dates, which Predict clamps a
// query's date to, and returns a campaign's date in years; a campaign without one
// counts as the middle of the data.
func (m *Model) dateScale(use []*history.Campaign) func(*history.Campaign) float64 {
	var dates []float64
	for _, c := range use {
		if !c.Start.IsZero() {
			dates = append(dates, yearsOf(c.Start))
		}
	}
	if len(dates) > 0 {
		m.dateLo, m.dateHi = slices.Min(dates), slices.Max(dates)
	}
	midDate := median(dates)
	return func(c *history.Campaign) float64 {
		if c.Start.IsZero() {
			return midDate
		}
		return yearsOf(c.Start)
	}
}

// placeKnots places the knots of the reach curve's pressure and flight-length
// pieces at quantiles of the history's log(I/A) and log(days).
func (m *Model) placeKnots(use []*history.Campaign) {
	var logU, logD []float64
	for _, c := range use {
		logD = append(logD, math.Log(float64(c.Days)))
		if reachable(c) {
			logU = append(logU, math.Log(c.Impressions/c.AudienceSize))
		}
	}
	m.knots = knotsAt(logU, pressureKnots)
	m.dayKnots = knotsAt(logD, flightKnots)
}

// reachable reports whether a campaign's reach can be inverted for the reach
// curve's k: reach = A·(1 − exp(−k·I/A)).
func reachable(c *history.Campaign) bool {
	return c.Reach > 0 && c.Reach < maxReachShare*c.AudienceSize && c.Reach <= c.Impressions
}

// observations are the campaigns as each part of the model sees them.
type observations struct {
	cpmCovs, rateCovs, reachCovs []covariate
	cpm, reach                   []obs
	rates                        map[string][]obs // by objective
}

// observe turns each campaign into an observation of log CPM, of log k (where its
// reach can be inverted) and of its log result rate (for objectives other than
// reach), with their covariates; it also adds the campaign to the evidence index
// and sums the audience narrowness for its mean.
func (m *Model) observe(use []*history.Campaign, dateOf func(*history.Campaign) float64) observations {
	o := observations{rates: map[string][]obs{}}
	o.cpmCovs, o.rateCovs, o.reachCovs = m.candidates()
	pr, px := len(o.reachCovs), len(o.cpmCovs)
	o.cpm = make([]obs, 0, len(use))
	o.reach = make([]obs, 0, len(use))
	xs := make([]float64, 0, (px+pr)*len(use))
	for _, c := range use {
		mi, ci := m.markets[c.Market], m.cells[segKey{c.Format, c.Placement, c.Objective}]
		mo := flightMonth(c.Start, c.Days)
		nw, ld := m.narrowness(c), math.Log(float64(c.Days))
		m.meanNarrow += nw
		xs = m.appendX(xs, nw, ld, math.Log(c.SpendUSD), dateOf(c))
		x := xs[len(xs)-px:]
		o.cpm = append(o.cpm, obs{mi, ci, mo, x, math.Log(c.SpendUSD / c.Impressions * 1000)})
		if reachable(c) {
			u := c.Impressions / c.AudienceSize
			k := -math.Log1p(-c.Reach/c.AudienceSize) / u
			xs = m.appendReachX(xs, nw, ld, math.Log(u))
			o.reach = append(o.reach, obs{mi, ci, mo, xs[len(xs)-pr:], math.Log(k)})
		}
		if !isReachObjective(c.Objective) {
			if r := resultOf(c); r > 0 {
				o.rates[c.Objective] = append(o.rates[c.Objective], obs{mi, ci, mo, x, math.Log(r / c.Impressions)})
			}
		}
		m.evidence.add(c.Objective, mi, m.marketRegion[mi], c.Format, c.Placement,
			budgetBand(c.SpendUSD), c.Gender, c.AgeMin, c.AgeMax)
	}
	m.meanNarrow /= float64(len(use))
	return o
}

// narrowness is log(audience / the widest audience seen in the campaign's market).
func (m *Model) narrowness(c *history.Campaign) float64 {
	return math.Log(c.AudienceSize / m.marketAud[m.markets[c.Market]])
}

// fitParts fits the CPM, reach and per-objective rate models and finishes the
// evidence index. The parts are independent: they are fitted side by side.
func (m *Model) fitParts(o observations, nMarkets int, cellKeys []segKey) {
	objectives := sortedStrings(o.rates)
	rates := make([]*segModel, len(objectives))
	tasks := []func(){
		m.evidence.finish,
		func() { m.season = measureSeason(o.cpm, nMarkets) },
		func() {
			m.cpm = fitSegments(o.cpm, o.cpmCovs, nMarkets, m.marketRegion, cellKeys, m.minSimilar, true)
			m.cpm.formatFirst = true
		},
		func() {
			m.reach = fitSegments(o.reach, o.reachCovs, nMarkets, m.marketRegion, cellKeys, m.minSimilar, false)
			m.reach.formatFirst = true
		},
	}
	for i, obj := range objectives {
		tasks = append(tasks, func() {
			rates[i] = fitSegments(o.rates[obj], o.rateCovs, nMarkets, m.marketRegion, cellKeys, m.minSimilar, true)
		})
	}
	runAll(tasks)
	for i, obj := range objectives {
		m.rates[obj] = rates[i]
	}
}

// candidates are the adjustments each part of the model may use, in the
// order appendX and appendReachX lay them out. Flight length and pressure are
// piecewise linear (knots at quantiles of the history); their bounds keep the
// forecast's promises: CPM's flight-length slopes ≥ −1 (a longer flight at the
// same budget never buys more per day), its budget slope < 1 (more budget
// always buys more impressions), the pressure slopes in [−0.9, 0] (reach keeps
// growing with impressions while frequency rises).
func (m *Model) candidates() (cpm, rate, reach []covariate) {
	inf := math.Inf(1)
	days := func(lo float64) []covariate {
		var out []covariate
		for j := 0; j <= len(m.dayKnots); j++ {
			out = append(out, covariate{pieceName("flight length", "days", m.dayKnots, j), lo, inf, "flight length"})
		}
		return out
	}
	narrow := covariate{"audience narrowness", -inf, inf, ""}
	cpm = append(append([]covariate{narrow}, days(-1)...),
		covariate{"budget", -inf, 0.9, ""}, covariate{"date", -inf, inf, ""})
	rate = append(append([]covariate{narrow}, days(-inf)...),
		covariate{"budget", -inf, inf, ""}, covariate{"date", -inf, inf, ""})
	reach = append([]covariate{narrow}, days(-inf)...)
	for j := 0; j <= len(m.knots); j++ {
		reach = append(reach, covariate{pieceName("pressure", "I/A", m.knots, j), -0.9, 0, "pressure"})
	}
	return cpm, rate, reach
}

// appendX appends the CPM and result-rate covariates.
func (m *Model) appendX(xs []float64, narrow, logDays, logBudget, date float64) []float64 {
	xs = appendHinges(append(xs, narrow), m.dayKnots, logDays)
	return append(xs, logBudget, date)
}

// appendReachX appends the reach-curve covariates.
func (m *Model) appendReachX(xs []float64, narrow, logDays, logPressure float64) []float64 {
	return appendHinges(appendHinges(append(xs, narrow), m.dayKnots, logDays), m.knots, logPressure)
}

// maxReachShare bounds the campaigns the reach curve learns from: past it,
// inverting the curve for k turns rounding into noise.
const maxReachShare = 0.98

// pressureKnots are the quantiles of log(impressions/audience) where the
// reach curve's slope may change.
var pressureKnots = []float64{0.1, 0.3, 0.5, 0.7, 0.85, 0.95}

// minPieceWidth is the narrowest span (in log units) a piece of a
// piecewise-linear curve may have: a slope needs some spread to be learned.
const minPieceWidth = 0.25

// knotsAt returns the qs-quantiles of xs, leaving out any that would make a
// piece narrower than minPieceWidth.
func knotsAt(xs []float64, qs []float64) []float64 {
	if len(xs) < 10*len(qs) {
		return nil
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	var out []float64
	prev := sorted[0]
	for _, q := range qs {
		if v := quantileSorted(sorted, q); v-prev >= minPieceWidth {
			out = append(out, v)
			prev = v
		}
	}
	for len(out) > 0 && sorted[len(sorted)-1]-out[len(out)-1] < minPieceWidth {
		out = out[:len(out)-1]
	}
	return out
}

// appendHinges appends the piecewise-linear basis of z for the knots: one
// value per piece, the part of z that falls in it, so each coefficient is the
// curve's slope on its piece.
func appendHinges(xs []float64, knots []float64, z float64) []float64 {
	if len(knots) == 0 {
		return append(xs, z)
	}
	xs = append(xs, min(z, knots[0]))
	for j := 1; j < len(knots); j++ {
		xs = append(xs, max(knots[j-1], min(z, knots[j]))-knots[j-1])
	}
	return append(xs, max(z, knots[len(knots)-1])-knots[len(knots)-1])
}

// flightKnots are the quantiles of log(days) where the reach curve's
// dependence on flight length may bend.
var flightKnots = []float64{0.02, 0.1, 0.5, 0.9, 0.98}

// pieceName names piece j of a piecewise-linear curve in log(unit).
func pieceName(name, unit string, knots []float64, j int) string {
	switch {
	case len(knots) == 0:
		return name
	case j == 0:
		return fmt.Sprintf("%s (%s < %.3g)", name, unit, math.Exp(knots[0]))
	case j == len(knots):
		return fmt.Sprintf("%s (%s > %.3g)", name, unit, math.Exp(knots[j-1]))
	}
	return fmt.Sprintf("%s (%s %.3g–%.3g)", name, unit, math.Exp(knots[j-1]), math.Exp(knots[j]))
}

// yearsOf is a date in years since 2000, the date adjustment's unit.
func yearsOf(t time.Time) float64 {
	return float64(t.Unix()-946684800) / (365.2425 * 86400)
}

// flightMonth is the month (0–11) of a flight's middle day, or -1 without a start.
func flightMonth(start time.Time, days int) int8 {
	if start.IsZero() {
		return -1
	}
	return int8(start.AddDate(0, 0, max(days, 1)/2).Month() - 1)
}

// runAll runs tasks on as many goroutines as there are processors and
// returns when all are done.
func runAll(tasks []func()) {
	next := make(chan func())
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(tasks)) {
		wg.Go(func() {
			for t := range next {
				t()
			}
		})
	}
	for _, t := range tasks {
		next <- t
	}
	close(next)
	wg.Wait()
}

func (m *Model) regionID(name string, create bool) int32 {
	if name == "" {
		return -1
	}
	if i, ok := m.regionIndex[name]; ok {
		return i
	}
	if !create {
		return -1
	}
	i := int32(len(m.regionNames))
	m.regionIndex[name] = i
	m.regionNames = append(m.regionNames, name)
	return i
}

// priceTiers groups markets by their price level when no region table is
// given: each market's median log CPM relative to its segments' medians,
// sorted and cut into tiers of about eight markets.
func priceTiers(use []*history.Campaign, markets map[string]int32, names []string, cells map[segKey]int32, nCells int) func(string) string {
	byCell := make([][]float64, nCells)
	logCPM := make([]float64, len(use))
	for i, c := range use {
		logCPM[i] = math.Log(c.SpendUSD / c.Impressions * 1000)
		ci := cells[segKey{c.Format, c.Placement, c.Objective}]
		byCell[ci] = append(byCell[ci], logCPM[i])
	}
	cellMed := make([]float64, nCells)
	for i, v := range byCell {
		cellMed[i] = median(v)
	}
	rel := make([][]float64, len(names))
	for i, c := range use {
		mi := markets[c.Market]
		rel[mi] = append(rel[mi], logCPM[i]-cellMed[cells[segKey{c.Format, c.Placement, c.Objective}]])
	}
	type lv struct {
		name  string
		level float64
	}
	levels := make([]lv, len(names))
	for i, name := range names {
		levels[i] = lv{name, median(rel[i])}
	}
	slices.SortFunc(levels, func(a, b lv) int {
		if a.level != b.level {
			if a.level < b.level {
				return -1
			}
			return 1
		}
		return cmpStr(a.name, b.name)
	})
	tiers := max(1, min(8, int(math.Round(float64(len(names))/8))))
	region := make(map[string]string, len(names))
	for i, l := range levels {
		t := i * tiers / len(levels)
		region[l.name] = fmt.Sprintf("CPM tier %d of %d", t+1, tiers)
	}
	return func(market string) string { return region[market] }
}

func sortedStrings[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Campaigns is how many past campaigns the model was fitted on.
func (m *Model) Campaigns() int { return m.n }

// Effects lists the adjustments the data supported, per part of the model,
// e.g. "cpm: budget −0.05 (t=−12.3)". Those the data did not show are absent.
func (m *Model) Effects() []string {
	var out []string
	add := func(part string, s *segModel) {
		if s.useSeason {
			lo, hi := slices.Min(s.season[:]), slices.Max(s.season[:])
			out = append(out, fmt.Sprintf("%s: month %+.3f…%+.3f (χ²=%.0f)", part, lo, hi, s.seasonChi))
		}
		for j, c := range s.cands {
			if s.kept[j] && s.beta[j] != 0 {
				out = append(out, fmt.Sprintf("%s: %s %+.3f (t=%.1f)", part, c.name, s.beta[j], s.tstat[j]))
			}
		}
	}
	add("cpm", m.cpm)
	add("reach", m.reach)
	for _, o := range sortedStrings(m.rates) {
		add("rate "+o, m.rates[o])
	}
	return out
}
