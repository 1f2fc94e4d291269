package forecast

import (
	"fmt"
	"math"
	"strings"
)

// FrequencyCap limits the impressions one listener gets in a period, as an ad
// set's frequency_caps do.
type FrequencyCap struct {
	MaxImpressions int    `json:"max_impressions"`
	Period         int    `json:"period"` // how many Units; 0 means 1
	Unit           string `json:"unit"`   // DAY, WEEK or MONTH
}

// String reads "5 a day", "35 a week", "100 per 2 months".
func (c FrequencyCap) String() string {
	unit := strings.ToLower(c.Unit)
	if c.Period <= 1 {
		return fmt.Sprintf("%d a %s", c.MaxImpressions, unit)
	}
	return fmt.Sprintf("%d per %d %ss", c.MaxImpressions, c.Period, unit)
}

// SpotifyDefaultCaps are the frequency caps Spotify applies to an ad set that
// sets none (the Ads API's AdSetFrequencyCaps: 5 a day, 35 a week, 50 a month).
var SpotifyDefaultCaps = []FrequencyCap{
	{MaxImpressions: 5, Period: 1, Unit: "DAY"},
	{MaxImpressions: 35, Period: 1, Unit: "WEEK"},
	{MaxImpressions: 50, Period: 1, Unit: "MONTH"},
}

// unitDays is how many days a cap's unit spans; a month is counted as 30 days.
var unitDays = map[string]int{"DAY": 1, "WEEK": 7, "MONTH": 30}

// FlightFrequency is the most impressions one listener can get over a flight of
// days under the caps: for each cap, its allowance times the number of its
// periods the flight touches (a flight of 8 days touches two weeks), the
// smallest of these. 0 means no cap applies (no caps, or none readable).
func FlightFrequency(days int, caps []FrequencyCap) float64 {
	most := 0.0
	for _, c := range caps {
		d, ok := unitDays[strings.ToUpper(c.Unit)]
		if !ok || c.MaxImpressions < 1 || days < 1 {
			continue
		}
		span := d * max(c.Period, 1)
		periods := (days + span - 1) / span
		f := float64(c.MaxImpressions * periods)
		if most == 0 || f < most {
			most = f
		}
	}
	return most
}

// capFrequency holds a forecast to a frequency of at most maxFreq impressions a
// person: past it, the impressions reach more of the audience (reach at least
// impressions / maxFreq), and what the whole audience cannot take at the cap
// is not delivered (impressions at most maxFreq × audience). Each end moves
// the same monotone way, so Low ≤ Mid ≤ High still holds. It reports whether
// any impressions were cut.
func capFrequency(imp, reach, freq *Range, audience, maxFreq float64) (cut bool) {
	if maxFreq <= 0 {
		return false
	}
	most := maxFreq * audience
	one := func(i, r, f *float64) {
		if *i > most {
			*i, cut = most, true
		}
		if *r < *i/maxFreq {
			*r = math.Min(audience, *i/maxFreq)
		}
		*f = math.Min(*f, maxFreq)
	}
	one(&imp.Low, &reach.Low, &freq.Low)
	one(&imp.Mid, &reach.Mid, &freq.Mid)
	one(&imp.High, &reach.High, &freq.High)
	if reach.Mid > 0 {
		freq.Mid = math.Min(imp.Mid/reach.Mid, maxFreq)
	}
	freq.Low, freq.High = math.Min(freq.Low, freq.Mid), math.Max(freq.High, freq.Mid)
	return cut
}
