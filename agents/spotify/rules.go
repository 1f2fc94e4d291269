package spotify

import (
	"slices"
	"sort"
)

// API enum values used in the bodies.
const (
	formatAudio = "AUDIO"
	formatVideo = "VIDEO"
	formatImage = "IMAGE"

	placementMusic   = "MUSIC"
	placementPodcast = "PODCAST"

	platformAndroid = "ANDROID"
	platformDesktop = "DESKTOP"
	platformIOS     = "IOS"

	budgetDaily    = "DAILY"
	budgetLifetime = "LIFETIME"

	bidMax           = "MAX_BID"
	bidCostPerResult = "COST_PER_RESULT"

	pacingEven = "PACING_EVEN"
	pacingASAP = "PACING_ASAP"
)

// objectiveRule is what one adplan objective becomes in the API and what the API allows
// with it (OptimizationPrefs' x-spotify-enum-descriptions, AdSetRequestBase's
// x-spotify-defaults and VideoDeliveryFormats).
type objectiveRule struct {
	apiObjective string // CreateCampaignRequest.objective (OptimizationPrefs)
	group        string // CreateCampaignRequest.delivery_goal_group
	goal         string // AdSetCreateRequest.delivery_goal
	formats      []string
	strategies   []string
	// videoDelivery is the only video_delivery_formats value the objective allows for
	// VIDEO ad sets; empty leaves the API's default (both).
	videoDelivery string
	// placements is the default when the spec names none.
	placements []string
	// musicOnly, noDesktop, onePhonePlatform, needsPodcast restrict targeting.
	musicOnly, noDesktop, onePhonePlatform, needsPodcast bool
	// needsDataset: conversions are counted by a measurement dataset (dataset_id).
	needsDataset bool
	note         string
}

var bothPlacements = []string{placementMusic, placementPodcast}

var objectiveRules = map[string]objectiveRule{
	"REACH": {
		apiObjective: "REACH", group: "AWARENESS", goal: "REACH",
		formats: []string{formatAudio, formatVideo}, strategies: []string{bidMax}, placements: bothPlacements,
	},
	"EVEN_IMPRESSION_DELIVERY": {
		apiObjective: "EVEN_IMPRESSION_DELIVERY", group: "AWARENESS", goal: "IMPRESSIONS",
		formats: []string{formatAudio, formatVideo, formatImage}, strategies: []string{bidMax}, placements: bothPlacements,
	},
	"VIDEO_VIEWS": {
		apiObjective: "VIDEO_VIEWS", group: "AWARENESS", goal: "VIDEO_VIEWS",
		formats: []string{formatVideo}, strategies: []string{bidMax}, videoDelivery: "OPT_IN",
		placements: []string{placementMusic}, musicOnly: true, noDesktop: true,
	},
	"CLICKS": {
		apiObjective: "CLICKS", group: "WEBSITE_TRAFFIC", goal: "CLICKS",
		formats: []string{formatAudio, formatVideo}, strategies: []string{bidMax, bidCostPerResult},
		videoDelivery: "IN_STREAM", placements: bothPlacements,
	},
	"WEBSITE_VISITS": {
		apiObjective: "WEBSITE_VISITS", group: "WEBSITE_TRAFFIC", goal: "PAGE_VIEWS",
		formats: []string{formatAudio, formatVideo}, strategies: []string{bidMax}, placements: bothPlacements,
	},
	"CONVERSIONS": {
		apiObjective: "WEBSITE_VISITS", group: "WEBSITE_TRAFFIC", goal: "PAGE_VIEWS",
		formats: []string{formatAudio, formatVideo}, strategies: []string{bidMax}, placements: bothPlacements,
		needsDataset: true,
		note: "objective CONVERSIONS: the Ads API has no conversions objective, delivery-goal group or goal; " +
			"sent as objective WEBSITE_VISITS, delivery_goal_group WEBSITE_TRAFFIC, delivery_goal PAGE_VIEWS, " +
			"with conversions counted by the ad sets' measurement dataset (dataset_id, unresolved)",
	},
	"LEAD_GEN": {
		apiObjective: "WEBSITE_VISITS", group: "LEAD_GEN", goal: "LEADS",
		formats: []string{formatAudio}, strategies: []string{bidMax}, placements: bothPlacements,
		note: "objective LEAD_GEN: the Ads API takes LEAD_GEN as delivery_goal_group (delivery_goal LEADS) but not as " +
			"a campaign objective, which is still required; objective is sent as WEBSITE_VISITS, the closest accepted value",
	},
	"PODCAST_STREAMS": {
		apiObjective: "PODCAST_STREAMS", group: "ENGAGEMENT_ON_SPOTIFY", goal: "STREAMS",
		formats: []string{formatAudio}, strategies: []string{bidMax},
		placements: []string{placementPodcast}, needsPodcast: true,
	},
	"APP_INSTALLS": {
		apiObjective: "APP_INSTALLS", group: "APP_PROMOTION", goal: "APP_INSTALLS",
		formats: []string{formatAudio, formatVideo, formatImage}, strategies: []string{bidMax},
		placements: bothPlacements, onePhonePlatform: true,
	},
}

// AllowedFormats returns the asset formats the API allows for an adplan objective, or nil
// for an unknown objective. The planner can use it to avoid line items Build rejects.
func AllowedFormats(objective string) []string {
	r, ok := objectiveRules[objective]
	if !ok {
		return nil
	}
	return slices.Clone(r.formats)
}

func objectiveNames() []string {
	names := make([]string, 0, len(objectiveRules))
	for k := range objectiveRules {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// frequencyMax is the most impressions per listener the API allows in one unit: its
// defaults, which AdSetFrequencyCaps calls "the maximum (5 per day, 35 per week, 50 per
// month)".
var frequencyMax = map[string]int{"DAY": 5, "WEEK": 35, "MONTH": 50}

// restrictedCategoryMinAge is the youngest age a category may target
// (AdSetCategory's x-spotify-enum-descriptions restrictions).
var restrictedCategoryMinAge = map[string]int{"ADV_15_139": 18}
