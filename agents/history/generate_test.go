package history

import (
	"math"
	"reflect"
	"testing"

	"github.com/adplan/adplan/agents/market"
)

func TestGenerateDeterministic(t *testing.T) {
	facts := market.Default()
	a, b := Generate(500, 42, facts), Generate(500, 42, facts)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different campaigns")
	}
	if reflect.DeepEqual(a, Generate(500, 43, facts)) {
		t.Error("different seeds, same campaigns")
	}
}

// Every generated campaign follows Spotify's rules and is internally consistent.
func TestGenerateConsistent(t *testing.T) {
	facts := market.Default()
	for _, c := range Generate(20000, 3, facts) {
		fail := func(why string) { t.Helper(); t.Fatalf("%s: %+v", why, c) }
		switch c.Objective {
		case "VIDEO_VIEWS":
			if c.Format != "VIDEO" || c.Placement != "MUSIC" || c.Platform == "DESKTOP" {
				fail("VIDEO_VIEWS is mobile video on MUSIC")
			}
		case "PODCAST_STREAMS":
			if c.Format != "AUDIO" || c.Placement != "PODCAST" {
				fail("PODCAST_STREAMS is audio on PODCAST")
			}
		case "APP_INSTALLS":
			if c.Platform != "IOS" && c.Platform != "ANDROID" {
				fail("APP_INSTALLS targets one mobile platform")
			}
		case "LEAD_GEN":
			if c.Format != "AUDIO" {
				fail("LEAD_GEN is audio")
			}
		}
		if c.Format == "IMAGE" && (c.Objective != "EVEN_IMPRESSION_DELIVERY" || c.Placement != "MUSIC") {
			fail("IMAGE only for EVEN_IMPRESSION_DELIVERY on MUSIC")
		}
		if c.Reach < 1 || c.Reach > c.Impressions || c.Reach > c.AudienceSize {
			fail("reach outside 1..min(impressions, audience)")
		}
		if c.SpendUSD <= 0 || c.Days < 1 || c.Days > 92 || c.AudienceSize <= 0 {
			fail("spend, days or audience out of range")
		}
		if cpm := c.SpendUSD / c.Impressions * 1000; cpm < 0.3 || cpm > 200 {
			fail("CPM out of any plausible range")
		}
		if c.Clicks > c.Impressions || c.VideoCompletions > c.Impressions {
			fail("more clicks or completions than impressions")
		}
		if (c.VideoCompletions > 0) != (c.Format == "VIDEO") {
			fail("video completions for video only")
		}
		if c.PodcastStreams > 0 && c.Objective != "PODCAST_STREAMS" ||
			c.Installs > 0 && c.Objective != "APP_INSTALLS" ||
			c.Leads > 0 && c.Objective != "LEAD_GEN" ||
			c.Conversions > 0 && c.Objective != "CONVERSIONS" {
			fail("a result the objective does not produce")
		}
		if c.Installs > c.Clicks || c.Leads > c.Clicks {
			fail("more installs or leads than clicks")
		}
		if c.SpendUSD != math.Round(c.SpendUSD*100)/100 || c.Impressions != math.Round(c.Impressions) {
			fail("not rounded as stored")
		}
	}
}

// Reach saturates: among comparable campaigns, spending more buys more reach but
// less than proportionally, and frequency rises.
func TestGenerateReachSaturates(t *testing.T) {
	facts := market.Default()
	type acc struct{ spend, reach, imps, n float64 }
	var lo, hi acc
	for _, c := range Generate(60000, 5, facts) {
		if c.Market != "US" || c.Objective != "REACH" || c.Format != "AUDIO" || c.Placement != "MUSIC" {
			continue
		}
		per := c.SpendUSD / c.AudienceSize // dollars per addressable person
		switch {
		case per < 0.001:
			lo.spend, lo.reach, lo.imps, lo.n = lo.spend+per, lo.reach+c.Reach/c.AudienceSize, lo.imps+c.Impressions/c.Reach, lo.n+1
		case per > 0.01:
			hi.spend, hi.reach, hi.imps, hi.n = hi.spend+per, hi.reach+c.Reach/c.AudienceSize, hi.imps+c.Impressions/c.Reach, hi.n+1
		}
	}
	if lo.n < 20 || hi.n < 20 {
		t.Fatalf("too few campaigns: %v low, %v high", lo.n, hi.n)
	}
	spendRatio := (hi.spend / hi.n) / (lo.spend / lo.n)
	reachRatio := (hi.reach / hi.n) / (lo.reach / lo.n)
	freqLo, freqHi := lo.imps/lo.n, hi.imps/hi.n
	if reachRatio <= 1 || reachRatio >= spendRatio || freqHi <= freqLo {
		t.Errorf("spend per person x%.1f gives reach share x%.2f and frequency %.2f → %.2f", spendRatio, reachRatio, freqLo, freqHi)
	}
}
