package spotify

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/biter777/countries"
)

// timeLayout is EventTime's form: ISO 8601 in UTC with a zero offset, YYYY-MM-DDTHH:MM:SSZ.
const timeLayout = "2006-01-02T15:04:05Z"

// adSet builds the createAdSet body for sets[i]. It returns nil when the spec breaks a rule
// (recorded in b), the names to resolve, the budget it spends over its flight (a daily
// budget times its days) and whether its bid is the default.
//
// Every check runs even after one fails, so that a spec's problems are all reported at
// once, in the order of the body's fields.
func (b *builder) adSet(i int, s AdSetSpec, campaignObjective string, rule objectiveRule) (map[string]any, []Unresolved, int64, bool) {
	errsBefore := len(b.errs)
	d := newAdSetDraft(b, i, s, campaignObjective, rule)
	d.checkFormatAndMarket(s)
	d.readPlacements(s)
	d.readPlatforms(s)
	d.readAudience(s)
	d.readInterestTargeting(s)
	d.checkCategory(s)
	d.readBudgetAndFlight(s)
	d.readFrequencyCap(s)
	d.readBidding(s)
	if len(b.errs) > errsBefore {
		return nil, nil, 0, false
	}
	body := d.body()
	d.addObjectiveExtras(body, s)
	return body, d.unresolved, d.spent, d.defaulted
}

// adSetDraft is one ad set while adSet reads it: the API values taken from the spec so
// far and the names left to look up. Its steps report what is wrong through the builder,
// under the ad set's index and name.
type adSetDraft struct {
	b         *builder
	i         int
	name      string
	rule      objectiveRule
	objective string // the campaign's, upper-cased

	format, market string
	placements     []string
	platforms      []string

	ages     []map[string]any
	minAge   int // the youngest age targeted, for the category's age limit
	genders  []string
	language string

	genreIDs, topics []string

	category string

	budgetType, currency string
	budgetMicro          int64 // as the spec gives it: per day for a DAILY budget
	start, end           time.Time
	spent                int64 // the budget over the whole flight, in micro units
	caps                 []map[string]any

	strategy, pacing string
	bid              int64
	defaulted        bool // the bid is the currency's default, not the spec's

	unresolved []Unresolved
}

// newAdSetDraft checks the ad set's name and that its objective, if it names one, is
// the campaign's.
func newAdSetDraft(b *builder, i int, s AdSetSpec, campaignObjective string, rule objectiveRule) *adSetDraft {
	d := &adSetDraft{b: b, i: i, rule: rule}
	name, err := apiName(s.Name)
	if err != nil {
		b.fail(i, s.Name, "name", "%v", err)
		name = strings.TrimSpace(s.Name)
	}
	d.name = name
	d.objective = strings.ToUpper(strings.TrimSpace(campaignObjective))
	if o := strings.ToUpper(strings.TrimSpace(s.Objective)); o != "" && o != d.objective {
		d.fail("objective", "%s differs from the campaign's %s: a campaign has one objective", o, d.objective)
	}
	return d
}

func (d *adSetDraft) fail(field, format string, args ...any) {
	d.b.fail(d.i, d.name, field, format, args...)
}

// unresolve lists names the API knows by ids adplan cannot look up offline.
func (d *adSetDraft) unresolve(field string, names []string, lookup, note string) {
	d.unresolved = append(d.unresolved, Unresolved{AdSet: d.name, AdSetIndex: d.i, Field: field, Names: names, Lookup: lookup, Note: note})
}

// checkFormatAndMarket reads the asset format, which the objective may restrict, and the
// one country the ad set targets.
func (d *adSetDraft) checkFormatAndMarket(s AdSetSpec) {
	d.format = strings.ToUpper(strings.TrimSpace(s.Format))
	switch {
	case !slices.Contains([]string{formatAudio, formatVideo, formatImage}, d.format):
		d.fail("asset_format", "unknown format %q (want AUDIO, VIDEO or IMAGE)", s.Format)
	case !slices.Contains(d.rule.formats, d.format):
		d.fail("asset_format", "%s allows %s only, got %s", d.objective, strings.Join(d.rule.formats, " or "), d.format)
	}

	d.market = strings.ToUpper(strings.TrimSpace(s.Market))
	if len(d.market) != 2 || countries.ByName(d.market).Alpha2() != d.market {
		d.fail("targets.geo_targets.country_code", "%q is not an ISO 3166-1 alpha-2 country code", s.Market)
	}
}

// readPlacements reads MUSIC and PODCAST, defaulting to the objective's, and checks the
// objective can run there.
func (d *adSetDraft) readPlacements(s AdSetSpec) {
	d.placements = upperSet(s.Placements)
	for _, p := range d.placements {
		if p != placementMusic && p != placementPodcast {
			d.fail("targets.placements", "unknown placement %q (want MUSIC or PODCAST)", p)
		}
	}
	if len(d.placements) == 0 {
		d.placements = slices.Clone(d.rule.placements)
	}
	if d.rule.musicOnly && slices.Contains(d.placements, placementPodcast) {
		d.fail("targets.placements", "%s runs on MUSIC only, not on PODCAST", d.objective)
	}
	if d.rule.needsPodcast && !slices.Contains(d.placements, placementPodcast) {
		d.fail("targets.placements", "%s needs the PODCAST placement", d.objective)
	}
}

// readPlatforms reads the device platforms and checks the objective's limits on them.
func (d *adSetDraft) readPlatforms(s AdSetSpec) {
	d.platforms = upperSet(s.Platforms)
	for _, p := range d.platforms {
		if !slices.Contains([]string{platformAndroid, platformDesktop, platformIOS}, p) {
			d.fail("targets.platforms", "unknown platform %q (want IOS, ANDROID or DESKTOP)", p)
		}
	}
	switch {
	case d.rule.onePhonePlatform && (len(d.platforms) != 1 || d.platforms[0] == platformDesktop):
		d.fail("targets.platforms", "%s needs exactly one of IOS or ANDROID (no DESKTOP), got %v", d.objective, d.platforms)
	case d.rule.noDesktop && slices.Contains(d.platforms, platformDesktop):
		d.fail("targets.platforms", "%s does not run on DESKTOP", d.objective)
	case d.rule.noDesktop && len(d.platforms) == 0:
		d.platforms = []string{platformAndroid, platformIOS} // the API's default would include DESKTOP
	}
}

// readAudience reads ages, genders and language. The API targets one language per ad
// set, so several are reported unresolved rather than all but one dropped.
func (d *adSetDraft) readAudience(s AdSetSpec) {
	d.minAge = 99
	for _, a := range s.AgeRanges {
		if a.Min < 13 || a.Max > 99 || a.Min > a.Max {
			d.fail("targets.age_ranges", "age range %d-%d is outside the API's 13-99 or reversed", a.Min, a.Max)
			continue
		}
		d.minAge = min(d.minAge, a.Min)
		r := map[string]any{"min": a.Min, "max": a.Max}
		if !slices.ContainsFunc(d.ages, func(x map[string]any) bool { return x["min"] == a.Min && x["max"] == a.Max }) {
			d.ages = append(d.ages, r)
		}
	}
	if len(s.AgeRanges) == 0 {
		d.minAge = 13
	}

	d.genders = upperSet(s.Genders)
	for _, g := range d.genders {
		if !slices.Contains([]string{"MALE", "FEMALE", "NON_BINARY"}, g) {
			d.fail("targets.genders", "unknown gender %q (want MALE, FEMALE or NON_BINARY)", g)
		}
	}

	languages := nameSet(s.Languages)
	for _, l := range languages {
		if !reLanguage.MatchString(strings.ToLower(l)) {
			d.fail("targets.language", "%q is not an ISO 639-1 language code", l)
		}
	}
	switch {
	case len(languages) == 1:
		d.language = strings.ToLower(languages[0])
	case len(languages) > 1:
		d.unresolve("targets.language", languages, lookupLanguages,
			"the API targets one language per ad set; left untargeted (all languages): split the ad set per language to target each")
	}
}

// readInterestTargeting turns genres and (on podcast-only ad sets) interests into the ids
// the document lists, and reports every other genre, interest, artist, region and city
// unresolved: their ids exist only in the API's look-ups.
func (d *adSetDraft) readInterestTargeting(s AdSetSpec) {
	var unknownGenres []string
	for _, g := range nameSet(s.Genres) {
		if id, ok := genreIDs[strings.ToLower(g)]; ok {
			if !slices.Contains(d.genreIDs, id) {
				d.genreIDs = append(d.genreIDs, id)
			}
		} else {
			unknownGenres = append(unknownGenres, g)
		}
	}
	if len(unknownGenres) > 0 {
		d.unresolve("targets.genre_ids", unknownGenres, lookupGenres, "")
	}

	// Podcast episode topics target podcast inventory only, so they stand in for an
	// interest only where the ad set runs on podcasts alone.
	podcastOnly := len(d.placements) == 1 && d.placements[0] == placementPodcast
	var interests []string
	for _, in := range nameSet(s.Interests) {
		t := topicsFor(in)
		if podcastOnly && len(t) > 0 {
			for _, id := range t {
				if !slices.Contains(d.topics, id) {
					d.topics = append(d.topics, id)
				}
			}
			continue
		}
		interests = append(interests, in)
	}
	if len(interests) > 0 {
		d.unresolve("targets.interest_ids", interests, lookupInterests, "")
	}

	if a := nameSet(s.Artists); len(a) > 0 {
		d.unresolve("targets.artist_ids", a, lookupArtists, "")
	}
	if r := nameSet(s.Regions); len(r) > 0 {
		d.unresolve("targets.geo_targets.region_ids", r, fmt.Sprintf(lookupGeos, "REGION"), "")
	}
	if c := nameSet(s.Cities); len(c) > 0 {
		d.unresolve("targets.geo_targets.city_ids", c, fmt.Sprintf(lookupGeos, "CITY"), "")
	}
}

// checkCategory reads the advertiser category, whose restricted codes need an older
// audience than the ad set may target.
func (d *adSetDraft) checkCategory(s AdSetSpec) {
	d.category = strings.ToUpper(strings.TrimSpace(s.Category))
	if d.category != "" && !reCategory.MatchString(d.category) {
		d.fail("category", "%q is not a category code ADV_{parent}_{sub}", s.Category)
	}
	if least, ok := restrictedCategoryMinAge[d.category]; ok && d.minAge < least {
		d.fail("targets.age_ranges", "category %s needs ages %d and over", d.category, least)
	}
}

// readBudgetAndFlight reads the budget and the flight's days, and works out what the ad set
// spends over its whole flight, which the channel's minimum and the campaign total count.
func (d *adSetDraft) readBudgetAndFlight(s AdSetSpec) {
	d.budgetType = strings.ToUpper(strings.TrimSpace(s.BudgetType))
	if d.budgetType != budgetDaily && d.budgetType != budgetLifetime {
		d.fail("budget.type", "unknown budget type %q (want LIFETIME or DAILY)", s.BudgetType)
	}
	d.budgetMicro = s.BudgetMicro
	if d.budgetMicro <= 0 {
		d.fail("budget.micro_amount", "budget must be positive, got %d micro", d.budgetMicro)
	}
	d.currency = strings.ToUpper(strings.TrimSpace(s.Currency))
	if !reCurrency.MatchString(d.currency) {
		d.fail("budget", "%q is not an ISO 4217 currency code", s.Currency)
	}

	if s.Start.IsZero() {
		d.fail("start_time", "no start date")
	} else {
		d.start = day(s.Start)
	}
	days := int64(0)
	if !s.End.IsZero() {
		d.end = day(s.End)
		if !d.start.IsZero() && d.end.Before(d.start) {
			d.fail("end_time", "end %s is before start %s", d.end.Format(time.DateOnly), d.start.Format(time.DateOnly))
		}
		days = int64(d.end.Sub(d.start)/(24*time.Hour)) + 1
	} else if d.budgetType == budgetLifetime {
		d.fail("end_time", "a LIFETIME budget needs an end date")
	}

	d.spent = d.budgetMicro
	if d.budgetType == budgetDaily && days > 0 {
		d.spent = d.budgetMicro * days
	}
	if s.MinBudgetMicro > 0 && d.spent < s.MinBudgetMicro {
		d.fail("budget.micro_amount", "budget %s %s over the flight is below the minimum of %s %s",
			formatMicro(d.spent), d.currency, formatMicro(s.MinBudgetMicro), d.currency)
	}
}

// readFrequencyCap checks the cap against the API's maximum per unit.
func (d *adSetDraft) readFrequencyCap(s AdSetSpec) {
	fc := s.FrequencyCap
	if fc == nil {
		return
	}
	unit := strings.ToUpper(strings.TrimSpace(fc.Unit))
	period := max(fc.Period, 1)
	most, ok := frequencyMax[unit]
	switch {
	case !ok:
		d.fail("frequency_caps", "unknown unit %q (want DAY, WEEK or MONTH)", fc.Unit)
	case fc.Period < 0 || fc.MaxImpressions < 1:
		d.fail("frequency_caps", "needs at least 1 impression per period of at least 1, got %d per %d %s", fc.MaxImpressions, fc.Period, unit)
	case fc.MaxImpressions > most*period:
		d.fail("frequency_caps", "%d impressions per %d %s is above the API's maximum of %d per %s", fc.MaxImpressions, period, unit, most, unit)
	default:
		d.caps = []map[string]any{{"frequency_unit": unit, "frequency_period": period, "max_impressions": fc.MaxImpressions}}
	}
}

// readBidding reads the bid strategy, pacing and bid. It runs after the budget, whose type
// COST_PER_RESULT depends on, and fills in the currency's default bid where the spec gives
// none.
func (d *adSetDraft) readBidding(s AdSetSpec) {
	d.strategy = strings.ToUpper(strings.TrimSpace(s.BidStrategy))
	if d.strategy == "" {
		d.strategy = bidMax
	}
	d.pacing = strings.ToUpper(strings.TrimSpace(s.Pacing))
	if d.pacing == "" {
		d.pacing = pacingEven
	}
	if d.pacing != pacingEven && d.pacing != pacingASAP {
		d.fail("pacing", "unknown pacing %q (want PACING_EVEN or PACING_ASAP)", s.Pacing)
	}
	switch {
	case !slices.Contains(d.rule.strategies, d.strategy):
		d.fail("bid_strategy", "%s allows %s only, got %s", d.objective, strings.Join(d.rule.strategies, " or "), d.strategy)
	case d.strategy == bidCostPerResult && (d.budgetType != budgetLifetime || d.pacing != pacingEven):
		d.fail("bid_strategy", "COST_PER_RESULT needs a LIFETIME budget and PACING_EVEN, got %s and %s", d.budgetType, d.pacing)
	}

	d.bid = s.BidMicro
	switch {
	case d.bid < 0:
		d.fail("bid_micro_amount", "bid must be positive, got %d micro", d.bid)
	case d.bid == 0:
		var ok bool
		if d.bid, ok = DefaultBidMicro(d.currency, d.format, d.strategy); !ok && reCurrency.MatchString(d.currency) {
			d.fail("bid_micro_amount", "no default bid for %s: give the ad set a BidMicro", d.currency)
		}
		d.defaulted = true
	}
}

// body is the createAdSet body of a draft that broke no rule. Optional fields are left
// out rather than sent empty, so the API applies its own defaults.
func (d *adSetDraft) body() map[string]any {
	targets := map[string]any{
		"geo_targets": map[string]any{"country_code": d.market},
		"placements":  d.placements,
	}
	if len(d.ages) > 0 {
		targets["age_ranges"] = d.ages
	}
	if len(d.genders) > 0 {
		targets["genders"] = d.genders
	}
	if len(d.platforms) > 0 {
		targets["platforms"] = d.platforms
	}
	if len(d.genreIDs) > 0 {
		targets["genre_ids"] = d.genreIDs
	}
	if len(d.topics) > 0 {
		targets["podcast_episode_topic_ids"] = d.topics
	}
	if d.language != "" {
		targets["language"] = d.language
	}

	body := map[string]any{
		"name":             d.name,
		"campaign_id":      CampaignIDPlaceholder,
		"start_time":       d.start.Format(timeLayout),
		"budget":           map[string]any{"micro_amount": d.budgetMicro, "type": d.budgetType},
		"asset_format":     d.format,
		"targets":          targets,
		"bid_strategy":     d.strategy,
		"bid_micro_amount": d.bid,
		"pacing":           d.pacing,
		"delivery_goal":    d.rule.goal,
	}
	if !d.end.IsZero() {
		// The end date is inclusive: the flight runs to the last second of that day (UTC).
		body["end_time"] = d.end.Add(24*time.Hour - time.Second).Format(timeLayout)
	}
	if len(d.caps) > 0 {
		body["frequency_caps"] = d.caps
	}
	if d.format == formatVideo && d.rule.videoDelivery != "" {
		body["video_delivery_formats"] = []string{d.rule.videoDelivery}
	}
	if d.category != "" {
		body["category"] = d.category
	}
	return body
}

// addObjectiveExtras adds what the objective needs beyond targeting: the app to install,
// the show to promote, the dataset that counts conversions. Each id adplan cannot know
// offline is left out of the body and reported unresolved.
func (d *adSetDraft) addObjectiveExtras(body map[string]any, s AdSetSpec) {
	if d.rule.onePhonePlatform {
		if id := strings.TrimSpace(s.MobileAppID); isUUID(id) {
			body["mobile_app_id"] = strings.ToLower(id)
		} else {
			names := nameSet([]string{id})
			if len(names) == 0 {
				names = []string{"the " + strings.ToLower(d.platforms[0]) + " app to install"}
			}
			d.unresolve("mobile_app_id", names, lookupApps, "APP_INSTALLS needs the app's Ads API UUID; it is left out until resolved")
		}
	}
	if d.rule.needsPodcast {
		if show := strings.TrimSpace(s.PodcastShow); reSpotifyID.MatchString(show) {
			body["promotion"] = map[string]any{"promotion_goal": "PODCAST_PROMO", "promotion_target_id": show}
		} else {
			names := nameSet([]string{show})
			if len(names) == 0 {
				names = []string{"the podcast show to promote"}
			}
			d.unresolve("promotion.promotion_target_id", names, lookupShows,
				"PODCAST_STREAMS promotes a show: add promotion {promotion_goal: PODCAST_PROMO, promotion_target_id: <show id>}")
		}
	}
	if d.rule.needsDataset {
		d.unresolve("dataset_id", []string{"the pixel or Conversions API dataset that records conversions"}, lookupDatasets,
			"CONVERSIONS is bought as website traffic; attach the dataset that counts the conversions")
	}
}

// day is t's calendar date at midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
