// Package market holds the facts about Spotify's ad markets the planner needs: how
// many ad-supported listeners each market has and who they are (age, gender,
// platform, podcast listening), its currency, reference exchange rates, and the
// policy table of the buying channels. The figures live in data/*.json, embedded
// in the binary; data/README.md says where they come from.
package market

import (
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

//go:embed data/*.json
var dataFS embed.FS

// Facts is the market data, loaded once and read-only afterwards: safe for
// concurrent use. The markets and channels it returns share their slices and maps
// with it; callers must not modify them.
type Facts struct {
	markets        map[string]Market
	codes          []string // sorted
	bands          []AgeBand
	usdPerUnit     map[string]float64
	ratesAsOf      string
	channels       map[string]Channel
	channelNames   []string // in file order
	defaultChannel string
}

// Market is one country Spotify sells ads in.
type Market struct {
	// Code is the ISO 3166-1 alpha-2 code ("DE").
	Code string
	// Name is the English name ("Germany").
	Name string
	// Currency is the ISO 4217 code of the money the market pays in ("EUR").
	Currency string
	// Region is the region Spotify reports the market under: EU, NA, LATAM or ROW.
	Region string
	// Listeners is the number of ad-supported monthly listeners (people).
	Listeners float64
	// Ages are the listeners' age bands, youngest first; shares sum to 1.
	Ages []AgeShare
	// FemaleShare, MaleShare and NonBinaryShare split the listeners by gender; they
	// sum to 1.
	FemaleShare, MaleShare, NonBinaryShare float64
	// Platforms is each platform's (IOS, ANDROID, DESKTOP) share of listeners; the
	// shares sum to 1.
	Platforms map[string]float64
	// PodcastShare is the share of listeners who listen to podcasts in a month.
	PodcastShare float64
	// Languages are the market's main languages, ISO 639-1 ("de"), most spoken first.
	Languages []string
}

// AgeBand is an age band of the market tables; the last is open (55+).
type AgeBand struct {
	Label    string
	Min, Max int
	// An open band's listeners are few at its oldest ages: 1-tailShare of them are
	// spread evenly over Min..spreadTo, tailShare over the ages past it. A closed band
	// has spreadTo = Max and no tail.
	spreadTo  int
	tailShare float64
}

// weight is the share of the band's listeners who are age a.
func (b AgeBand) weight(a int) float64 {
	if a < b.Min || a > b.Max {
		return 0
	}
	if a <= b.spreadTo {
		return (1 - b.tailShare) / float64(b.spreadTo-b.Min+1)
	}
	return b.tailShare / float64(b.Max-b.spreadTo)
}

// AgeShare is an age band and its share of a market's listeners.
type AgeShare struct {
	AgeBand
	Share float64
}

// Targeting narrows a market's listeners the way an ad set's targets do. An empty
// list does not narrow.
type Targeting struct {
	// AgeRanges are inclusive; several are joined (overlaps count once).
	AgeRanges []AgeRange
	// Genders: FEMALE, MALE, NON_BINARY.
	Genders []string
	// Platforms: IOS, ANDROID, DESKTOP.
	Platforms []string
	// Placements: MUSIC reaches every listener; PODCAST alone only podcast listeners.
	Placements []string
}

// AgeRange is an inclusive range of ages.
type AgeRange struct{ Min, Max int }

// Load parses the embedded data and checks it (shares that sum to 1, a rate for
// every market's currency, channels that name known formats and objectives).
func Load() (*Facts, error) {
	f := &Facts{}
	if err := f.loadMarkets(); err != nil {
		return nil, fmt.Errorf("reading data/markets.json: %w", err)
	}
	if err := f.loadRates(); err != nil {
		return nil, fmt.Errorf("reading data/fx.json: %w", err)
	}
	if err := f.loadChannels(); err != nil {
		return nil, fmt.Errorf("reading data/channels.json: %w", err)
	}
	for _, code := range f.codes {
		m := f.markets[code]
		if _, ok := f.usdPerUnit[m.Currency]; !ok {
			return nil, fmt.Errorf("market %s pays in %s, which data/fx.json has no rate for", code, m.Currency)
		}
	}
	return f, nil
}

var defaultFacts = sync.OnceValues(Load)

// Default returns the embedded facts, loaded on first use and shared. It panics
// if the embedded data is broken, which the package's tests rule out.
func Default() *Facts {
	f, err := defaultFacts()
	if err != nil {
		panic("market: " + err.Error())
	}
	return f
}

// shareTolerance is how far a set of shares may stray from summing to 1 in the
// data; the loaded shares are then scaled to sum to exactly 1.
const shareTolerance = 0.01

// marketsDoc is data/markets.json.
type marketsDoc struct {
	AgeBands []ageBandDoc `json:"age_bands"`
	// NonBinaryShare is the share of every market that gives none of its own.
	NonBinaryShare float64     `json:"non_binary_share"`
	Markets        []marketDoc `json:"markets"`
}

type ageBandDoc struct {
	Label     string  `json:"label"`
	Min       int     `json:"min"`
	Max       int     `json:"max"`
	SpreadTo  int     `json:"spread_to"`
	TailShare float64 `json:"tail_share"`
}

type marketDoc struct {
	Code           string             `json:"code"`
	Name           string             `json:"name"`
	Currency       string             `json:"currency"`
	Region         string             `json:"region"`
	Listeners      float64            `json:"ad_supported_listeners"`
	AgeShares      map[string]float64 `json:"age_shares"`
	FemaleShare    float64            `json:"female_share"`
	NonBinaryShare *float64           `json:"non_binary_share"`
	PlatformShares map[string]float64 `json:"platform_shares"`
	PodcastShare   float64            `json:"podcast_share"`
	Languages      []string           `json:"languages"`
}

// loadMarkets reads data/markets.json: the age bands every market's table uses, then
// the markets.
func (f *Facts) loadMarkets() error {
	var doc marketsDoc
	b, err := dataFS.ReadFile("data/markets.json")
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	if f.bands, err = readAgeBands(doc.AgeBands); err != nil {
		return err
	}
	f.markets = make(map[string]Market, len(doc.Markets))
	for _, dm := range doc.Markets {
		if len(dm.Code) != 2 || strings.ToUpper(dm.Code) != dm.Code {
			return fmt.Errorf("market %q: code is not ISO 3166-1 alpha-2", dm.Code)
		}
		if _, dup := f.markets[dm.Code]; dup {
			return fmt.Errorf("market %s listed twice", dm.Code)
		}
		m, err := newMarket(dm, doc.NonBinaryShare, f.bands)
		if err != nil {
			return err
		}
		f.markets[m.Code] = m
		f.codes = append(f.codes, m.Code)
	}
	slices.Sort(f.codes)
	return nil
}

// readAgeBands checks that the bands run from 13 to 99 without gaps or overlaps, so that
// every age a target range names falls in exactly one band, and that an open band's
// tail lies inside it.
func readAgeBands(docs []ageBandDoc) ([]AgeBand, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("no age bands")
	}
	var bands []AgeBand
	next := 13
	for _, ab := range docs {
		band := AgeBand{Label: ab.Label, Min: ab.Min, Max: ab.Max, spreadTo: ab.Max}
		if ab.SpreadTo != 0 {
			band.spreadTo, band.tailShare = ab.SpreadTo, ab.TailShare
		}
		if band.Min != next || band.Max < band.Min {
			return nil, fmt.Errorf("age band %q: bands must run from 13 without gaps", ab.Label)
		}
		if band.spreadTo < band.Min || band.spreadTo > band.Max || !share(band.tailShare) ||
			(band.spreadTo == band.Max) != (band.tailShare == 0) {
			return nil, fmt.Errorf("age band %q: spread_to must lie inside the band, with a tail_share for the ages past it", ab.Label)
		}
		next = band.Max + 1
		bands = append(bands, band)
	}
	if next != 100 {
		return nil, fmt.Errorf("age bands end at %d, not 99", next-1)
	}
	return bands, nil
}

// newMarket checks one market of the file; nonBinary is the file's share for markets
// that give none. The male share is what the others leave.
func newMarket(dm marketDoc, nonBinary float64, bands []AgeBand) (Market, error) {
	m := Market{
		Code: dm.Code, Name: dm.Name, Currency: dm.Currency, Region: dm.Region,
		Listeners: dm.Listeners, FemaleShare: dm.FemaleShare, NonBinaryShare: nonBinary,
		PodcastShare: dm.PodcastShare, Languages: dm.Languages,
	}
	if dm.NonBinaryShare != nil {
		m.NonBinaryShare = *dm.NonBinaryShare
	}
	m.MaleShare = 1 - m.FemaleShare - m.NonBinaryShare
	if len(m.Currency) != 3 {
		return Market{}, fmt.Errorf("market %s: currency %q is not ISO 4217", m.Code, m.Currency)
	}
	if !(m.Listeners > 0) {
		return Market{}, fmt.Errorf("market %s: no listeners", m.Code)
	}
	if !share(m.FemaleShare) || !share(m.NonBinaryShare) || !share(m.MaleShare) || !share(m.PodcastShare) {
		return Market{}, fmt.Errorf("market %s: a gender or podcast share is outside 0..1", m.Code)
	}
	var err error
	if m.Ages, err = ageShares(m.Code, dm.AgeShares, bands); err != nil {
		return Market{}, err
	}
	if m.Platforms, err = platformShares(m.Code, dm.PlatformShares); err != nil {
		return Market{}, err
	}
	if len(m.Languages) == 0 {
		return Market{}, fmt.Errorf("market %s: no languages", m.Code)
	}
	return m, nil
}

// ageShares takes a market's share for every band, youngest first, scaled to sum to 1.
func ageShares(code string, shares map[string]float64, bands []AgeBand) ([]AgeShare, error) {
	if len(shares) != len(bands) {
		return nil, fmt.Errorf("market %s: %d age shares for %d bands", code, len(shares), len(bands))
	}
	var ages []AgeShare
	for _, band := range bands {
		s, ok := shares[band.Label]
		if !ok {
			return nil, fmt.Errorf("market %s: no share for ages %s", code, band.Label)
		}
		ages = append(ages, AgeShare{AgeBand: band, Share: s})
	}
	if err := normalise(ages, func(a *AgeShare) *float64 { return &a.Share }); err != nil {
		return nil, fmt.Errorf("market %s: age shares: %w", code, err)
	}
	return ages, nil
}

// platformShares takes a market's share for each platform the API targets, scaled to
// sum to 1. They are scaled in the order of platforms, not of the map, so the sum and
// the shares do not depend on map order.
func platformShares(code string, shares map[string]float64) (map[string]float64, error) {
	if len(shares) != len(platforms) {
		return nil, fmt.Errorf("market %s: platform shares must be exactly %v", code, platforms)
	}
	ps := make([]float64, len(platforms))
	for i, p := range platforms {
		s, ok := shares[p]
		if !ok {
			return nil, fmt.Errorf("market %s: no share for platform %s", code, p)
		}
		ps[i] = s
	}
	if err := normalise(ps, func(s *float64) *float64 { return s }); err != nil {
		return nil, fmt.Errorf("market %s: platform shares: %w", code, err)
	}
	out := make(map[string]float64, len(platforms))
	for i, p := range platforms {
		out[p] = ps[i]
	}
	return out, nil
}

// platforms are the platforms the Ads API targets, as it spells them.
var platforms = []string{"IOS", "ANDROID", "DESKTOP"}

func share(s float64) bool { return s >= 0 && s <= 1 }

// normalise checks that shares sum to 1 within shareTolerance, each in 0..1, and
// scales them to sum to exactly 1.
func normalise[T any](xs []T, at func(*T) *float64) error {
	sum := 0.0
	for i := range xs {
		s := *at(&xs[i])
		if !share(s) {
			return fmt.Errorf("share %v outside 0..1", s)
		}
		sum += s
	}
	if math.Abs(sum-1) > shareTolerance {
		return fmt.Errorf("shares sum to %.3f, not 1", sum)
	}
	for i := range xs {
		*at(&xs[i]) /= sum
	}
	return nil
}

// Market returns the market with the ISO 3166-1 alpha-2 code (case-insensitive).
func (f *Facts) Market(code string) (Market, bool) {
	m, ok := f.markets[code]
	if !ok {
		m, ok = f.markets[strings.ToUpper(code)]
	}
	return m, ok
}

// Markets returns every market, sorted by code.
func (f *Facts) Markets() []Market {
	ms := make([]Market, len(f.codes))
	for i, c := range f.codes {
		ms[i] = f.markets[c]
	}
	return ms
}

// AgeBands returns the age bands of the market tables, youngest first.
func (f *Facts) AgeBands() []AgeBand { return slices.Clone(f.bands) }

// AudienceSize is how many people in the market the targeting can reach: the
// market's ad-supported listeners narrowed by age, gender, platform and placement,
// taken as independent. A target age range that covers part of a band counts
// that part of the band's listeners, spread evenly over its ages (the open 55+ band
// mostly over 55-74: see data/markets.json). Values a list
// does not know (a gender "ROBOT") reach nobody; an unknown market gives 0.
func (f *Facts) AudienceSize(code string, t Targeting) float64 {
	m, ok := f.Market(code)
	if !ok {
		return 0
	}
	return m.Listeners * m.ageShare(t.AgeRanges) * m.genderShare(t.Genders) *
		m.platformShare(t.Platforms) * m.placementShare(t.Placements)
}

func (m Market) ageShare(ranges []AgeRange) float64 {
	if len(ranges) == 0 {
		return 1
	}
	var covered [100]bool
	for _, r := range ranges {
		for a := max(r.Min, 0); a <= min(r.Max, 99); a++ {
			covered[a] = true
		}
	}
	total := 0.0
	for _, b := range m.Ages {
		w := 0.0
		for a := b.Min; a <= b.Max; a++ {
			if covered[a] {
				w += b.weight(a)
			}
		}
		total += b.Share * w
	}
	return min(total, 1)
}

func (m Market) genderShare(genders []string) float64 {
	if len(genders) == 0 {
		return 1
	}
	seen := map[string]bool{}
	total := 0.0
	for _, g := range genders {
		g = strings.ToUpper(g)
		if seen[g] {
			continue
		}
		seen[g] = true
		switch g {
		case "FEMALE":
			total += m.FemaleShare
		case "MALE":
			total += m.MaleShare
		case "NON_BINARY":
			total += m.NonBinaryShare
		case "ALL":
			return 1
		}
	}
	return min(total, 1)
}

func (m Market) platformShare(ps []string) float64 {
	if len(ps) == 0 {
		return 1
	}
	seen := map[string]bool{}
	total := 0.0
	for _, p := range ps {
		p = strings.ToUpper(p)
		if seen[p] {
			continue
		}
		seen[p] = true
		if p == "ALL" {
			return 1
		}
		total += m.Platforms[p]
	}
	return min(total, 1)
}

func (m Market) placementShare(ps []string) float64 {
	if len(ps) == 0 {
		return 1
	}
	podcast := false
	for _, p := range ps {
		switch strings.ToUpper(p) {
		case "MUSIC", "ALL":
			return 1
		case "PODCAST":
			podcast = true
		}
	}
	if podcast {
		return m.PodcastShare
	}
	return 0
}
