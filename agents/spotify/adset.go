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
func (b *builder) adSet(i int, s AdSetSpec, campaignObjective string, rule objectiveRule) (map[string]any, []Unresolved, int64, bool) {
	errsBefore := len(b.errs)
	name, err := apiName(s.Name)
	if err != nil {
		b.fail(i, s.Name, "name", "%v", err)
		name = strings.TrimSpace(s.Name)
	}
	fail := func(field, format string, args ...any) { b.fail(i, name, field, format, args...) }
	var unresolved []Unresolved
	unresolve := func(field string, names []string, lookup, note string) {
		unresolved = append(unresolved, Unresolved{AdSet: name, AdSetIndex: i, Field: field, Names: names, Lookup: lookup, Note: note})
	}

	objective := strings.ToUpper(strings.TrimSpace(campaignObjective))
	if o := strings.ToUpper(strings.TrimSpace(s.Objective)); o != "" && o != objective {
		fail("objective", "%s differs from the campaign's %s: a campaign has one objective", o, objective)
	}

	// Asset format.
	format := strings.ToUpper(strings.TrimSpace(s.Format))
	switch {
	case !slices.Contains([]string{formatAudio, formatVideo, formatImage}, format):
		fail("asset_format", "unknown format %q (want AUDIO, VIDEO or IMAGE)", s.Format)
	case !slices.Contains(rule.formats, format):
		fail("asset_format", "%s allows %s only, got %s", objective, strings.Join(rule.formats, " or "), format)
	}

	// Market.
	market := strings.ToUpper(strings.TrimSpace(s.Market))
	if len(market) != 2 || countries.ByName(market).Alpha2() != market {
		fail("targets.geo_targets.country_code", "%q is not an ISO 3166-1 alpha-2 country code", s.Market)
	}

	// Placements.
	placements := upperSet(s.Placements)
	for _, p := range placements {
		if p != placementMusic && p != placementPodcast {
			fail("targets.placements", "unknown placement %q (want MUSIC or PODCAST)", p)
		}
	}
	if len(placements) == 0 {
		placements = slices.Clone(rule.placements)
	}
	if rule.musicOnly && slices.Contains(placements, placementPodcast) {
		fail("targets.placements", "%s runs on MUSIC only, not on PODCAST", objective)
	}
	if rule.needsPodcast && !slices.Contains(placements, placementPodcast) {
		fail("targets.placements", "%s needs the PODCAST placement", objective)
	}

	// Platforms.
	platforms := upperSet(s.Platforms)
	for _, p := range platforms {
		if !slices.Contains([]string{platformAndroid, platformDesktop, platformIOS}, p) {
			fail("targets.platforms", "unknown platform %q (want IOS, ANDROID or DESKTOP)", p)
		}
	}
	switch {
	case rule.onePhonePlatform && (len(platforms) != 1 || platforms[0] == platformDesktop):
		fail("targets.platforms", "%s needs exactly one of IOS or ANDROID (no DESKTOP), got %v", objective, platforms)
	case rule.noDesktop && slices.Contains(platforms, platformDesktop):
		fail("targets.platforms", "%s does not run on DESKTOP", objective)
	case rule.noDesktop && len(platforms) == 0:
		platforms = []string{platformAndroid, platformIOS} // the API's default would include DESKTOP
	}

	// Audience.
	minAge := 99
	var ages []map[string]any
	for _, a := range s.AgeRanges {
		if a.Min < 13 || a.Max > 99 || a.Min > a.Max {
			fail("targets.age_ranges", "age range %d-%d is outside the API's 13-99 or reversed", a.Min, a.Max)
			continue
		}
		minAge = min(minAge, a.Min)
		r := map[string]any{"min": a.Min, "max": a.Max}
		if !slices.ContainsFunc(ages, func(x map[string]any) bool { return x["min"] == a.Min && x["max"] == a.Max }) {
			ages = append(ages, r)
		}
	}
	if len(s.AgeRanges) == 0 {
		minAge = 13
	}
	genders := upperSet(s.Genders)
	for _, g := range genders {
		if !slices.Contains([]string{"MALE", "FEMALE", "NON_BINARY"}, g) {
			fail("targets.genders", "unknown gender %q (want MALE, FEMALE or NON_BINARY)", g)
		}
	}
	var language string
	languages := nameSet(s.Languages)
	for _, l := range languages {
		if !reLanguage.MatchString(strings.ToLower(l)) {
			fail("targets.language", "%q is not an ISO 639-1 language code", l)
		}
	}
	switch {
	case len(languages) == 1:
		language = strings.ToLower(languages[0])
	case len(languages) > 1:
		unresolve("targets.language", languages, lookupLanguages,
			"the API targets one language per ad set; left untargeted (all languages): split the ad set per language to target each")
	}

	// Genres, interests, artists, places.
	var genreIDList, unknownGenres []string
	for _, g := range nameSet(s.Genres) {
		if id, ok := genreIDs[strings.ToLower(g)]; ok {
			if !slices.Contains(genreIDList, id) {
				genreIDList = append(genreIDList, id)
			}
		} else {
			unknownGenres = append(unknownGenres, g)
		}
	}
	if len(unknownGenres) > 0 {
		unresolve("targets.genre_ids", unknownGenres, lookupGenres, "")
	}
	podcastOnly := len(placements) == 1 && placements[0] == placementPodcast
	var topics, interests []string
	for _, in := range nameSet(s.Interests) {
		t := topicsFor(in)
		if podcastOnly && len(t) > 0 {
			for _, id := range t {
				if !slices.Contains(topics, id) {
					topics = append(topics, id)
				}
			}
			continue
		}
		interests = append(interests, in)
	}
	if len(interests) > 0 {
		unresolve("targets.interest_ids", interests, lookupInterests, "")
	}
	if a := nameSet(s.Artists); len(a) > 0 {
		unresolve("targets.artist_ids", a, lookupArtists, "")
	}
	if r := nameSet(s.Regions); len(r) > 0 {
		unresolve("targets.geo_targets.region_ids", r, fmt.Sprintf(lookupGeos, "REGION"), "")
	}
	if c := nameSet(s.Cities); len(c) > 0 {
		unresolve("targets.geo_targets.city_ids", c, fmt.Sprintf(lookupGeos, "CITY"), "")
	}

	// Category.
	category := strings.ToUpper(strings.TrimSpace(s.Category))
	if category != "" && !reCategory.MatchString(category) {
		fail("category", "%q is not a category code ADV_{parent}_{sub}", s.Category)
	}
	if least, ok := restrictedCategoryMinAge[category]; ok && minAge < least {
		fail("targets.age_ranges", "category %s needs ages %d and over", category, least)
	}

	// Budget and flight.
	budgetType := strings.ToUpper(strings.TrimSpace(s.BudgetType))
	if budgetType != budgetDaily && budgetType != budgetLifetime {
		fail("budget.type", "unknown budget type %q (want LIFETIME or DAILY)", s.BudgetType)
	}
	if s.BudgetMicro <= 0 {
		fail("budget.micro_amount", "budget must be positive, got %d micro", s.BudgetMicro)
	}
	currency := strings.ToUpper(strings.TrimSpace(s.Currency))
	if !reCurrency.MatchString(currency) {
		fail("budget", "%q is not an ISO 4217 currency code", s.Currency)
	}
	var start, end time.Time
	if s.Start.IsZero() {
		fail("start_time", "no start date")
	} else {
		start = day(s.Start)
	}
	days := int64(0)
	if !s.End.IsZero() {
		end = day(s.End)
		if !start.IsZero() && end.Before(start) {
			fail("end_time", "end %s is before start %s", end.Format(time.DateOnly), start.Format(time.DateOnly))
		}
		days = int64(end.Sub(start)/(24*time.Hour)) + 1
	} else if budgetType == budgetLifetime {
		fail("end_time", "a LIFETIME budget needs an end date")
	}
	spent := s.BudgetMicro
	if budgetType == budgetDaily && days > 0 {
		spent = s.BudgetMicro * days
	}
	if s.MinBudgetMicro > 0 && spent < s.MinBudgetMicro {
		fail("budget.micro_amount", "budget %s %s over the flight is below the minimum of %s %s",
			formatMicro(spent), currency, formatMicro(s.MinBudgetMicro), currency)
	}

	// Frequency cap.
	var caps []map[string]any
	if fc := s.FrequencyCap; fc != nil {
		unit := strings.ToUpper(strings.TrimSpace(fc.Unit))
		period := max(fc.Period, 1)
		most, ok := frequencyMax[unit]
		switch {
		case !ok:
			fail("frequency_caps", "unknown unit %q (want DAY, WEEK or MONTH)", fc.Unit)
		case fc.Period < 0 || fc.MaxImpressions < 1:
			fail("frequency_caps", "needs at least 1 impression per period of at least 1, got %d per %d %s", fc.MaxImpressions, fc.Period, unit)
		case fc.MaxImpressions > most*period:
			fail("frequency_caps", "%d impressions per %d %s is above the API's maximum of %d per %s", fc.MaxImpressions, period, unit, most, unit)
		default:
			caps = []map[string]any{{"frequency_unit": unit, "frequency_period": period, "max_impressions": fc.MaxImpressions}}
		}
	}

	// Bid strategy, bid and pacing.
	strategy := strings.ToUpper(strings.TrimSpace(s.BidStrategy))
	if strategy == "" {
		strategy = bidMax
	}
	pacing := strings.ToUpper(strings.TrimSpace(s.Pacing))
	if pacing == "" {
		pacing = pacingEven
	}
	if pacing != pacingEven && pacing != pacingASAP {
		fail("pacing", "unknown pacing %q (want PACING_EVEN or PACING_ASAP)", s.Pacing)
	}
	switch {
	case !slices.Contains(rule.strategies, strategy):
		fail("bid_strategy", "%s allows %s only, got %s", objective, strings.Join(rule.strategies, " or "), strategy)
	case strategy == bidCostPerResult && (budgetType != budgetLifetime || pacing != pacingEven):
		fail("bid_strategy", "COST_PER_RESULT needs a LIFETIME budget and PACING_EVEN, got %s and %s", budgetType, pacing)
	}
	bid, defaulted := s.BidMicro, false
	switch {
	case bid < 0:
		fail("bid_micro_amount", "bid must be positive, got %d micro", bid)
	case bid == 0:
		var ok bool
		if bid, ok = DefaultBidMicro(currency, format, strategy); !ok && reCurrency.MatchString(currency) {
			fail("bid_micro_amount", "no default bid for %s: give the ad set a BidMicro", currency)
		}
		defaulted = true
	}

	if len(b.errs) > errsBefore {
		return nil, nil, 0, false
	}

	targets := map[string]any{
		"geo_targets": map[string]any{"country_code": market},
		"placements":  placements,
	}
	if len(ages) > 0 {
		targets["age_ranges"] = ages
	}
	if len(genders) > 0 {
		targets["genders"] = genders
	}
	if len(platforms) > 0 {
		targets["platforms"] = platforms
	}
	if len(genreIDList) > 0 {
		targets["genre_ids"] = genreIDList
	}
	if len(topics) > 0 {
		targets["podcast_episode_topic_ids"] = topics
	}
	if language != "" {
		targets["language"] = language
	}

	body := map[string]any{
		"name":             name,
		"campaign_id":      CampaignIDPlaceholder,
		"start_time":       start.Format(timeLayout),
		"budget":           map[string]any{"micro_amount": s.BudgetMicro, "type": budgetType},
		"asset_format":     format,
		"targets":          targets,
		"bid_strategy":     strategy,
		"bid_micro_amount": bid,
		"pacing":           pacing,
		"delivery_goal":    rule.goal,
	}
	if !end.IsZero() {
		// The end date is inclusive: the flight runs to the last second of that day (UTC).
		body["end_time"] = end.Add(24*time.Hour - time.Second).Format(timeLayout)
	}
	if len(caps) > 0 {
		body["frequency_caps"] = caps
	}
	if format == formatVideo && rule.videoDelivery != "" {
		body["video_delivery_formats"] = []string{rule.videoDelivery}
	}
	if category != "" {
		body["category"] = category
	}
	if rule.onePhonePlatform {
		if id := strings.TrimSpace(s.MobileAppID); isUUID(id) {
			body["mobile_app_id"] = strings.ToLower(id)
		} else {
			names := nameSet([]string{id})
			if len(names) == 0 {
				names = []string{"the " + strings.ToLower(platforms[0]) + " app to install"}
			}
			unresolve("mobile_app_id", names, lookupApps, "APP_INSTALLS needs the app's Ads API UUID; it is left out until resolved")
		}
	}
	if rule.needsPodcast {
		if show := strings.TrimSpace(s.PodcastShow); reSpotifyID.MatchString(show) {
			body["promotion"] = map[string]any{"promotion_goal": "PODCAST_PROMO", "promotion_target_id": show}
		} else {
			names := nameSet([]string{show})
			if len(names) == 0 {
				names = []string{"the podcast show to promote"}
			}
			unresolve("promotion.promotion_target_id", names, lookupShows,
				"PODCAST_STREAMS promotes a show: add promotion {promotion_goal: PODCAST_PROMO, promotion_target_id: <show id>}")
		}
	}
	if rule.needsDataset {
		unresolve("dataset_id", []string{"the pixel or Conversions API dataset that records conversions"}, lookupDatasets,
			"CONVERSIONS is bought as website traffic; attach the dataset that counts the conversions")
	}
	return body, unresolved, spent, defaulted
}

// day is t's calendar date at midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
