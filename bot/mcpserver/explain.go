package mcpserver

import (
	"fmt"
	"strings"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// Explain says in words what plan rests on: its evidence (how many past campaigns,
// matched on what, widened where, the season, the frequency caps, the method), what
// was assumed and why, and its warnings. Every sentence comes from the plan's own
// fields, so the explanation never says more than the plan does.
func Explain(p agents.Plan) Explanation {
	e := p.Evidence
	out := Explanation{Evidence: []string{}, Assumptions: []string{}, Warnings: nonNil(p.Warnings)}
	if e.Summary != "" {
		out.Evidence = append(out.Evidence, e.Summary)
	} else {
		out.Evidence = append(out.Evidence, fmt.Sprintf("%d similar past campaigns (%s) out of %d back the forecasts.",
			e.SimilarCampaigns, strings.Join(e.MatchedOn, ", "), e.HistorySize))
		for _, w := range e.Widened {
			out.Evidence = append(out.Evidence, "Widened: "+w+".")
		}
		for _, sn := range e.Season {
			if sn.Text != "" {
				out.Evidence = append(out.Evidence, sn.Text+".")
			}
		}
	}
	if e.HistorySize > 0 {
		out.Evidence = append(out.Evidence, fmt.Sprintf("The planner learned from %s past campaigns.", agents.FormatCount(float64(e.HistorySize))))
	}
	for _, li := range e.LineItems {
		s := fmt.Sprintf("%s: %d similar campaigns", li.ID, li.Similar)
		if len(li.Widened) > 0 {
			s += " (widened: " + strings.Join(li.Widened, ", ") + ")"
		}
		out.Evidence = append(out.Evidence, s+".")
	}
	if e.Method != "" {
		out.Evidence = append(out.Evidence, e.Method)
	}
	for _, a := range p.Assumptions {
		out.Assumptions = append(out.Assumptions, fmt.Sprintf("%s was not in the brief, so it is %s: %s.", a.Field, a.Value, a.Why))
	}

	var b strings.Builder
	fmt.Fprintf(&b, "The plan: %s, %s %s over %d days (%s to %s), in %d ad sets.\n",
		p.Objective, money.FormatAmount(p.Budget, p.Currency), p.Currency, p.Flight.Days, p.Flight.Start, p.Flight.End, len(p.LineItems))
	t := p.Totals
	fmt.Fprintf(&b, "Forecast: %s impressions (%s–%s), reach %s (%s–%s), CPM %s %s (%s–%s).\n",
		agents.CompactCount(t.Impressions.Mid), agents.CompactCount(t.Impressions.Low), agents.CompactCount(t.Impressions.High),
		agents.CompactCount(t.Reach.Mid), agents.CompactCount(t.Reach.Low), agents.CompactCount(t.Reach.High),
		money.FormatAmount(t.CPM.Mid, p.Currency), p.Currency, money.FormatAmount(t.CPM.Low, p.Currency), money.FormatAmount(t.CPM.High, p.Currency))
	b.WriteString("\nWhat it rests on:\n")
	for _, s := range out.Evidence {
		b.WriteString("- " + s + "\n")
	}
	if len(out.Assumptions) > 0 {
		b.WriteString("\nAssumed:\n")
		for _, s := range out.Assumptions {
			b.WriteString("- " + s + "\n")
		}
	} else {
		b.WriteString("\nNothing was assumed: the brief stated every field.\n")
	}
	if len(out.Warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, s := range out.Warnings {
			b.WriteString("- " + s + "\n")
		}
	}
	if p.Curve != nil && p.Curve.Summary != "" {
		b.WriteString("\nOther budgets: " + p.Curve.Summary + "\n")
	}
	if p.Note != "" {
		b.WriteString("\n" + p.Note + "\n")
	}
	out.Text = b.String()
	return out
}
