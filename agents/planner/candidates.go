package planner

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/market"
)

// candidate is one ad set the budget may go to.
type candidate struct {
	market    string
	format    string
	placement string
	platforms []string
	audience  float64
	minUSD    float64
}

// id names the ad set the way its line item is named: market, format, placement and,
// when it targets one, the platform ("DE-audio-music", "US-audio-podcast-ios").
func (c candidate) id() string {
	return fmt.Sprintf("%s-%s-%s%s", c.market, strings.ToLower(c.format), strings.ToLower(c.placement), platformSuffix(c.platforms))
}

// candidates lists the ad sets the brief, the objective's rules and the channel allow,
// and says what was left out and why.
func (p *Planner) candidates(in planInputs) ([]candidate, []string) {
	rule := p.rules.Objectives[in.objective]
	var notes []string
	if !slices.Contains(in.channel.Objectives, string(in.objective)) {
		notes = append(notes, fmt.Sprintf("The %s channel does not sell %s; choose another channel or objective.", in.channel.Name, in.objective))
		return nil, notes
	}
	formats := slices.Clone(rule.Formats)
	formats = slices.DeleteFunc(formats, func(f string) bool {
		return !slices.Contains(in.channel.Formats, f) || len(in.formats) > 0 && !slices.Contains(in.formats, f) ||
			in.maxShare != nil && in.maxShare[f] == 0 && hasKey(in.maxShare, f)
	})
	if len(formats) == 0 {
		notes = append(notes, fmt.Sprintf("%s runs on %s, which the brief or the %s channel rules out.", in.objective, strings.Join(rule.Formats, "/"), in.channel.Name))
		return nil, notes
	}
	placements := slices.Clone(rule.Placements)
	if len(in.audience.Placements) > 0 {
		placements = slices.DeleteFunc(placements, func(pl string) bool { return !slices.Contains(in.audience.Placements, pl) })
		if len(placements) == 0 {
			notes = append(notes, fmt.Sprintf("%s cannot run on %s placements.", in.objective, strings.Join(in.audience.Placements, "/")))
			return nil, notes
		}
	}
	platformSets, note, ok := platformSets(in, rule)
	if note != "" {
		notes = append(notes, note)
	}
	if !ok {
		return nil, notes
	}
	// An ad set must get the channel's minimum, and enough a day to deliver steadily
	// over the flight: opening one that the thin-budget warning would flag helps no one.
	minAdSet := math.Max(in.channel.MinAdSetUSD, p.typical.thinDailyUSD*float64(in.days))
	var cs []candidate
	for _, m := range in.markets {
		for _, f := range formats {
			for _, pl := range placements {
				if f == agents.FormatImage && !slices.Contains(p.rules.ImagePlacements, pl) {
					continue
				}
				for _, plats := range platformSets {
					t := market.Targeting{Genders: in.audience.Genders, Platforms: plats, Placements: []string{pl}}
					for _, r := range in.audience.AgeRanges {
						t.AgeRanges = append(t.AgeRanges, market.AgeRange{Min: r.Min, Max: r.Max})
					}
					size := p.facts.AudienceSize(m, t)
					if size < 1 {
						continue
					}
					cs = append(cs, candidate{market: m, format: f, placement: pl, platforms: plats, audience: size, minUSD: minAdSet})
				}
			}
		}
	}
	return cs, notes
}

// platformSets are the platform lists the ad sets of one market, format and placement
// target: one list per mobile platform for objectives whose ad sets target exactly
// one (one_mobile_platform in the rules), the audience's own list less desktop for
// objectives that cannot run there. note says what was left out, and ok is false
// when nothing is left.
func platformSets(in planInputs, rule objectiveRule) (sets [][]string, note string, ok bool) {
	switch {
	case rule.OneMobilePlatform:
		mobile := []string{agents.PlatformIOS, agents.PlatformAndroid}
		if len(in.audience.Platforms) > 0 {
			mobile = slices.DeleteFunc(slices.Clone(in.audience.Platforms), func(pl string) bool { return pl == agents.PlatformDesktop })
		}
		if len(mobile) == 0 {
			return nil, "App installs need a mobile platform (iOS or Android), and the brief names only desktop.", false
		}
		for _, pl := range mobile {
			sets = append(sets, []string{pl})
		}
		return sets, "", true
	case rule.NoDesktop && slices.Contains(in.audience.Platforms, agents.PlatformDesktop):
		rest := slices.DeleteFunc(slices.Clone(in.audience.Platforms), func(pl string) bool { return pl == agents.PlatformDesktop })
		return [][]string{rest}, fmt.Sprintf("%s does not run on desktop; desktop left out.", in.objective), true
	}
	return [][]string{in.audience.Platforms}, "", true
}

func hasKey(m map[string]float64, k string) bool { _, ok := m[k]; return ok }
