package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// writeCurveText prints the plan's response curve: what other budgets would buy, as
// a short table, and where returns diminish.
func writeCurveText(w io.Writer, p agents.Plan) {
	c := p.Curve
	if c == nil || len(c.Points) == 0 {
		return
	}
	fmt.Fprintf(w, "Budget curve (%s, mid and low–high; same rules as the plan):\n", c.Metric)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	withReach := c.Metric != "reach"
	if withReach {
		fmt.Fprintf(tw, "\tbudget\tad sets\timpressions\treach\t%s\t\n", c.Metric)
	} else {
		fmt.Fprintf(tw, "\tbudget\tad sets\timpressions\treach\t\n")
	}
	for _, pt := range c.Points {
		row := fmt.Sprintf("%g×\t%s\t%d\t%s\t%s\t", pt.Multiple, money.FormatAmount(pt.Budget, p.Currency), len(pt.LineItems),
			agents.CompactCount(pt.Impressions.Mid), rangeText(pt.Reach.Low, pt.Reach.Mid, pt.Reach.High))
		if withReach {
			row += rangeText(pt.Result.Low, pt.Result.Mid, pt.Result.High) + "\t"
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
	if c.Summary != "" {
		fmt.Fprintln(w, c.Summary)
	}
}
