package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adplan/adplan/agents"
)

// parseOutput is the `adplan parse --json` contract (DESIGN.md): the four slots,
// plus what the specialists noted and what is wrong with the brief.
//
// Added since DESIGN.md: language (ISO 639-1 code, "und" when the script is not one
// adplan reads, absent when too short to tell), sources (the words each field was
// read from), unread (the words nobody read; both located in characters of the text
// as sent) and question (what adplan would ask back about a guessed field).
type parseOutput struct {
	agents.Brief
	Ran      []agents.Slot    `json:"ran"`
	Notes    []string         `json:"notes"`
	Warnings []string         `json:"warnings"`
	Language string           `json:"language,omitempty"`
	Sources  []agents.Passage `json:"sources"`
	Unread   []agents.Passage `json:"unread"`
	Question *agents.Question `json:"question,omitempty"`
}

func newParseCommand(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "parse [--json] [--now T] TEXT",
		Short: "Read one brief and print what it says",
		Long: `Read one brief and print what it states: objective and format limits, audience, budget
and flight. Nothing is invented: what the brief does not say is left empty (null in JSON).
TEXT is the brief (several arguments are joined with spaces); "-" reads it from standard input.`,
		Example: `  adplan parse "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"
  adplan parse --json --now 2026-11-22T10:00:00Z "podcast listeners in the Nordics, 10k, Q1"
  echo "audio only, \$200 a day, starting next Monday" | adplan parse -`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("parse needs the brief: adplan parse TEXT, or adplan parse - to read it from standard input")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			reading, err := a.readBrief(cmd.Context(), args)
			if err != nil {
				return err
			}
			out := parseOutput{
				Brief:    reading.Brief,
				Ran:      reading.Ran,
				Notes:    nonNil(reading.Notes),
				Warnings: nonNil(reading.Brief.Problems()),
				Language: reading.Language,
				Sources:  reading.SourcePassages(),
				Unread:   reading.UnreadPassages(),
				Question: reading.Question,
			}
			if asJSON {
				return writeJSON(a.stdout, out)
			}
			writeBriefText(a.stdout, reading.Brief)
			writeRemarks(a.stdout, out.Notes, out.Warnings)
			writeUnderstanding(a.stdout, reading.UnreadText(), reading.Question)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object (the contract in DESIGN.md)")
	return cmd
}

// readBrief reads the brief the arguments give (or standard input, for "-") as a
// first message.
func (a *app) readBrief(ctx context.Context, args []string) (agents.Reading, error) {
	text, err := briefText(args, a.stdin)
	if err != nil {
		return agents.Reading{}, err
	}
	reading, err := a.coordinator.Read(ctx, agents.Brief{}, text, false, a.now)
	if err != nil {
		return agents.Reading{}, inputError(err)
	}
	return reading, nil
}

// briefText joins the arguments into the brief, reading standard input for "-".
func briefText(args []string, stdin io.Reader) (string, error) {
	if len(args) == 1 && args[0] == "-" {
		// Read one byte past the largest message we accept, so an over-long input is
		// reported as such instead of being cut silently.
		b, err := io.ReadAll(io.LimitReader(stdin, 1<<20+1))
		if err != nil {
			return "", fmt.Errorf("reading standard input: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return strings.Join(args, " "), nil
}

// inputError marks the errors a user fixes by changing the text.
func inputError(err error) error {
	for _, e := range []error{agents.ErrEmpty, agents.ErrTooLong, agents.ErrNotText, agents.ErrNothingRead} {
		if errors.Is(err, e) {
			return &exitError{code: exitFailure, err: fmt.Errorf("cannot read this brief: %w", err)}
		}
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// writeBriefText prints the brief as an aligned two-column list.
func writeBriefText(w io.Writer, b agents.Brief) {
	fields := b.Fields()
	if len(fields) == 0 {
		fmt.Fprintln(w, "(nothing stated yet)")
		return
	}
	for _, f := range fields {
		fmt.Fprintf(w, "  %-14s %s\n", f.Label, f.Value)
	}
}

func writeRemarks(w io.Writer, notes, warnings []string) {
	for _, n := range notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	for _, warn := range warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
}

// writeUnderstanding says which words were not understood and asks what was guessed.
func writeUnderstanding(w io.Writer, unread []string, q *agents.Question) {
	if s := agents.NotUnderstood(unread); s != "" {
		fmt.Fprintf(w, "  %s\n", s)
	}
	if q != nil {
		fmt.Fprintf(w, "  question: %s\n", q.Text)
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
