// Package history holds the past campaigns the planner learns from: the record of
// one campaign, the CSV format a user's own export uses, and the default data set.
package history

import "time"

// Campaign is one past campaign as delivered: what it targeted and what it got.
// Money is in US dollars (the reference currency), so campaigns from every market
// compare; a user's export in another currency is converted when it is loaded.
type Campaign struct {
	ID string
	// Market is the ISO 3166-1 alpha-2 country the campaign ran in (one per row:
	// the Ads API targets one country per ad set).
	Market string
	// Objective is a Spotify Ads objective (REACH, CLICKS, ..., as agents.Objective).
	Objective string
	// Format is AUDIO, VIDEO or IMAGE.
	Format string
	// Placement is MUSIC or PODCAST.
	Placement string
	// AgeMin and AgeMax bound the targeted ages (13..99).
	AgeMin, AgeMax int
	// Gender is ALL, FEMALE or MALE.
	Gender string
	// Platform is ALL, IOS, ANDROID or DESKTOP.
	Platform string
	// AudienceSize is the addressable audience the targeting reached at booking time
	// (people), as the Ads Manager estimates it.
	AudienceSize float64
	Start        time.Time
	Days         int
	SpendUSD     float64
	Impressions  float64
	Reach        float64
	// Results by kind; a campaign has the ones its objective and format produce.
	Clicks           float64
	VideoCompletions float64
	PodcastStreams   float64
	Installs         float64
	Leads            float64
	Conversions      float64
}

// Columns is the CSV header of a history file, in order. Every row has all of them.
var Columns = []string{
	"id", "market", "objective", "format", "placement", "age_min", "age_max", "gender",
	"platform", "audience_size", "start", "days", "spend_usd", "impressions", "reach",
	"clicks", "video_completions", "podcast_streams", "installs", "leads", "conversions",
}
