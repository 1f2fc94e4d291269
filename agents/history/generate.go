package history

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/adplan/adplan/agents/market"
)

// The generator of the default data set. No real campaign data can be had, so the
// history is synthetic, drawn from public benchmarks with noise. Its parameters
// below are for the generator alone: the planner learns from the data it writes,
// never from them (they are unexported on purpose).
//
// Sources (ranges as publicly reported; the values below are rounded midpoints,
// not quotes from any one of them):
//   - CPMs. Spotify Ads Manager sells in an auction (Spotify Advertising, "Ads
//     Manager" help pages: $250 minimum budget, CPM bidding). Agency guides and
//     the trade press (Digiday, AdExchanger, Spotify ad-cost explainers of
//     2023-2025) put US Spotify audio CPMs at about $15-$30, video at $20-$35 and
//     display at $5-$12; IAB / AdvertiseCast podcast rate surveys put podcast CPMs
//     at about $18-$25 (30 s and 60 s spots).
//   - Country price levels relative to the US: rounded judgement informed by
//     digital ad spend per internet user (Statista Digital Market Outlook, GroupM
//     This Year Next Year 2024) — rich markets near the US, emerging ones a tenth
//     to a third of it.
//   - Seasonality: the Q4 lift of 10-25% in auction CPMs and the January dip that
//     ad networks and Meta-buying agencies report every year.
//   - Click-through: audio companion banners 0.1-0.5% (Spotify case studies and
//     audio-ad benchmark reports), video 0.5-1.5%, display 0.3-0.6%.
//   - Video completion: 60-75% for in-stream video in apps (IAS and DoubleVerify
//     benchmark reports); higher for opt-in video, watched in exchange for ad-free
//     listening (Spotify's Sponsored Session).
//   - Funnels: landing-page conversion 2-5% (Unbounce Conversion Benchmark Report,
//     WordStream), pre-filled lead forms 10-15%, click-to-install 15-30% (AppsFlyer
//     and Liftoff mobile app reports).
//   - Reach and frequency: exposures spread over an audience as a negative
//     binomial (beta-binomial) distribution, the classic media-planning model
//     (Greene 1970; Danaher 1992), so reach saturates in the audience size.

// cpmUSD is the US self-serve CPM of a format in a placement, 2024 prices.
var cpmUSD = map[[2]string]float64{
	{"AUDIO", "MUSIC"}: 18, {"AUDIO", "PODCAST"}: 22,
	{"VIDEO", "MUSIC"}: 25, {"VIDEO", "PODCAST"}: 28,
	{"IMAGE", "MUSIC"}: 8,
}

// cpmIndex is a market's price level relative to the US.
var cpmIndex = map[string]float64{
	"US": 1, "CA": 0.8, "GB": 0.85, "DE": 0.8, "FR": 0.7, "ES": 0.55, "IT": 0.55, "NL": 0.75,
	"BE": 0.7, "AT": 0.75, "CH": 1, "SE": 0.8, "NO": 0.9, "DK": 0.85, "FI": 0.75, "IE": 0.8,
	"PL": 0.35, "PT": 0.4, "CZ": 0.35, "RO": 0.25, "GR": 0.3, "HU": 0.3,
	"BR": 0.25, "MX": 0.25, "AR": 0.15, "CO": 0.18, "CL": 0.25, "PE": 0.18, "EC": 0.17,
	"IN": 0.08, "ID": 0.12, "PH": 0.12, "TR": 0.12, "JP": 0.8, "AU": 0.9, "NZ": 0.75,
	"TH": 0.15, "VN": 0.1, "MY": 0.2, "SG": 0.65, "ZA": 0.25, "NG": 0.1, "KE": 0.1,
	"EG": 0.08, "MA": 0.12, "SA": 0.45, "AE": 0.6, "IL": 0.5, "TW": 0.35, "HK": 0.55, "PK": 0.07,
}

// genMarketIndex is the price level of a market cpmIndex does not list.
const genMarketIndex = 0.3

type objectiveParams struct {
	weight  float64 // share of campaigns
	cpm     float64 // CPM multiplier: optimising for an outcome bids up
	ctr     float64 // click-through multiplier: outcome objectives find clickers
	kappa   float64 // exposure spread: REACH spreads widest, outcome goals concentrate
	budget  float64 // log10 shift of the typical budget
	formats []weighted
}

type weighted struct {
	v string
	w float64
}

var objectiveTable = map[string]objectiveParams{
	"REACH":                    {0.19, 1.00, 0.8, 1.3, 0.15, []weighted{{"AUDIO", 0.6}, {"VIDEO", 0.4}}},
	"EVEN_IMPRESSION_DELIVERY": {0.16, 0.95, 0.8, 0.7, 0.15, []weighted{{"AUDIO", 0.55}, {"VIDEO", 0.25}, {"IMAGE", 0.2}}},
	"CLICKS":                   {0.13, 1.05, 1.9, 0.5, -0.05, []weighted{{"AUDIO", 0.6}, {"VIDEO", 0.4}}},
	"WEBSITE_VISITS":           {0.11, 1.05, 1.7, 0.5, 0, []weighted{{"AUDIO", 0.6}, {"VIDEO", 0.4}}},
	"VIDEO_VIEWS":              {0.08, 1.20, 0.6, 0.8, 0.1, []weighted{{"VIDEO", 1}}},
	"CONVERSIONS":              {0.08, 1.10, 1.4, 0.45, 0, []weighted{{"AUDIO", 0.6}, {"VIDEO", 0.4}}},
	"LEAD_GEN":                 {0.07, 1.10, 1.5, 0.45, -0.1, []weighted{{"AUDIO", 1}}},
	"PODCAST_STREAMS":          {0.08, 1.00, 0.7, 0.6, -0.05, []weighted{{"AUDIO", 1}}},
	"APP_INSTALLS":             {0.10, 1.10, 1.6, 0.45, 0.05, []weighted{{"AUDIO", 0.55}, {"VIDEO", 0.45}}},
}

// podcastShareOf is the share of a format's campaigns placed in podcasts.
var podcastShareOf = map[string]float64{"AUDIO": 0.3, "VIDEO": 0.15, "IMAGE": 0}

// ctrBase is the click-through rate of a format in a placement.
var ctrBase = map[[2]string]float64{
	{"AUDIO", "MUSIC"}: 0.0022, {"AUDIO", "PODCAST"}: 0.0012,
	{"VIDEO", "MUSIC"}: 0.0070, {"VIDEO", "PODCAST"}: 0.0045,
	{"IMAGE", "MUSIC"}: 0.0040,
}

// Completion, stream and funnel rates.
const (
	vcrOptIn       = 0.82   // VIDEO_VIEWS: opt-in video
	vcrMusic       = 0.64   // in-stream video between songs
	vcrPodcast     = 0.70   // video podcasts
	streamRate     = 0.007  // podcast streams per impression (PODCAST_STREAMS)
	installRate    = 0.22   // installs per click (APP_INSTALLS)
	leadRate       = 0.12   // leads per click (LEAD_GEN)
	conversionRate = 0.03   // conversions per click (CONVERSIONS)
	viewThrough    = 0.0001 // view-through conversions per impression (CONVERSIONS)
)

// seasonCPM is the CPM level by month of mid-flight.
var seasonCPM = [12]float64{0.88, 0.92, 0.98, 1, 1, 1.02, 0.97, 0.95, 1.02, 1.06, 1.16, 1.18}

// seasonWeight is how many campaigns start each month, relative.
var seasonWeight = [12]float64{0.8, 0.9, 1, 1, 1.05, 1, 0.9, 0.85, 1.05, 1.15, 1.3, 1.1}

// agePresets are the age ranges campaigns target, by weight.
var agePresets = []struct {
	min, max int
	w        float64
}{
	{18, 99, 0.18}, {13, 99, 0.04}, {18, 24, 0.12}, {18, 34, 0.16}, {25, 34, 0.10},
	{25, 44, 0.10}, {25, 54, 0.08}, {35, 54, 0.07}, {35, 99, 0.04}, {45, 99, 0.04},
	{18, 44, 0.05}, {13, 17, 0.01}, {16, 24, 0.01},
}

// flightPresets are common flight lengths in days, by weight; the rest are uniform.
var flightPresets = []struct {
	days int
	w    float64
}{
	{1, 0.01}, {3, 0.02}, {5, 0.02}, {7, 0.08}, {10, 0.03}, {14, 0.10}, {21, 0.04},
	{28, 0.10}, {30, 0.10}, {31, 0.06}, {42, 0.03}, {45, 0.03}, {56, 0.02}, {60, 0.04},
	{61, 0.02}, {84, 0.01}, {90, 0.03}, {91, 0.02}, {92, 0.02},
}

const (
	maxFlightDays   = 92
	minAudience     = 5000 // Ads Manager will not book a smaller audience
	minBudgetUSD    = 250  // the self-serve minimum
	maxBudgetLog10  = 6.85 // about $7M
	dailyFrequency  = 0.5  // most impressions one campaign gets per reachable person a day
	poolFrequency   = 3.0  // impressions per active listener at which a campaign meets them all
	pressureStart   = 0.3  // share of that inventory past which bids push CPM up
	firstDayActive  = 0.45 // share of monthly listeners who listen on a given day
	activeDaysScale = 12.0 // how fast a flight meets the rest of the monthly listeners
	audienceError   = 0.15 // log sd of the booked audience estimate against the truth
	cpmNoise        = 0.18 // log sd of a campaign's CPM around its market's level
	outcomeNoise    = 0.35 // log sd of funnel rates
	ctrNoise        = 0.30 // log sd of click-through
	firstStart      = "2024-01-01"
	lastEnd         = "2026-10-31" // every flight ended before the data set was made
	cpmTrendPerYear = 0.03
)

// Generate makes n synthetic past campaigns across the markets of facts: the same
// n, seed and facts always give the same campaigns. Values are rounded as a file
// stores them (spend to the cent, counts to whole numbers), so Write and Load give
// them back unchanged.
func Generate(n int, seed uint64, facts *market.Facts) []Campaign {
	g := newGenerator(seed, facts)
	cs := make([]Campaign, n)
	for i := range cs {
		cs[i] = g.campaign(i)
	}
	return cs
}

type generator struct {
	rng      *rand.Rand
	facts    *market.Facts
	markets  []market.Market
	mWeights []float64
	ctrIdx   map[string]float64 // each market's hidden click-through level
	objs     []weighted
	first    time.Time
	last     time.Time
}

func newGenerator(seed uint64, facts *market.Facts) *generator {
	g := &generator{
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		facts:  facts,
		ctrIdx: map[string]float64{},
	}
	g.first, _ = time.Parse(dateLayout, firstStart)
	g.last, _ = time.Parse(dateLayout, lastEnd)
	g.markets = facts.Markets()
	// Campaigns per market follow ad spend (listeners × price level), tempered so
	// that small markets still have a few hundred campaigns each.
	total := 0.0
	for _, m := range g.markets {
		w := math.Pow(m.Listeners/1e6*index(m.Code), 0.7)
		g.mWeights = append(g.mWeights, w)
		total += w
	}
	for i := range g.mWeights {
		g.mWeights[i] = max(g.mWeights[i]/total, 0.006)
		g.ctrIdx[g.markets[i].Code] = g.lognormal(0.15)
	}
	for _, o := range objectives {
		g.objs = append(g.objs, weighted{o, objectiveTable[o].weight})
	}
	return g
}

func index(code string) float64 {
	if x, ok := cpmIndex[code]; ok {
		return x
	}
	return genMarketIndex
}

func (g *generator) lognormal(sd float64) float64 { return math.Exp(g.rng.NormFloat64() * sd) }

func (g *generator) pick(ws []weighted) string {
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	x := g.rng.Float64() * total
	for _, w := range ws {
		if x -= w.w; x < 0 {
			return w.v
		}
	}
	return ws[len(ws)-1].v
}

func (g *generator) pickIndex(ws []float64) int {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	x := g.rng.Float64() * total
	for i, w := range ws {
		if x -= w; x < 0 {
			return i
		}
	}
	return len(ws) - 1
}

// campaign draws campaign i. The steps draw from one random stream, so their
// order is part of the data set: changing it changes every campaign after.
func (g *generator) campaign(i int) Campaign {
	m := g.markets[g.pickIndex(g.mWeights)]
	c := Campaign{ID: fmt.Sprintf("H%06d", i+1), Market: m.Code, Objective: g.pick(g.objs)}
	op := objectiveTable[c.Objective]
	c.Format = g.pick(op.formats)
	c.Placement = g.placement(c.Objective, c.Format)
	interest := g.audience(&c, m)
	c.Days = g.flight()
	c.Start = g.start(c.Days)
	budget := g.budget(c, m, op)
	cpm := g.price(c, m, op, interest)
	active := g.deliver(&c, budget, cpm)
	c.Reach = g.reach(c, op, active)
	g.results(&c, m, op)
	return c
}

// placement is MUSIC unless the objective or a draw for the format puts the
// campaign in podcasts; video views run between songs only.
func (g *generator) placement(objective, format string) string {
	switch {
	case objective == "PODCAST_STREAMS":
		return "PODCAST"
	case objective == "VIDEO_VIEWS":
	case g.rng.Float64() < podcastShareOf[format]:
		return "PODCAST"
	}
	return "MUSIC"
}

// audience draws the targeting and sets the audience it books, redrawing while
// the audience is below what Ads Manager books; after 20 tries it falls back to
// everyone (on one phone platform for app installs). It returns the share left
// by genre or interest targeting.
func (g *generator) audience(c *Campaign, m market.Market) (interest float64) {
	for try := 0; ; try++ {
		c.AgeMin, c.AgeMax, c.Gender, c.Platform, interest = g.targeting(c.Objective, m)
		if try >= 20 {
			c.AgeMin, c.AgeMax, c.Gender, interest = 18, 99, "ALL", 1
			if c.Objective != "APP_INSTALLS" {
				c.Platform = "ALL"
			}
		}
		c.AudienceSize = roundAudience(g.facts.AudienceSize(m.Code, targetingOf(*c)) * interest)
		if c.AudienceSize >= minAudience || try >= 20 {
			return interest
		}
	}
}

// budget draws what the campaign means to spend, in USD: log-normal around a
// level that grows with the market, the audience and the flight, with a heavy
// tail of big brand campaigns.
func (g *generator) budget(c Campaign, m market.Market, op objectiveParams) float64 {
	mu := 3.7 + 0.4*math.Log10(m.Listeners*index(m.Code)/5e6) +
		0.3*math.Log10(c.AudienceSize/m.Listeners) + 0.35*math.Log10(float64(c.Days)/30) + op.budget
	sd := 0.5
	if g.rng.Float64() < 0.1 {
		mu, sd = mu+1.0, 0.55
	}
	lb := mu + g.rng.NormFloat64()*sd
	for try := 0; try < 10 && lb < math.Log10(minBudgetUSD); try++ {
		lb = mu + g.rng.NormFloat64()*sd // below the minimum nobody books: draw again
	}
	return math.Pow(10, min(max(lb, math.Log10(minBudgetUSD)), maxBudgetLog10))
}

// price draws the campaign's CPM before delivery pressure: the market's level for
// the format, the objective's bidding, targeting premiums, season, a yearly drift
// and the campaign's own luck.
func (g *generator) price(c Campaign, m market.Market, op objectiveParams, interest float64) float64 {
	mid := c.Start.AddDate(0, 0, c.Days/2)
	years := mid.Sub(g.first).Hours() / (24 * 365)
	cpm := cpmUSD[[2]string{c.Format, c.Placement}] * index(m.Code) * op.cpm *
		seasonCPM[mid.Month()-1] * math.Pow(1+cpmTrendPerYear, years) * g.lognormal(cpmNoise)
	if c.AgeMin != 18 || c.AgeMax != 99 {
		cpm *= 1.05
	}
	if c.Gender != "ALL" {
		cpm *= 1.05
	}
	if c.Platform != "ALL" {
		cpm *= 1.08
	}
	if interest < 1 {
		cpm *= 1.12
	}
	if c.Days <= 3 {
		cpm *= 1.1
	}
	return cpm
}

// deliver sets the spend and impressions: the people actually reachable (the
// booked estimate is off a little) who listen during the flight, and what one
// campaign can show them; a budget that presses on that inventory pays more per
// impression, and one larger than it under-delivers. It returns the active
// audience.
func (g *generator) deliver(c *Campaign, budget, cpm float64) (active float64) {
	trueAudience := c.AudienceSize * g.lognormal(audienceError)
	active = trueAudience * (1 - (1-firstDayActive)*math.Exp(-float64(c.Days-1)/activeDaysScale))
	inventory := active * dailyFrequency * float64(c.Days)
	if want := budget / cpm * 1000; want > pressureStart*inventory {
		cpm *= min(math.Pow(want/(pressureStart*inventory), 0.25), 2.5)
	}
	spend := budget * min(1, 0.97+0.02*g.rng.NormFloat64())
	if imps := spend / cpm * 1000; imps > inventory {
		spend = inventory * cpm / 1000 // under-delivered: the audience ran out
	}
	c.SpendUSD = math.Round(spend*100) / 100
	c.Impressions = math.Max(1, math.Round(c.SpendUSD/cpm*1000))
	return active
}

// reach draws how many people the impressions met. A small campaign wins few
// auctions and those it wins go to the heaviest listeners: it meets only part of
// the active audience (the pool), growing with its impressions until it can meet
// everyone at poolFrequency; within the pool exposures follow a negative binomial.
func (g *generator) reach(c Campaign, op objectiveParams, active float64) float64 {
	pool := active * min(1, math.Sqrt(c.Impressions/(poolFrequency*active)))
	kappa := op.kappa * g.lognormal(0.15)
	x := c.Impressions / (pool * kappa)
	reach := pool * (1 - math.Pow(1+x, -kappa)) * g.lognormal(0.05)
	return math.Max(1, math.Round(math.Min(reach, math.Min(c.Impressions, c.AudienceSize))))
}

// results draws the clicks, video completions and the objective's own result,
// only those the objective and format produce.
func (g *generator) results(c *Campaign, m market.Market, op objectiveParams) {
	ctr := ctrBase[[2]string{c.Format, c.Placement}] * op.ctr * g.ctrIdx[m.Code] * g.lognormal(ctrNoise)
	if c.Platform == "DESKTOP" {
		ctr *= 1.3
	}
	c.Clicks = g.count(c.Impressions*ctr, c.Impressions)
	if c.Format == "VIDEO" {
		vcr := vcrMusic
		switch {
		case c.Objective == "VIDEO_VIEWS":
			vcr = vcrOptIn
		case c.Placement == "PODCAST":
			vcr = vcrPodcast
		}
		vcr = min(max(vcr+0.06*g.rng.NormFloat64(), 0.2), 0.97)
		c.VideoCompletions = math.Round(c.Impressions * vcr)
	}
	switch c.Objective {
	case "PODCAST_STREAMS":
		c.PodcastStreams = g.count(c.Impressions*streamRate*g.lognormal(outcomeNoise), c.Impressions)
	case "APP_INSTALLS":
		rate := installRate
		if c.Platform == "IOS" {
			rate *= 0.8 // App Store installs convert worse than Play Store ones
		}
		c.Installs = g.count(c.Clicks*rate*g.lognormal(outcomeNoise), c.Clicks)
	case "LEAD_GEN":
		c.Leads = g.count(c.Clicks*leadRate*g.lognormal(outcomeNoise), c.Clicks)
	case "CONVERSIONS":
		c.Conversions = g.count((c.Clicks*conversionRate+c.Impressions*viewThrough)*g.lognormal(outcomeNoise), c.Impressions)
	}
}

// count rounds an expected count to a whole number, drawing the fractional part
// so that small campaigns still show the odd result, and caps it.
func (g *generator) count(x, most float64) float64 {
	n := math.Floor(x)
	if g.rng.Float64() < x-n {
		n++
	}
	return math.Min(n, most)
}

func (g *generator) targeting(objective string, m market.Market) (ageMin, ageMax int, gender, platform string, interest float64) {
	ws := make([]float64, len(agePresets))
	for i, p := range agePresets {
		ws[i] = p.w
	}
	a := agePresets[g.pickIndex(ws)]
	ageMin, ageMax = a.min, a.max
	gender = g.pick([]weighted{{"ALL", 0.72}, {"FEMALE", 0.18}, {"MALE", 0.10}})
	switch objective {
	case "APP_INSTALLS": // one mobile platform per ad set
		platform = "ANDROID"
		if g.rng.Float64() < m.Platforms["IOS"]/(m.Platforms["IOS"]+m.Platforms["ANDROID"]) {
			platform = "IOS"
		}
	case "VIDEO_VIEWS": // mobile only; ALL stands for both mobile platforms
		platform = g.pick([]weighted{{"ALL", 0.85}, {"IOS", 0.08}, {"ANDROID", 0.07}})
	default:
		platform = g.pick([]weighted{{"ALL", 0.8}, {"IOS", 0.07}, {"ANDROID", 0.08}, {"DESKTOP", 0.05}})
	}
	interest = 1
	if g.rng.Float64() < 0.45 { // genre or interest targeting narrows further
		interest = math.Exp(math.Log(0.05) + g.rng.Float64()*(math.Log(0.6)-math.Log(0.05)))
	}
	return ageMin, ageMax, gender, platform, interest
}

// targetingOf is a campaign's targeting as the market tables read it.
func targetingOf(c Campaign) market.Targeting {
	t := market.Targeting{
		AgeRanges:  []market.AgeRange{{Min: c.AgeMin, Max: c.AgeMax}},
		Placements: []string{c.Placement},
	}
	if c.Gender != "ALL" {
		t.Genders = []string{c.Gender}
	}
	switch {
	case c.Platform != "ALL":
		t.Platforms = []string{c.Platform}
	case c.Objective == "VIDEO_VIEWS":
		t.Platforms = []string{"IOS", "ANDROID"}
	}
	return t
}

func roundAudience(x float64) float64 {
	switch {
	case x >= 1e6:
		return math.Round(x/1000) * 1000
	default:
		return math.Round(x/100) * 100
	}
}

func (g *generator) flight() int {
	if g.rng.Float64() < 0.3 {
		return 1 + g.rng.IntN(maxFlightDays)
	}
	ws := make([]float64, len(flightPresets))
	for i, p := range flightPresets {
		ws[i] = p.w
	}
	return flightPresets[g.pickIndex(ws)].days
}

// start draws a start date so the flight ends by lastEnd, more of them in busy months.
func (g *generator) start(days int) time.Time {
	span := int(g.last.Sub(g.first).Hours()/24) - days + 1
	for {
		d := g.first.AddDate(0, 0, g.rng.IntN(span+1))
		if g.rng.Float64()*1.3 < seasonWeight[d.Month()-1] {
			return d
		}
	}
}
