// Package spotify builds Spotify Ads API v3 request bodies for a plan: one createCampaign
// body and one createAdSet body per ad set, as the OpenAPI document
// (shared/spotify-ads-api/external-v3.yaml) types them, plus a list of the targeting that
// cannot be turned into API ids offline.
//
// Build never invents ids. Where the API wants an id adplan cannot know (interest UUIDs,
// artist ids, region ids, the mobile app's UUID, the campaign's id before createCampaign has
// run) the field is left out and the names are listed under Payloads.Unresolved, with the
// look-up operation that resolves them. The only stand-in is the ad sets' campaign_id: the
// schema types it as a UUID, so it holds the nil UUID (CampaignIDPlaceholder), which the
// caller replaces with the id createCampaign returns.
//
// # Objectives
//
// CreateCampaignRequest still requires the deprecated objective (OptimizationPrefs) and the
// document says to use delivery_goal_group on the campaign and delivery_goal on ad sets
// instead, so Build sends all three:
//
//	adplan objective          objective                 delivery_goal_group    delivery_goal
//	REACH                     REACH                     AWARENESS              REACH
//	EVEN_IMPRESSION_DELIVERY  EVEN_IMPRESSION_DELIVERY  AWARENESS              IMPRESSIONS
//	VIDEO_VIEWS               VIDEO_VIEWS               AWARENESS              VIDEO_VIEWS
//	CLICKS                    CLICKS                    WEBSITE_TRAFFIC        CLICKS
//	WEBSITE_VISITS            WEBSITE_VISITS            WEBSITE_TRAFFIC        PAGE_VIEWS
//	CONVERSIONS               WEBSITE_VISITS            WEBSITE_TRAFFIC        PAGE_VIEWS
//	LEAD_GEN                  WEBSITE_VISITS            LEAD_GEN               LEADS
//	PODCAST_STREAMS           PODCAST_STREAMS           ENGAGEMENT_ON_SPOTIFY  STREAMS
//	APP_INSTALLS              APP_INSTALLS              APP_PROMOTION          APP_INSTALLS
//
// The API has no conversions objective, group or goal: a conversions plan is bought as
// website traffic optimised for page views, and the ad set's dataset_id (the pixel or
// Conversions API dataset that counts the conversions) is reported unresolved. LEAD_GEN is
// a delivery-goal group (goal LEADS) but not an accepted objective value although the
// objective's x-spotify-enum-descriptions describe it; the required objective is filled with
// WEBSITE_VISITS, the accepted objective whose rules (leave-behind slots, MAX_BID) are
// closest, and LEAD_GEN's own rules (AUDIO only) are enforced.
//
// # Rules enforced
//
// From the objective descriptions: formats per objective (VIDEO_VIEWS is VIDEO only;
// PODCAST_STREAMS and LEAD_GEN AUDIO only; REACH, CLICKS, WEBSITE_VISITS AUDIO or VIDEO;
// EVEN_IMPRESSION_DELIVERY any), VIDEO_VIEWS on MUSIC only and not on DESKTOP, APP_INSTALLS
// on exactly one of IOS or ANDROID, bid strategy MAX_BID (COST_PER_RESULT only for CLICKS
// with a LIFETIME budget and PACING_EVEN), and the video delivery format each objective
// takes. From the schemas: ages 13–99, at most 6 frequency caps, caps no higher than the
// API's maxima (5 a day, 35 a week, 50 a month), names of 2–200 characters, a purchase
// order of 2–45, ISO codes, a LIFETIME budget needs an end time. adplan's own: one currency
// for all ad sets (micro amounts are in the ad account's single billing currency),
// PODCAST_STREAMS needs the PODCAST placement, and a campaign of at least
// MinCampaignBudget major units (the self-serve minimum, "250 in your local currency").
package spotify

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// CampaignIDPlaceholder stands in for the campaign id in every createAdSet body. The schema
// types campaign_id as a UUID, so a readable template such as "{{campaign.id}}" would fail
// validation; the nil UUID passes it and can never be a real campaign. Replace it with the
// id field of the createCampaign response (the document's x-spotify-flow-output chaining:
// CampaignResponse.id → createAdSet.campaign_id).
const CampaignIDPlaceholder = "00000000-0000-0000-0000-000000000000"

// MinCampaignBudget is the smallest campaign budget, in major units of the ad account's
// currency, that Build accepts: Spotify's published self-serve minimum ("a minimum budget of
// 250.00 in your local currency"). The OpenAPI document itself states no minimum.
// A daily budget counts for every day of its flight.
const MinCampaignBudget = 250

// micro is the number of micro units in one major unit, as the API counts money.
const micro = 1_000_000

// CampaignSpec is what Build needs to create the campaign.
type CampaignSpec struct {
	Name string
	// Objective is adplan's objective: REACH, EVEN_IMPRESSION_DELIVERY, CLICKS,
	// WEBSITE_VISITS, VIDEO_VIEWS, CONVERSIONS, LEAD_GEN, PODCAST_STREAMS or APP_INSTALLS.
	Objective string
	// PurchaseOrder is optional: 2–45 characters, shown on the invoice.
	PurchaseOrder string
}

// AgeRange is an inclusive range of ages; the API accepts 13 to 99.
type AgeRange struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// FrequencyCap limits the impressions one listener gets in a period.
type FrequencyCap struct {
	// MaxImpressions per listener in the period, at least 1.
	MaxImpressions int
	// Period is how many Units make the period; 0 means 1.
	Period int
	// Unit is DAY, WEEK or MONTH.
	Unit string
}

// AdSetSpec is one ad set: one market, one format, its placements, budget and flight.
type AdSetSpec struct {
	Name string
	// Market is the ISO 3166-1 alpha-2 country the ad set targets (the API targets one
	// country per ad set).
	Market string
	// Format is AUDIO, VIDEO or IMAGE.
	Format string
	// Placements are MUSIC and/or PODCAST; empty means the objective's default (both,
	// MUSIC for VIDEO_VIEWS, PODCAST for PODCAST_STREAMS).
	Placements []string
	// Platforms are IOS, ANDROID, DESKTOP; empty means all (for VIDEO_VIEWS: IOS and ANDROID).
	Platforms []string
	AgeRanges []AgeRange
	// Genders are MALE, FEMALE, NON_BINARY; empty means all.
	Genders []string
	// Genres are adplan's canonical genre names ("hip-hop").
	Genres []string
	// Interests are free-text interests or podcast topics.
	Interests []string
	// Artists are artist names to target fans of; always reported unresolved.
	Artists []string
	// Regions and Cities narrow the market; reported unresolved (the API wants geo ids).
	Regions []string
	Cities  []string
	// Languages are ISO 639-1 codes; the API targets one language per ad set.
	Languages []string
	// BudgetMicro is the budget in micro units of Currency.
	BudgetMicro int64
	// Currency is ISO 4217 and must be the ad account's billing currency, the same for
	// every ad set.
	Currency string
	// BudgetType is LIFETIME or DAILY.
	BudgetType string
	// Start is the first day and End the last day (inclusive) of the flight; only their
	// calendar dates count. End may be zero for a DAILY budget (no end).
	Start, End time.Time
	// Objective is the campaign's objective; empty means the campaign's.
	Objective    string
	FrequencyCap *FrequencyCap
	// MobileAppID is the API's UUID of the mobile app (APP_INSTALLS). Anything else (empty,
	// a store id or an app name) is left out and reported unresolved.
	MobileAppID string
	// PodcastShow is the Spotify show id to promote (PODCAST_STREAMS): a 22-character
	// base-62 id becomes the promotion; a name or nothing is reported unresolved.
	PodcastShow string
	// Category is the advertiser category (ADV_{parent}_{sub}); optional.
	Category string
	// BidStrategy is MAX_BID (the default) or COST_PER_RESULT (CLICKS only).
	BidStrategy string
	// BidMicro is the bid: a CPM cap for MAX_BID, a target cost per click for
	// COST_PER_RESULT, in micro units of Currency. Zero means the default for the currency
	// and format (see DefaultBidMicro); the planner should pass its own from its CPM forecast.
	BidMicro int64
	// Pacing is PACING_EVEN (the default) or PACING_ASAP.
	Pacing string
	// MinBudgetMicro, when set, is the channel's minimum for this ad set's total budget
	// (a daily budget times its days), in micro units of Currency.
	MinBudgetMicro int64
}

// Payloads are the request bodies that create a plan through the Spotify Ads API.
type Payloads struct {
	// Campaign is the createCampaign request body.
	Campaign map[string]any `json:"campaign"`
	// AdSets are createAdSet request bodies, in the order of the specs. Their campaign_id
	// is CampaignIDPlaceholder.
	AdSets []map[string]any `json:"ad_sets"`
	// CampaignIDPlaceholder is the value in every ad set's campaign_id to replace with the
	// id createCampaign returns.
	CampaignIDPlaceholder string `json:"campaign_id_placeholder"`
	// Unresolved lists what must be looked up through the API before the bodies are sent.
	Unresolved []Unresolved `json:"unresolved"`
	// Notes explain choices a reader should know (objective mapping, defaults).
	Notes []string `json:"notes,omitempty"`
}

// Unresolved is targeting (or another id) Build could not turn into API ids offline.
type Unresolved struct {
	// AdSet is the ad set's name and AdSetIndex its index in AdSets.
	AdSet      string `json:"ad_set"`
	AdSetIndex int    `json:"ad_set_index"`
	// Field is where the ids belong in the createAdSet body, e.g. "targets.interest_ids".
	Field string `json:"field"`
	// Names are what the brief said, to look up.
	Names []string `json:"names"`
	// Lookup is the API operation that finds the ids.
	Lookup string `json:"lookup"`
	Note   string `json:"note,omitempty"`
}

// SpecError is a spec the API would reject. AdSet is empty for campaign-wide problems.
type SpecError struct {
	AdSet      string
	AdSetIndex int
	Field      string
	Reason     string
}

func (e *SpecError) Error() string {
	where := "campaign"
	if e.AdSetIndex >= 0 {
		where = fmt.Sprintf("ad set %d %q", e.AdSetIndex+1, e.AdSet)
	}
	if e.Field == "" {
		return where + ": " + e.Reason
	}
	return where + ": " + e.Field + ": " + e.Reason
}

// Build returns the createCampaign body and one createAdSet body per spec. It returns every
// rule the specs break, joined, each a *SpecError naming the ad set.
func Build(c CampaignSpec, sets []AdSetSpec) (Payloads, error) {
	b := builder{}
	p := Payloads{CampaignIDPlaceholder: CampaignIDPlaceholder, Unresolved: []Unresolved{}, AdSets: []map[string]any{}}

	rule, ok := objectiveRules[strings.ToUpper(strings.TrimSpace(c.Objective))]
	if !ok {
		b.fail(-1, "", "objective", "unknown objective %q (want one of %s)", c.Objective, strings.Join(objectiveNames(), ", "))
	}
	name, err := apiName(c.Name)
	if err != nil {
		b.fail(-1, "", "name", "%v", err)
	}
	p.Campaign = map[string]any{"name": name}
	if ok {
		p.Campaign["objective"] = rule.apiObjective
		p.Campaign["delivery_goal_group"] = rule.group
		if rule.note != "" {
			p.Notes = append(p.Notes, rule.note)
		}
	}
	if po := strings.TrimSpace(c.PurchaseOrder); po != "" {
		if n := len([]rune(po)); n < 2 || n > 45 {
			b.fail(-1, "", "purchase_order", "must be 2 to 45 characters, got %d", n)
		}
		p.Campaign["purchase_order"] = po
	}

	if len(sets) == 0 {
		b.fail(-1, "", "ad_sets", "no ad sets: a plan needs at least one")
	}
	var total int64
	currency := ""
	usedDefaultBid := false
	for i, s := range sets {
		if cur := strings.ToUpper(strings.TrimSpace(s.Currency)); cur != "" {
			if currency == "" {
				currency = cur
			} else if cur != currency {
				b.fail(i, s.Name, "budget", "currency %s differs from %s: every ad set is billed in the ad account's one currency", cur, currency)
			}
		}
		if !ok {
			continue
		}
		body, unresolved, spent, defaulted := b.adSet(i, s, c.Objective, rule)
		if body == nil {
			continue
		}
		usedDefaultBid = usedDefaultBid || defaulted
		total += spent
		p.AdSets = append(p.AdSets, body)
		p.Unresolved = append(p.Unresolved, unresolved...)
	}
	if len(b.errs) == 0 && len(sets) > 0 && total < MinCampaignBudget*micro {
		b.fail(-1, "", "budget", "total budget %s %s is below the minimum of %d %s",
			formatMicro(total), currency, MinCampaignBudget, currency)
	}
	if usedDefaultBid {
		p.Notes = append(p.Notes, "bid_micro_amount: where the plan gave no bid, the default bid cap for the currency and format is used (about USD 25 CPM for audio and image, USD 35 for video; a target cost per click of 6% of that)")
	}
	if len(b.errs) > 0 {
		return Payloads{}, errors.Join(b.errs...)
	}
	return p, nil
}

// builder collects the rules a spec breaks.
type builder struct {
	errs []error
}

func (b *builder) fail(i int, adSet, field, format string, args ...any) {
	b.errs = append(b.errs, &SpecError{AdSet: adSet, AdSetIndex: i, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// apiName collapses white space and checks the 2–200 characters names take; a longer name
// is cut to 200 characters.
func apiName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) < 2 {
		return "", fmt.Errorf("must be at least 2 characters, got %q", s)
	}
	if len(r) > 200 {
		s = strings.TrimSpace(string(r[:200]))
	}
	return s, nil
}

// formatMicro prints a micro amount in major units with two decimals.
func formatMicro(m int64) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	cents := (m + micro/200) / (micro / 100)
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}
