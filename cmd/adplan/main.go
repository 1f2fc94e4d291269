// Command adplan reads campaign briefs in plain language and revises them in
// conversation. It is one surface of the engine in package agents; the Slack bot is
// another.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/history"
	"github.com/adplan/adplan/agents/market"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/config"
)

// Exit codes: 1 when the input could not be read or the work failed, 2 for a usage or
// configuration mistake.
const (
	exitFailure = 1
	exitUsage   = 2
)

// exitError carries the exit code a failure should end the program with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := newRootCommand(stdin, stdout, stderr)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "adplan: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if strings.HasPrefix(err.Error(), "unknown command") {
		return exitUsage
	}
	return exitFailure
}

// app is what every sub-command shares once flags and settings are read.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cfg            config.Config
	coordinator    *agents.Coordinator
	now            time.Time
	fixedNow       bool // --now was given

	llm llmParts

	plannerOnce sync.Once
	plan        *planner.Planner
	planErr     error
}

// planner builds the planner on first use: it loads the history and fits the
// forecasts, which only plan, chat and bench need.
func (a *app) planner() (*planner.Planner, error) {
	a.plannerOnce.Do(func() {
		var campaigns []history.Campaign
		if path := a.cfg.Planner.HistoryPath; path != "" {
			facts, err := market.Load()
			if err != nil {
				a.planErr = fmt.Errorf("loading market facts: %w", err)
				return
			}
			campaigns, err = history.LoadFile(path, facts)
			if err != nil {
				a.planErr = &exitError{code: exitUsage, err: fmt.Errorf("config: planner.history_path: %w", err)}
				return
			}
		}
		a.plan, a.planErr = planner.New(planner.Options{
			Notes:           a.llm.Notes,
			History:         campaigns,
			DefaultMarket:   a.cfg.Planner.DefaultMarket,
			DefaultCurrency: a.cfg.DefaultCurrency,
		})
	})
	return a.plan, a.planErr
}

func newRootCommand(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	var nowFlag string
	root := &cobra.Command{
		Use:   "adplan",
		Short: "Plan advertising campaigns from plain-language briefs",
		Long: `adplan reads a campaign brief written in plain language ("grow brand awareness among
18-24 year olds in Germany with €5,000 over 30 days") into a structured brief — objective,
audience, budget, flight — and revises it from follow-ups ("extend to 60 days", "no video",
"add Austria"), running only the specialists a message needs.

Settings come from adplan.yaml, ADPLAN_* environment variables and flags, in rising
order of precedence. Each command takes flags only for the settings it uses (adplan
COMMAND --help lists them); the file and the environment can set any setting. parse,
plan, chat and bench read relative dates ("tomorrow", "next month") against --now, the
current time unless given. It works with no network and no language model.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(cmd.Flags())
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			a.cfg = cfg
			a.now, err = parseNow(nowFlag, cfg.Location)
			a.fixedNow = nowFlag != ""
			if err != nil {
				return err
			}
			a.llm, err = llmFor(cfg, cfg.Logger(stderr))
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			a.coordinator, err = agents.NewCoordinator(agents.CoordinatorOptions{
				Specialists:       a.llm.Specialists,
				Router:            a.llm.Router,
				SpecialistTimeout: specialistTimeoutFor(cfg),
				DefaultCurrency:   cfg.DefaultCurrency,
				MaxMessageBytes:   cfg.Agents.MaxMessageBytes,
				Logger:            cfg.Logger(stderr),
			})
			if err != nil {
				return fmt.Errorf("starting the engine: %w", err)
			}
			return nil
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})
	// The settings every command uses are flags of them all; the others are flags only
	// of the commands that use them. Every setting can still come from adplan.yaml or
	// the environment, whichever command runs: config.Load reads them all.
	config.RegisterFileFlag(root.PersistentFlags())
	config.RegisterGroupFlags(root.PersistentFlags(), config.Common)
	root.AddCommand(
		withSettings(newParseCommand(a), &nowFlag, config.Clock),
		withSettings(newChatCommand(a), &nowFlag, config.Clock, config.Planning),
		withSettings(newPlanCommand(a), &nowFlag, config.Clock, config.Planning),
		withSettings(newBenchCommand(a), &nowFlag, config.Clock, config.Planning),
		withSettings(newServeCommand(a), &nowFlag, config.Planning, config.Serving),
		withSettings(newMCPCommand(a), &nowFlag, config.Clock, config.Planning),
		newReadyCommand(a),
		withSettings(newForgetCommand(a), &nowFlag, config.Serving),
	)
	return root
}

// withSettings adds to cmd the flags of the settings groups it uses beyond the
// common ones, and --now with the clock's.
func withSettings(cmd *cobra.Command, nowFlag *string, groups ...config.Group) *cobra.Command {
	config.RegisterGroupFlags(cmd.Flags(), groups...)
	if slices.Contains(groups, config.Clock) {
		cmd.Flags().StringVar(nowFlag, "now", "", "reference time for relative dates, RFC 3339 or YYYY-MM-DD (default: the current time)")
	} else {
		// The bot answers at the time each message arrives, so serve has no use for
		// --now; it still takes it, unlisted, so that command lines which pass it to
		// every command keep working.
		cmd.Flags().StringVar(nowFlag, "now", "", "unused")
		_ = cmd.Flags().MarkHidden("now")
	}
	return cmd
}

// parseNow reads --now: RFC 3339, or a day (midnight in the configured time zone).
func parseNow(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Now().In(loc), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, usageError("--now %q is not a time: use RFC 3339 (2026-11-22T10:00:00Z) or a day (2026-11-22)", s)
}
