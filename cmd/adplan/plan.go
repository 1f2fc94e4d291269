package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/planner"
)

func newPlanCommand(a *app) *cobra.Command {
	var asJSON, jsonl bool
	cmd := &cobra.Command{
		Use:   "plan [--json] [--now T] [--channel C] TEXT",
		Short: "Read a brief and print its media plan",
		Long: `Read a brief and print the media plan: the budget split into ad sets by market, format
and placement, each with a forecast (impressions, reach, frequency, CPM and the objective's own
result, as low/mid/high ranges) learned from past campaigns; the assumptions made for what the
brief leaves out; warnings; and the Spotify Ads API request bodies (with --json).

TEXT is the brief ("-" reads it from standard input). With --jsonl, standard input holds one
brief a line and each gives one JSON plan a line (a line that cannot be planned gives
{"line": N, "error": ...}).`,
		Example: `  adplan plan "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"
  adplan plan --json --channel direct "app installs from iPhone users in the US, $20k, Q1"
  adplan plan --jsonl < briefs.txt > plans.jsonl`,
		Args: func(_ *cobra.Command, args []string) error {
			if jsonl && len(args) > 0 {
				return usageError("plan --jsonl reads its briefs from standard input, not arguments")
			}
			if !jsonl && len(args) == 0 {
				return usageError("plan needs the brief: adplan plan TEXT, adplan plan - (standard input) or adplan plan --jsonl")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			channel := a.cfg.Planner.Channel
			planner, err := a.planner()
			if err != nil {
				return err
			}
			if jsonl {
				return a.planLines(cmd, planner, channel)
			}
			reading, err := a.readBrief(cmd.Context(), args)
			if err != nil {
				return err
			}
			plan, err := planner.Plan(cmd.Context(), reading.Brief, a.now, channel)
			if err != nil {
				return &exitError{code: exitFailure, err: fmt.Errorf("planning: %w", err)}
			}
			plan.Warnings = append(reading.Notes, plan.Warnings...)
			if asJSON {
				return writeJSON(a.stdout, plan)
			}
			writePlanText(a.stdout, plan)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as one JSON object (the contract in DESIGN.md)")
	cmd.Flags().BoolVar(&jsonl, "jsonl", false, "read one brief a line from standard input, print one JSON plan a line")
	return cmd
}

// planLines plans one brief per input line; a bad line is reported in place and the
// rest go on.
func (a *app) planLines(cmd *cobra.Command, planner *planner.Planner, channel string) error {
	in := bufio.NewScanner(a.stdin)
	in.Buffer(make([]byte, 64<<10), 1<<20)
	line, failed, planned := 0, 0, 0
	for in.Scan() {
		line++
		text := strings.TrimSpace(in.Text())
		if text == "" {
			continue
		}
		reading, err := a.coordinator.Read(cmd.Context(), agents.Brief{}, text, false, a.now)
		var plan agents.Plan
		if err == nil {
			plan, err = planner.Plan(cmd.Context(), reading.Brief, a.now, channel)
		}
		if err != nil {
			if cmd.Context().Err() != nil {
				return cmd.Context().Err()
			}
			failed++
			if werr := writeJSON(a.stdout, map[string]any{"line": line, "error": err.Error()}); werr != nil {
				return werr
			}
			continue
		}
		planned++
		plan.Warnings = append(reading.Notes, plan.Warnings...)
		if err := writeJSON(a.stdout, plan); err != nil {
			return err
		}
	}
	if err := in.Err(); err != nil {
		return &exitError{code: exitFailure, err: fmt.Errorf("reading standard input: %w", err)}
	}
	if planned == 0 && failed > 0 {
		return &exitError{code: exitFailure, err: fmt.Errorf("none of the %d briefs could be planned", failed)}
	}
	return nil
}

// writePlanText prints a plan a person reads at a glance.
func writePlanText(w io.Writer, p agents.Plan) {
	fmt.Fprintf(w, "Plan: %s, %s %s over %d days (%s → %s), %s channel\n",
		p.Objective, money.FormatAmount(p.Budget, p.Currency), p.Currency, p.Flight.Days, p.Flight.Start, p.Flight.End, p.Channel)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "ad set\tbudget\tshare\timpressions\treach\tfreq\tCPM\t%s\t\n", p.Totals.Result.Metric)
	for _, li := range p.LineItems {
		fmt.Fprintf(tw, "%s\t%s\t%.0f%%\t%s\t%s\t%.1f\t%s\t%s\t\n", li.ID, money.FormatAmount(li.Budget, p.Currency), li.Share*100,
			agents.CompactCount(li.Forecast.Impressions.Mid), agents.CompactCount(li.Forecast.Reach.Mid), li.Forecast.Frequency.Mid,
			money.FormatAmount(li.Forecast.CPM.Mid, p.Currency), rangeText(li.Forecast.Result.Low, li.Forecast.Result.Mid, li.Forecast.Result.High))
	}
	t := p.Totals
	fmt.Fprintf(tw, "total\t%s\t100%%\t%s\t%s\t%.1f\t%s\t%s\t\n", money.FormatAmount(t.Budget, p.Currency), agents.CompactCount(t.Impressions.Mid),
		agents.CompactCount(t.Reach.Mid), t.Frequency.Mid, money.FormatAmount(t.CPM.Mid, p.Currency), rangeText(t.Result.Low, t.Result.Mid, t.Result.High))
	tw.Flush()
	if e := p.Evidence; e.Summary != "" {
		// The summary follows this version of the plan: its markets, formats, audience,
		// season and frequency caps.
		fmt.Fprintf(w, "Evidence: %s History: %s past campaigns.\n", e.Summary, agents.FormatCount(float64(e.HistorySize)))
	} else {
		fmt.Fprintf(w, "Evidence: %d similar past campaigns (%s) out of %d.\n", e.SimilarCampaigns, strings.Join(e.MatchedOn, ", "), e.HistorySize)
		if len(e.Widened) > 0 {
			fmt.Fprintf(w, "  widened: %s\n", strings.Join(e.Widened, "; "))
		}
	}
	for _, as := range p.Assumptions {
		fmt.Fprintf(w, "Assumed %s = %s: %s.\n", as.Field, as.Value, as.Why)
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	writeCurveText(w, p)
}

func rangeText(low, mid, high float64) string {
	return fmt.Sprintf("%s (%s–%s)", agents.CompactCount(mid), agents.CompactCount(low), agents.CompactCount(high))
}
