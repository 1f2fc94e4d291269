package planner

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/adplan/adplan/agents"
)

//go:embed data/objective_rules.json
var objectiveRulesJSON []byte

// objectiveRule is what the Spotify Ads API allows for one objective.
type objectiveRule struct {
	Formats           []string `json:"formats"`
	Placements        []string `json:"placements"`
	NoDesktop         bool     `json:"no_desktop"`
	OneMobilePlatform bool     `json:"one_mobile_platform"`
	Result            string   `json:"result"`
}

type objectiveRules struct {
	Objectives      map[agents.Objective]objectiveRule `json:"objectives"`
	ImagePlacements []string                           `json:"image_placements"`
}

func loadObjectiveRules() (objectiveRules, error) {
	var r objectiveRules
	if err := json.Unmarshal(objectiveRulesJSON, &r); err != nil {
		return r, fmt.Errorf("reading data/objective_rules.json: %w", err)
	}
	for _, o := range agents.Objectives {
		if _, ok := r.Objectives[o]; !ok {
			return r, fmt.Errorf("data/objective_rules.json has no rule for %s", o)
		}
	}
	return r, nil
}
