package spotify

import (
	"regexp"
	"slices"
	"strings"
)

// Look-up operations that turn names into ids (external-v3.yaml's targets, podcast-shows,
// mobile-measurement and measurement-datasets tags).
const (
	lookupGenres    = "getGenreTargets: GET /targets/genres?q={name}"
	lookupInterests = "getInterestTargets: GET /targets/interests?q={name}"
	lookupArtists   = "getArtistTargets: GET /targets/artists?q={name}"
	lookupGeos      = "getGeoTargets: GET /targets/geos?country_code={market}&types=%s&q={name}"
	lookupLanguages = "getLanguageTargets: GET /targets/languages"
	lookupShows     = "getPodcastShows: GET /podcast_shows?q={name}"
	lookupApps      = "getMobileAppsByBusinessIdAndAdAccountId: GET /businesses/{business_id}/ad_accounts/{ad_account_id}/mobile_apps"
	lookupDatasets  = "getDatasetsByAdAccountId: GET /businesses/{business_id}/ad_accounts/{ad_account_id}/datasets"
)

// genreIDs maps adplan's canonical genre names to the genre ids the OpenAPI document itself
// shows (Targets.genre_ids and the genre_ids parameter: alternative, blues, jazz, rock;
// GenreTargetsResponse: {name: Rock, id: rock}). The document has no genre enum: any other
// genre's id exists only in getGenreTargets' answer, so it is reported unresolved rather
// than guessed from its name.
var genreIDs = map[string]string{
	"alternative": "alternative",
	"blues":       "blues",
	"jazz":        "jazz",
	"rock":        "rock",
}

// podcastTopics are the podcast episode topic ids the document lists as the allowed values
// of Targets.podcast_episode_topic_ids.
var podcastTopics = []string{
	"automotive", "books-and-literature", "business-and-finance", "careers", "education",
	"events-and-attractions", "family-and-relationships", "fine-art", "food-and-drink",
	"healthy-living", "hobbies-and-interests", "home-and-garden", "medical-health", "movies",
	"music-and-audio", "news-and-politics", "personal-finance", "pets", "pop-culture",
	"real-estate", "religion-and-spirituality", "science", "shopping", "sports",
	"style-and-fashion", "technology-and-computing", "television", "travel", "video-gaming",
}

// interestTopics maps adplan's canonical interest names to podcast episode topics where the
// topic plainly covers the interest (the topics follow the IAB content taxonomy's top tier,
// where fitness sits under healthy living and beauty under style and fashion). Interests
// without a topic here (students, outdoors, history, anime, comedy, true crime, society &
// culture) are reported unresolved.
var interestTopics = map[string][]string{
	"fitness":                 {"healthy-living"},
	"health & wellness":       {"healthy-living"},
	"gaming":                  {"video-gaming"},
	"travel":                  {"travel"},
	"food":                    {"food-and-drink"},
	"fashion":                 {"style-and-fashion"},
	"beauty":                  {"style-and-fashion"},
	"sports":                  {"sports"},
	"tech":                    {"technology-and-computing"},
	"finance":                 {"personal-finance"},
	"business":                {"business-and-finance"},
	"parenting":               {"family-and-relationships"},
	"cars":                    {"automotive"},
	"pets":                    {"pets"},
	"home & garden":           {"home-and-garden"},
	"movies & tv":             {"movies", "television"},
	"books":                   {"books-and-literature"},
	"education":               {"education"},
	"science":                 {"science"},
	"arts & culture":          {"fine-art"},
	"news":                    {"news-and-politics"},
	"religion & spirituality": {"religion-and-spirituality"},
}

// topicsFor returns the podcast episode topics an interest names: a topic id or its words
// ("Food and Drink", "food & drink"), or an adplan interest with a topic.
func topicsFor(interest string) []string {
	k := strings.ToLower(strings.Join(strings.Fields(interest), " "))
	if t, ok := interestTopics[k]; ok {
		return t
	}
	id := strings.ReplaceAll(strings.ReplaceAll(k, "&", "and"), " ", "-")
	if slices.Contains(podcastTopics, id) {
		return []string{id}
	}
	return nil
}

var (
	reUUID      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	reSpotifyID = regexp.MustCompile(`^[0-9A-Za-z]{22}$`)
	reCategory  = regexp.MustCompile(`^ADV_[1-9][0-9]?_[1-9][0-9]{0,2}$`)
	reLanguage  = regexp.MustCompile(`^[a-z]{2}$`)
	reCurrency  = regexp.MustCompile(`^[A-Z]{3}$`)
)

// isUUID reports whether s is a UUID other than the nil UUID.
func isUUID(s string) bool {
	return reUUID.MatchString(s) && s != CampaignIDPlaceholder
}

// upperSet upper-cases, trims and de-duplicates values (the API's arrays are uniqueItems),
// keeping their order.
func upperSet(vs []string) []string {
	var out []string
	for _, v := range vs {
		v = strings.ToUpper(strings.TrimSpace(v))
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// nameSet trims and de-duplicates names case-insensitively, keeping their order and spelling.
func nameSet(vs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vs {
		v = strings.Join(strings.Fields(v), " ")
		if k := strings.ToLower(v); v != "" && !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}
