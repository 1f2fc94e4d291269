package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
)

// chatTurn is one line of `adplan chat --json` (DESIGN.md): for each message, which
// specialists ran and the brief as it stands. Plan is null until the planner exists.
type chatTurn struct {
	Turn     int                   `json:"turn"`
	Ran      []agents.Slot         `json:"ran"`
	Brief    agents.Brief          `json:"brief"`
	Plan     any                   `json:"plan"`
	Version  int                   `json:"version"`
	Changes  []conversation.Change `json:"changes"`
	Notes    []string              `json:"notes"`
	Warnings []string              `json:"warnings"`
	Error    string                `json:"error,omitempty"`
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
		if asJSON {
			if werr := writeJSON(a.stdout, turnJSON(turn, thread, v, err)); werr != nil {
				return werr
			}
		} else {
			writeTurnText(a.stdout, thread, v, err)
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
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
