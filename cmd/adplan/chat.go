package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/conversation"
)

// chatTurn is one line of `adplan chat --json` (DESIGN.md): for each message, which
// specialists ran, the brief as it stands and its plan (null when the brief cannot be
// planned yet; plan_error says why).
type chatTurn struct {
	Turn        int                   `json:"turn"`
	Ran         []agents.Slot         `json:"ran"`
	Brief       agents.Brief          `json:"brief"`
	Plan        *agents.Plan          `json:"plan"`
	PlanChanges []agents.PlanChange   `json:"plan_changes"`
	PlanError   string                `json:"plan_error,omitempty"`
	Version     int                   `json:"version"`
	Changes     []conversation.Change `json:"changes"`
	Notes       []string              `json:"notes"`
	Warnings    []string              `json:"warnings"`
	Error       string                `json:"error,omitempty"`
	// Unread quotes the words of this message nobody read; Question is what adplan
	// asks back about a field it guessed (each field once a thread). Added since
	// DESIGN.md.
	Unread   []string         `json:"unread"`
	Question *agents.Question `json:"question,omitempty"`
}

// chatPlans keeps the thread's latest plan, so each revision can say how the plan moved.
type chatPlans struct {
	planner *planner.Planner
	channel string
	latest  *agents.Plan
}

// update plans the brief as it stands and returns the plan, how it moved from the
// previous one, and why it could not be planned when it could not.
func (cp *chatPlans) update(ctx context.Context, thread *conversation.Thread, now time.Time) (*agents.Plan, []agents.PlanChange, string) {
	if thread.Latest() == nil {
		return nil, []agents.PlanChange{}, ""
	}
	plan, err := cp.planner.Revise(ctx, thread.Current(), cp.latest, now, cp.channel)
	if err != nil {
		cp.latest = nil
		return nil, []agents.PlanChange{}, err.Error()
	}
	changes := []agents.PlanChange{}
	if cp.latest != nil {
		changes = nonNil(agents.PlanChangeDetails(*cp.latest, plan))
	}
	cp.latest = &plan
	return &plan, changes, ""
}

func newChatCommand(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "chat [--json] [--now T]",
		Short: "Talk through a brief: a first message, then follow-ups that revise it",
		Long: `Read a thread from standard input, one message a line: the first is the brief, every
later line a follow-up that revises it ("extend to 60 days", "double the budget", "add
Austria", "no video"). After each message adplan shows the brief as it stands and what
changed; only the specialists the message needs are run.

With --json, each message gives one JSON line: {"turn", "ran", "brief", "plan", "changes", ...}.
Without it, type at the prompt; "/new" starts a new thread and "/quit" (or Ctrl-D) ends.
A message that cannot be read is reported and changes nothing; the thread goes on.`,
		Example: `  adplan chat
  printf '%s\n' "awareness in Germany, 18-24, €5,000 over 30 days" "extend to 60 days" | adplan chat --json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("chat reads its messages from standard input, not arguments (got %q)", strings.Join(args, " "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.chat(cmd, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON line per message (the contract in DESIGN.md)")
	return cmd
}

func (a *app) chat(cmd *cobra.Command, asJSON bool) error {
	planner, err := a.planner()
	if err != nil {
		return err
	}
	plans := &chatPlans{planner: planner, channel: a.cfg.Planner.Channel}
	interactive := !asJSON && isTerminal(a.stdin)
	in := bufio.NewScanner(a.stdin)
	// A line may be longer than the limit on one message, so that it can be refused
	// with a clear reason instead of failing the whole input.
	in.Buffer(make([]byte, 64<<10), 1<<20)
	thread := conversation.New("cli")
	turn := 0
	failed := 0
	prompt := func() {
		if interactive {
			if thread.Latest() == nil {
				fmt.Fprint(a.stdout, "brief> ")
			} else {
				fmt.Fprint(a.stdout, "> ")
			}
		}
	}
	if interactive {
		fmt.Fprintln(a.stdout, "adplan chat — type a campaign brief, then follow-ups that revise it. /new starts over, /quit ends.")
	}
	prompt()
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		switch {
		case line == "":
			prompt()
			continue
		case !asJSON && (line == "/quit" || line == "/exit"):
			return nil
		case !asJSON && line == "/new":
			thread = conversation.New("cli")
			plans.latest = nil
			fmt.Fprintln(a.stdout, "Started a new thread.")
			prompt()
			continue
		}
		turn++
		v, err := thread.Apply(cmd.Context(), a.coordinator, line, a.now)
		if err != nil && !errors.Is(err, conversation.ErrNoChange) {
			if cmd.Context().Err() != nil {
				return cmd.Context().Err()
			}
			failed++
		}
		var plan *agents.Plan
		planChanges, planErr := []agents.PlanChange{}, ""
		if err == nil {
			plan, planChanges, planErr = plans.update(cmd.Context(), thread, a.now)
		} else {
			plan = plans.latest
		}
		if asJSON {
			out := turnJSON(turn, thread, v, err)
			out.Plan, out.PlanChanges, out.PlanError = plan, planChanges, planErr
			if werr := writeJSON(a.stdout, out); werr != nil {
				return werr
			}
		} else {
			writeTurnText(a.stdout, thread, v, err)
			if err == nil {
				writeTurnPlan(a.stdout, plan, planChanges, planErr)
			}
		}
		prompt()
	}
	if err := in.Err(); err != nil {
		return &exitError{code: exitFailure, err: fmt.Errorf("reading standard input: %w", err)}
	}
	if turn > 0 && failed == turn {
		return &exitError{code: exitFailure, err: errors.New("no message could be read")}
	}
	return nil
}

func turnJSON(turn int, thread *conversation.Thread, v conversation.Version, err error) chatTurn {
	brief := thread.Current()
	out := chatTurn{
		Turn:     turn,
		Ran:      nonNil(v.Ran),
		Brief:    brief,
		Version:  len(thread.Versions),
		Changes:  nonNil(v.Changes),
		Notes:    nonNil(v.Notes),
		Warnings: nonNil(brief.Problems()),
		Unread:   nonNil(v.Unread),
		Question: v.Question,
	}
	if err != nil && !errors.Is(err, conversation.ErrNoChange) {
		out.Error = err.Error()
	}
	if errors.Is(err, conversation.ErrNoChange) {
		out.Notes = append(out.Notes, "Nothing changed: the brief already says that.")
	}
	return out
}

func writeTurnText(w io.Writer, thread *conversation.Thread, v conversation.Version, err error) {
	switch {
	case errors.Is(err, conversation.ErrNoChange):
		fmt.Fprintf(w, "Nothing changed: the brief already says that (read by %s).\n", agents.SlotList(v.Ran))
		return
	case err != nil:
		fmt.Fprintf(w, "Could not use that: %v\n", err)
		return
	}
	fmt.Fprintf(w, "Brief v%d (read by %s)\n", v.N, agents.SlotList(v.Ran))
	writeBriefText(w, thread.Current())
	if v.N > 1 {
		for _, c := range v.Changes {
			fmt.Fprintf(w, "  changed: %s\n", c)
		}
	}
	writeRemarks(w, v.Notes, thread.Current().Problems())
	writeUnderstanding(w, v.Unread, v.Question)
}

func writeTurnPlan(w io.Writer, plan *agents.Plan, changes []agents.PlanChange, planErr string) {
	if planErr != "" {
		fmt.Fprintf(w, "No plan yet: %s\n", planErr)
		return
	}
	if plan == nil {
		return
	}
	writePlanText(w, *plan)
	if len(changes) > 0 {
		fmt.Fprintln(w, "Plan changes:")
		for _, c := range changes {
			fmt.Fprintf(w, "  %s\n", c.Summary)
			if c.Why != "" && c.What != "ad set" && !strings.HasPrefix(c.Why, "the brief's") {
				fmt.Fprintf(w, "    (%s)\n", c.Why)
			}
		}
	}
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
