package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
)

// PlanCampaignInput is plan_campaign's input.
type PlanCampaignInput struct {
	Brief string `json:"brief" jsonschema:"the campaign brief in plain language: objective, audience, markets, budget and flight, as a planner would write it, e.g. grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"`
}

// RevisePlanInput is revise_plan's input.
type RevisePlanInput struct {
	Thread  string `json:"thread" jsonschema:"the thread id plan_campaign returned"`
	Message string `json:"message" jsonschema:"the change in plain language, e.g. extend to 60 days, double the budget, add Austria, no video"`
}

// PlanRef names a thread and one of its versions.
type PlanRef struct {
	Thread  string `json:"thread" jsonschema:"the thread id plan_campaign returned"`
	Version int    `json:"version,omitempty" jsonschema:"the version to read, from 1; omitted or 0: the latest"`
}

// PlanVersion is get_plan's output: one version of a thread.
type PlanVersion struct {
	Thread string `json:"thread"`
	// Version is this version's number; Versions how many the thread has.
	Version  int    `json:"version"`
	Versions int    `json:"versions"`
	Latest   bool   `json:"latest"`
	Message  string `json:"message"`
	// Brief is the brief as it stood after the message; Changes what the message
	// changed in it.
	Brief   agents.Brief          `json:"brief"`
	Changes []conversation.Change `json:"changes"`
	// Plan is the version's plan (null when it could not be planned: PlanError says why).
	Plan      *agents.Plan `json:"plan"`
	PlanError string       `json:"plan_error,omitempty"`
	// Approved says who approved this version and when, when someone did.
	Approved *conversation.Approval `json:"approved,omitempty"`
	// Bookings lists the media buys buying agents asked for on this version.
	Bookings []string `json:"bookings"`
}

// Explanation is explain_plan's output.
type Explanation struct {
	Thread  string `json:"thread"`
	Version int    `json:"version"`
	// Text says it all in words, as a person would read it.
	Text string `json:"text"`
	// Evidence, Assumptions and Warnings are the same, one sentence an item.
	Evidence    []string `json:"evidence"`
	Assumptions []string `json:"assumptions"`
	Warnings    []string `json:"warnings"`
}

const exampleBrief = `"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"`

func (s *Server) addPlanningTools() {
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(false)}
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:  "plan_campaign",
		Title: "Plan a Spotify ad campaign from a brief",
		Description: `Turn a campaign brief written in plain language into a media plan for Spotify
advertising, and start a thread to revise it in. Use this first, whenever someone describes a
campaign they want to run (objective, audience, markets, budget, dates), e.g. ` + exampleBrief + `
or "app installs from iPhone users in the US, $20k, Q1".

Returns the thread id (pass it to revise_plan, get_plan and explain_plan), the brief as read,
and the plan: ad sets by market, format (audio, video, image) and placement, each with a
budget and a forecast from past campaigns (impressions, reach, frequency, CPM and the
objective's result as low/mid/high), totals, the assumptions made for what the brief left
out, warnings, and the Spotify Ads API request bodies. "unread" quotes words adplan did not
understand and "question" is what it would ask back; tell the user. Nothing is spent or
published.`,
		InputSchema:  schemaFor[PlanCampaignInput](),
		OutputSchema: schemaFor[session.Turn](),
		Annotations:  &mcp.ToolAnnotations{OpenWorldHint: new(false)},
	}, s.planCampaign)
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:  "revise_plan",
		Title: "Revise a plan in its thread",
		Description: `Change a plan made by plan_campaign with a follow-up in plain language, e.g.
"extend to 60 days", "double the budget", "add Austria", "no video", "only women 25-34". The
follow-up revises the brief as it stands (it is not a new brief: to plan a different campaign,
call plan_campaign). Returns the new version number, what changed in the brief ("changes")
and in the plan ("plan_changes"), and the new plan. A message that changes nothing makes no
version; one that cannot be read says why in "error".`,
		InputSchema:  schemaFor[RevisePlanInput](),
		OutputSchema: schemaFor[session.Turn](),
		Annotations:  &mcp.ToolAnnotations{OpenWorldHint: new(false)},
	}, s.revisePlan)
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:  "get_plan",
		Title: "Read a plan version",
		Description: `Read back a thread's plan: the latest version, or an earlier one by number (versions
count from 1; each revise_plan makes the next). Returns the message that made it, the brief,
what changed, the plan (or why there is none), whether a person approved it and the media
buys asked for on it. Use it to compare versions or pick a conversation up again.`,
		InputSchema:  schemaFor[PlanRef](),
		OutputSchema: schemaFor[PlanVersion](),
		Annotations:  readOnly,
	}, s.getPlan)
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:  "explain_plan",
		Title: "Explain what a plan rests on",
		Description: `Say in words why a plan is what it is: how many similar past campaigns its
forecasts come from and how they were matched (and widened where too few matched), the
season's effect on prices, the frequency caps, what was assumed for what the brief left out
and why, and the warnings. Use it when someone asks "why?", "how sure is this?" or "where do
these numbers come from?" about a plan from plan_campaign or revise_plan.`,
		InputSchema:  schemaFor[PlanRef](),
		OutputSchema: schemaFor[Explanation](),
		Annotations:  readOnly,
	}, s.explainPlan)
}

func (s *Server) planCampaign(ctx context.Context, req *mcp.CallToolRequest, in PlanCampaignInput) (*mcp.CallToolResult, session.Turn, error) {
	owner, err := s.owner(req)
	if err != nil {
		return nil, session.Turn{}, err
	}
	t, err := s.opts.Engine.Start(ctx, owner, in.Brief)
	if err != nil {
		if errors.Is(err, session.ErrUnreadable) && t.Error != "" {
			return nil, session.Turn{}, fmt.Errorf("could not read the brief: %s", t.Error)
		}
		return nil, session.Turn{}, s.internal(ctx, "plan_campaign", err)
	}
	return nil, t, nil
}

func (s *Server) revisePlan(ctx context.Context, req *mcp.CallToolRequest, in RevisePlanInput) (*mcp.CallToolResult, session.Turn, error) {
	owner, err := s.owner(req)
	if err != nil {
		return nil, session.Turn{}, err
	}
	t, err := s.opts.Engine.Say(ctx, owner, in.Thread, in.Message)
	if err != nil {
		return nil, session.Turn{}, s.threadError(ctx, "revise_plan", in.Thread, err)
	}
	if t.Error != "" {
		// The thread goes on unchanged; say why as an error the assistant sees, with
		// the thread as it stands.
		return &mcp.CallToolResult{IsError: true}, t, nil
	}
	return nil, t, nil
}

func (s *Server) getPlan(ctx context.Context, req *mcp.CallToolRequest, in PlanRef) (*mcp.CallToolResult, PlanVersion, error) {
	th, v, err := s.version(ctx, req, in, "get_plan")
	if err != nil {
		return nil, PlanVersion{}, err
	}
	out := PlanVersion{
		Thread: in.Thread, Version: v.N, Versions: len(th.Versions), Latest: v.N == len(th.Versions),
		Message: v.Message, Brief: v.Brief, Changes: nonNil(v.Changes), Plan: v.Plan, PlanError: v.PlanError,
		Approved: th.Approved(v.N), Bookings: []string{},
	}
	for _, b := range th.Bookings {
		if b.Version == v.N {
			out.Bookings = append(out.Bookings, b.ID)
		}
	}
	return nil, out, nil
}

func (s *Server) explainPlan(ctx context.Context, req *mcp.CallToolRequest, in PlanRef) (*mcp.CallToolResult, Explanation, error) {
	_, v, err := s.version(ctx, req, in, "explain_plan")
	if err != nil {
		return nil, Explanation{}, err
	}
	if v.Plan == nil {
		return nil, Explanation{}, fmt.Errorf("version %d has no plan to explain: %s", v.N, v.PlanError)
	}
	out := Explain(*v.Plan)
	out.Thread, out.Version = in.Thread, v.N
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: out.Text}}}, out, nil
}

// version loads the owner's thread and the version in asks for.
func (s *Server) version(ctx context.Context, req *mcp.CallToolRequest, in PlanRef, tool string) (*conversation.Thread, *conversation.Version, error) {
	owner, err := s.owner(req)
	if err != nil {
		return nil, nil, err
	}
	th, err := s.opts.Engine.Thread(ctx, owner, in.Thread)
	if err != nil {
		return nil, nil, s.threadError(ctx, tool, in.Thread, err)
	}
	n := in.Version
	if n == 0 {
		n = len(th.Versions)
	}
	if n < 1 || n > len(th.Versions) {
		return nil, nil, fmt.Errorf("thread %s has versions 1 to %d; there is no version %d", in.Thread, len(th.Versions), in.Version)
	}
	return th, &th.Versions[n-1], nil
}

// threadError says what went wrong with a thread in words the assistant can act on,
// and logs what the caller cannot fix.
func (s *Server) threadError(ctx context.Context, tool, thread string, err error) error {
	if errors.Is(err, session.ErrNotFound) {
		return fmt.Errorf("there is no thread %q for you (thread ids come from plan_campaign; threads are forgotten after a while of no messages)", thread)
	}
	return s.internal(ctx, tool, err)
}

// internal logs an error the caller cannot fix and gives them a plain one.
func (s *Server) internal(ctx context.Context, tool string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	s.opts.Logger.ErrorContext(ctx, "mcp tool failed", "tool", tool, "err", err)
	if msg := err.Error(); strings.HasPrefix(msg, "saving thread") || strings.HasPrefix(msg, "loading thread") {
		return errors.New("adplan could not reach its store; try again shortly")
	}
	return fmt.Errorf("adplan could not do that: %v", err)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
