// Package mcpserver is adplan's MCP surface: planning tools for AI assistants
// (plan_campaign, revise_plan, get_plan, explain_plan) and the AdCP seller tools
// buying agents call (get_adcp_capabilities, get_products, list_creative_formats,
// create_media_buy, get_media_buys), on one MCP server built with the official SDK.
// It is served over stdio by `adplan mcp` and over Streamable HTTP at /mcp by
// `adplan serve`. Every tool goes through the same session.Service as the HTTP API
// and the CLI's chat, so plans never differ between surfaces.
package mcpserver

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
)

// Engine is what the tools need from the engine; *session.Service is one.
type Engine interface {
	Plan(ctx context.Context, text string) (agents.Plan, error)
	Start(ctx context.Context, owner, text string) (session.Turn, error)
	Say(ctx context.Context, owner, thread, text string) (session.Turn, error)
	Thread(ctx context.Context, owner, thread string) (*conversation.Thread, error)
	Update(ctx context.Context, owner, thread string, fn func(*conversation.Thread) error) (*conversation.Thread, error)
}

var _ Engine = (*session.Service)(nil)

// LocalOwner owns the threads made over stdio, where there is no token.
const LocalOwner = "local"

// Options configure a Server.
type Options struct {
	Engine Engine
	// Owner owns every thread when a call carries no token's owner: LocalOwner over
	// stdio; "" over HTTP, where a call without one is refused.
	Owner string
	// AgentURL is this agent's address, which names its creative formats in AdCP
	// (default DefaultAgentURL).
	AgentURL string
	// Version is the build's version, reported to clients.
	Version string
	Logger  *slog.Logger
	// Now is the clock bookings are stamped with (default time.Now).
	Now func() time.Time
	// ReplayTTL is how long a create_media_buy idempotency key is honoured: as long
	// as the thread it booked is kept (store.thread_ttl). Under an hour, AdCP's
	// minimum, adplan declares no replay protection (it still returns the same buy
	// while the thread lives).
	ReplayTTL time.Duration
}

// DefaultAgentURL names the creative formats when the agent has no address of its
// own (over stdio). The .invalid domain cannot resolve, so no one mistakes it for a
// place to fetch anything from.
const DefaultAgentURL = "https://adplan.invalid/mcp"

// Server is adplan's MCP server.
type Server struct {
	opts Options
	mcp  *mcp.Server

	// buys indexes the media buys made through this server by owner, so that
	// get_media_buys without ids can list them (the store has no index by owner).
	mu   sync.Mutex
	buys map[string][]string
}

// New builds the server and registers every tool.
func New(opts Options) *Server {
	if opts.AgentURL == "" {
		opts.AgentURL = DefaultAgentURL
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	s := &Server{opts: opts, buys: map[string][]string{}}
	s.mcp = mcp.NewServer(&mcp.Implementation{Name: "adplan", Title: "adplan media planner", Version: opts.Version}, &mcp.ServerOptions{
		Instructions: instructions,
		Logger:       opts.Logger,
		Capabilities: &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{}},
	})
	s.addPlanningTools()
	s.addAdCPTools()
	return s
}

const instructions = `adplan turns a plain-language campaign brief for Spotify advertising into a media plan:
ad sets by market, format (audio, video, image) and placement, each with a budget and a
forecast learned from past campaigns (impressions, reach, frequency, CPM, the objective's
result as low/mid/high ranges), the assumptions made for what the brief leaves out, and
warnings. Start with plan_campaign; revise with revise_plan in the thread it returns;
get_plan reads any version back and explain_plan says what a plan rests on. Buying agents
speaking AdCP use get_adcp_capabilities, get_products, list_creative_formats,
create_media_buy and get_media_buys. Nothing here spends money or publishes a campaign: a
media buy waits for a person's approval.`

// MCP is the SDK server, for Run (stdio) or an HTTP handler.
func (s *Server) MCP() *mcp.Server { return s.mcp }

// Run serves one client over t (mcp.StdioTransport for adplan mcp) until it leaves
// or ctx ends.
func (s *Server) Run(ctx context.Context, t mcp.Transport) error {
	err := s.mcp.Run(ctx, t)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// HTTPHandler serves Streamable HTTP. owner names who a request comes from (the
// bearer token's name, as the HTTP API's authentication put it in the request
// context); a request owner does not name gets 401. A session belongs to the owner
// that opened it: the SDK refuses it to any other.
func (s *Server) HTTPHandler(owner func(*http.Request) (string, bool)) http.Handler {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.mcp }, &mcp.StreamableHTTPOptions{
		Logger: s.opts.Logger,
		// A brief is a few kilobytes; an AdCP request a few more.
		MaxRequestBodyBytes: 1 << 20,
	})
	verify := func(_ context.Context, _ string, r *http.Request) (*auth.TokenInfo, error) {
		who, ok := owner(r)
		if !ok || who == "" {
			return nil, auth.ErrInvalidToken
		}
		return &auth.TokenInfo{UserID: who}, nil
	}
	return auth.RequireBearerToken(verify, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(h)
}

// errNoOwner is a call over HTTP that arrived without a token's owner.
var errNoOwner = errors.New("this call carries no token: send one as Authorization: Bearer")

// owner is whom a tool call acts for: the token's name over HTTP, Options.Owner over
// stdio.
func (s *Server) owner(req *mcp.CallToolRequest) (string, error) {
	if req != nil && req.Extra != nil && req.Extra.TokenInfo != nil && req.Extra.TokenInfo.UserID != "" {
		return req.Extra.TokenInfo.UserID, nil
	}
	if s.opts.Owner == "" {
		return "", errNoOwner
	}
	return s.opts.Owner, nil
}

// schemaFor infers the JSON schema of T as the tools' input and output schemas: the
// brief's dates are strings ("2026-12-06") and a flight's days may be null, as their
// JSON says.
func schemaFor[T any]() *jsonschema.Schema {
	s, err := jsonschema.For[T](&jsonschema.ForOptions{TypeSchemas: map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[agents.Date](): {Type: "string", Format: "date", Description: "a day, YYYY-MM-DD"},
		reflect.TypeFor[agents.Schedule](): {
			Type: "object",
			Properties: map[string]*jsonschema.Schema{
				"start": {Types: []string{"string", "null"}, Description: "first day, YYYY-MM-DD"},
				"end":   {Types: []string{"string", "null"}, Description: "last day, inclusive"},
				"days":  {Types: []string{"integer", "null"}, Description: "days in the flight, end - start + 1"},
			},
		},
		reflect.TypeFor[time.Time](): {Type: "string", Format: "date-time"},
		// A nil map is null in JSON (the goal's max_share when no format is capped).
		reflect.TypeFor[map[string]float64](): {Types: []string{"null", "object"}, AdditionalProperties: &jsonschema.Schema{Type: "number"}},
	}})
	if err != nil {
		// The types are this package's own: a failure is a programming error caught
		// by every test.
		panic("mcpserver: inferring a schema: " + err.Error())
	}
	return s
}
