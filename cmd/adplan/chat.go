package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation/session"
	"github.com/adplan/adplan/store"
)

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
	ctx := cmd.Context()
	// The same service the HTTP API runs, over a store of its own for this session.
	svc := &session.Service{
		Reader: a.coordinator, Planner: planner, Store: store.NewMemory(),
		Now: func() time.Time { return a.now }, Channel: a.cfg.Planner.Channel,
	}
	interactive := !asJSON && isTerminal(a.stdin)
	in := bufio.NewScanner(a.stdin)
	// A line may be longer than the limit on one message, so that it can be refused
	// with a clear reason instead of failing the whole input.
	in.Buffer(make([]byte, 64<<10), 1<<20)
	thread, version := "", 0 // the thread's id once its brief is read, and its latest version
	turn := 0
	failed := 0
	prompt := func() {
		if interactive {
			if thread == "" {
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
			thread, version = "", 0
			fmt.Fprintln(a.stdout, "Started a new thread.")
			prompt()
			continue
		}
		turn++
		var t session.Turn
		if thread == "" {
			t, err = svc.Start(ctx, chatOwner, line)
			if err != nil && !errors.Is(err, session.ErrUnreadable) {
				return err
			}
			thread = t.Thread
		} else {
			t, err = svc.Say(ctx, chatOwner, thread, line)
			if err != nil {
				return err
			}
		}
		if t.Error != "" {
			failed++
		}
		unchanged := t.Error == "" && t.Version == version
		version = t.Version
		if asJSON {
			t.Turn, t.Thread = turn, ""
			if werr := writeJSON(a.stdout, t); werr != nil {
				return werr
			}
		} else {
			writeTurnText(a.stdout, t, unchanged)
			if t.Error == "" && !unchanged {
				writeTurnPlan(a.stdout, t.Plan, t.PlanChanges, t.PlanError)
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

// chatOwner owns the threads of a chat session.
const chatOwner = "cli"

func writeTurnText(w io.Writer, t session.Turn, unchanged bool) {
	switch {
	case unchanged:
		fmt.Fprintf(w, "Nothing changed: the brief already says that (read by %s).\n", agents.SlotList(t.Ran))
		return
	case t.Error != "":
		fmt.Fprintf(w, "Could not use that: %s\n", t.Error)
		return
	}
	fmt.Fprintf(w, "Brief v%d (read by %s)\n", t.Version, agents.SlotList(t.Ran))
	writeBriefText(w, t.Brief)
	if t.Version > 1 {
		for _, c := range t.Changes {
			fmt.Fprintf(w, "  changed: %s\n", c)
		}
	}
	writeRemarks(w, t.Notes, t.Warnings)
	writeUnderstanding(w, t.Unread, t.Question)
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
