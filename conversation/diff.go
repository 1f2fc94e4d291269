package conversation

import (
	"fmt"

	"github.com/adplan/adplan/agents"
)

// Change is one field that differs between two versions of a brief, in words.
// From is "" for a field newly stated and To is "" for one no longer stated.
type Change struct {
	Field string `json:"field"`
	Label string `json:"label"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Diff lists the fields that differ from prev to next, in the brief's field order.
func Diff(prev, next agents.Brief) []Change {
	before := map[string]agents.Field{}
	for _, f := range prev.Fields() {
		before[f.Name] = f
	}
	var changes []Change
	seen := map[string]bool{}
	for _, f := range next.Fields() {
		seen[f.Name] = true
		if old, ok := before[f.Name]; !ok || old.Value != f.Value {
			changes = append(changes, Change{Field: f.Name, Label: f.Label, From: old.Value, To: f.Value})
		}
	}
	for _, f := range prev.Fields() {
		if !seen[f.Name] {
			changes = append(changes, Change{Field: f.Name, Label: f.Label, From: f.Value})
		}
	}
	return changes
}

// String says the change in words: "Flight length: 30 days → 60 days".
func (c Change) String() string {
	switch {
	case c.From == "":
		return fmt.Sprintf("%s: set to %s", c.Label, c.To)
	case c.To == "":
		return fmt.Sprintf("%s: removed (was %s)", c.Label, c.From)
	default:
		return fmt.Sprintf("%s: %s → %s", c.Label, c.From, c.To)
	}
}
