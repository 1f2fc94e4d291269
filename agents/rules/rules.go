// Package rules assembles the rule-based engine: the four specialists that read a
// brief with no network and no model. It is the embedded default, and the fallback
// every model-backed specialist keeps.
package rules

import (
	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/audience"
	"github.com/adplan/adplan/agents/budget"
	"github.com/adplan/adplan/agents/goal"
	"github.com/adplan/adplan/agents/schedule"
)

// Specialists returns the four rule-based specialists, one per slot, in slot order.
func Specialists() []agents.Specialist {
	return []agents.Specialist{goal.New(), audience.New(), budget.New(), schedule.New()}
}
