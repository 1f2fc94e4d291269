package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/bot/api"
	"github.com/adplan/adplan/bot/mcpserver"
	"github.com/adplan/adplan/conversation/session"
	"github.com/adplan/adplan/store"
)

func newMCPCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "mcp",
		Short: "Serve AI assistants over MCP (stdio): plan, revise and explain campaigns; AdCP for buying agents",
		Long: `Serve the Model Context Protocol on standard input and output, for desktop and coding
assistants (Claude Desktop, VS Code, Cursor…) that start adplan themselves: add
{"command": "adplan", "args": ["mcp"]} to the assistant's mcpServers.

Tools: plan_campaign (a brief → a plan, in a new thread), revise_plan (a follow-up in the
thread → the next version), get_plan, explain_plan (the evidence and assumptions in
words), and the AdCP seller tools get_adcp_capabilities, get_products,
list_creative_formats, create_media_buy (recorded as a plan version awaiting a person's
approval: nothing is spent or published) and get_media_buys. Threads belong to the owner
"local" and are kept in memory, or in Redis when store.redis_url is set. Logs go to
standard error; standard output carries only the protocol.`,
		Example: `  adplan mcp
  ADPLAN_REDIS_URL=redis://127.0.0.1:6379/0 adplan mcp`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("mcp takes no arguments: it speaks MCP on standard input and output")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := a.cfg.Logger(a.stderr)
			p, err := a.planner()
			if err != nil {
				return err
			}
			var st session.Store
			if url := a.cfg.Store.RedisURL; url != "" {
				r, err := store.OpenRedis(cmd.Context(), url, store.RedisOptions{ThreadTTL: a.cfg.Store.ThreadTTL, Prefix: a.cfg.Store.KeyPrefix})
				if err != nil {
					return &exitError{code: exitFailure, err: fmt.Errorf("config: redis.url: %w", err)}
				}
				defer r.Close()
				st = r
			} else {
				st = store.NewMemoryWith(store.MemoryOptions{ThreadTTL: a.cfg.Store.ThreadTTL})
			}
			srv := a.newMCP(p, st, mcpserver.LocalOwner, "", log)
			t := &mcp.IOTransport{Reader: io.NopCloser(a.stdin), Writer: nopCloser{a.stdout}}
			if err := srv.Run(cmd.Context(), t); err != nil {
				return &exitError{code: exitFailure, err: fmt.Errorf("serving MCP: %w", err)}
			}
			return nil
		},
	}
}

// newMCP builds the MCP server over the engine and store the other surfaces share.
func (a *app) newMCP(p *planner.Planner, st session.Store, owner, agentURL string, log *slog.Logger) *mcpserver.Server {
	now := time.Now
	if a.fixedNow {
		now = func() time.Time { return a.now }
	}
	return mcpserver.New(mcpserver.Options{
		Engine:    &session.Service{Reader: a.coordinator, Planner: p, Store: st, Now: now, Channel: a.cfg.Planner.Channel},
		Owner:     owner,
		AgentURL:  agentURL,
		Logger:    log.With("component", "mcp"),
		Now:       now,
		ReplayTTL: a.cfg.Store.ThreadTTL,
	})
}

// mountMCP serves Streamable HTTP at /mcp on the HTTP API, behind its bearer tokens
// and rate limit: each call acts for the token's name.
func (a *app) mountMCP(srv *api.Server, p *planner.Planner, st session.Store, addr string, log *slog.Logger) {
	url := "http://" + reachable(addr) + "/mcp"
	m := a.newMCP(p, st, "", url, log)
	owner := func(r *http.Request) (string, bool) {
		o := api.Owner(r.Context())
		return o, o != ""
	}
	srv.Handle("/mcp", srv.RequireToken(m.HTTPHandler(owner)))
	log.Info("serving MCP (Streamable HTTP) for AI assistants and AdCP buying agents", "url", url)
}

// reachable is addr with a host a client can dial: ":8080" and "0.0.0.0:8080" listen
// everywhere, so name them by localhost.
func reachable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || (host != "" && host != "0.0.0.0" && host != "::") {
		return addr
	}
	return net.JoinHostPort("localhost", port)
}

// nopCloser keeps the command's standard output open when the MCP session ends.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
