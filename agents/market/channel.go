package market

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Channel is the policy of one way of buying Spotify ads (data/channels.json).
// The planner's logic is the same for every channel; only these numbers and lists
// differ.
type Channel struct {
	// Name is "direct", "self-serve" or "programmatic".
	Name string
	// MinCampaignUSD is the smallest total budget the channel takes.
	MinCampaignUSD float64
	// MinAdSetUSD is the smallest budget of one ad set (one line item).
	MinAdSetUSD float64
	// Formats are the asset formats the channel sells (AUDIO, VIDEO, IMAGE).
	Formats []string
	// Objectives are the campaign objectives the channel can optimise for.
	Objectives []string
	// CPMMultiplier scales the self-serve auction CPMs the history records to what
	// the channel charges (direct above 1, programmatic below).
	CPMMultiplier float64
	// MaxAdSets is the most ad sets one campaign may have.
	MaxAdSets int
	// Notes says why the numbers are what they are.
	Notes string
}

// AllowsFormat reports whether the channel sells the asset format.
func (c Channel) AllowsFormat(format string) bool {
	return slices.Contains(c.Formats, strings.ToUpper(format))
}

// AllowsObjective reports whether the channel can run the objective.
func (c Channel) AllowsObjective(objective string) bool {
	return slices.Contains(c.Objectives, strings.ToUpper(objective))
}

var (
	knownFormats    = []string{"AUDIO", "VIDEO", "IMAGE"}
	knownObjectives = []string{
		"REACH", "EVEN_IMPRESSION_DELIVERY", "CLICKS", "WEBSITE_VISITS", "VIDEO_VIEWS",
		"CONVERSIONS", "LEAD_GEN", "PODCAST_STREAMS", "APP_INSTALLS",
	}
)

func (f *Facts) loadChannels() error {
	var doc struct {
		Default  string `json:"default"`
		Channels []struct {
			Name          string   `json:"name"`
			MinCampaign   float64  `json:"min_campaign_budget_usd"`
			MinAdSet      float64  `json:"min_ad_set_budget_usd"`
			Formats       []string `json:"formats"`
			Objectives    []string `json:"objectives"`
			CPMMultiplier float64  `json:"cpm_multiplier"`
			MaxAdSets     int      `json:"max_ad_sets"`
			Notes         string   `json:"notes"`
		} `json:"channels"`
	}
	b, err := dataFS.ReadFile("data/channels.json")
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	f.channels = map[string]Channel{}
	for _, dc := range doc.Channels {
		c := Channel{
			Name: dc.Name, MinCampaignUSD: dc.MinCampaign, MinAdSetUSD: dc.MinAdSet,
			Formats: dc.Formats, Objectives: dc.Objectives, CPMMultiplier: dc.CPMMultiplier,
			MaxAdSets: dc.MaxAdSets, Notes: dc.Notes,
		}
		if c.Name == "" || c.Name != strings.ToLower(c.Name) {
			return fmt.Errorf("channel %q: names are lower case", c.Name)
		}
		if _, dup := f.channels[c.Name]; dup {
			return fmt.Errorf("channel %s listed twice", c.Name)
		}
		if !(c.MinAdSetUSD > 0) || c.MinCampaignUSD < c.MinAdSetUSD {
			return fmt.Errorf("channel %s: minimum budgets must be positive, the campaign's at least the ad set's", c.Name)
		}
		if !(c.CPMMultiplier > 0) || c.MaxAdSets < 1 {
			return fmt.Errorf("channel %s: cpm_multiplier and max_ad_sets must be positive", c.Name)
		}
		if len(c.Formats) == 0 || len(c.Objectives) == 0 {
			return fmt.Errorf("channel %s: no formats or no objectives", c.Name)
		}
		for _, x := range c.Formats {
			if !slices.Contains(knownFormats, x) {
				return fmt.Errorf("channel %s: unknown format %q", c.Name, x)
			}
		}
		for _, x := range c.Objectives {
			if !slices.Contains(knownObjectives, x) {
				return fmt.Errorf("channel %s: unknown objective %q", c.Name, x)
			}
		}
		f.channels[c.Name] = c
		f.channelNames = append(f.channelNames, c.Name)
	}
	if _, ok := f.channels[doc.Default]; !ok {
		return fmt.Errorf("default channel %q is not listed", doc.Default)
	}
	f.defaultChannel = doc.Default
	return nil
}

// Channel returns the buying channel by name (case-insensitive; "self_serve" and
// "selfserve" read as "self-serve"); the empty name gives the default channel
// (self-serve). An unknown name is an error listing the valid ones.
func (f *Facts) Channel(name string) (Channel, error) {
	if name == "" {
		return f.channels[f.defaultChannel], nil
	}
	key := strings.ToLower(strings.TrimSpace(name))
	key = strings.ReplaceAll(key, "_", "-")
	if key == "selfserve" {
		key = "self-serve"
	}
	c, ok := f.channels[key]
	if !ok {
		return Channel{}, fmt.Errorf("unknown channel %q: use one of %s", name, strings.Join(f.channelNames, ", "))
	}
	return c, nil
}

// Channels returns every channel, in the order of data/channels.json.
func (f *Facts) Channels() []Channel {
	cs := make([]Channel, len(f.channelNames))
	for i, n := range f.channelNames {
		cs[i] = f.channels[n]
	}
	return cs
}

// DefaultChannel is the name of the channel a plan uses when none is asked for.
func (f *Facts) DefaultChannel() string { return f.defaultChannel }
