package mcpserver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/bot/mcpserver"
	"github.com/adplan/adplan/conversation/session"
	"github.com/adplan/adplan/store"
)

// now is the reference time of every test: briefs' relative dates read against it.
var now = time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

var (
	plannerOnce sync.Once
	testPlanner *planner.Planner
	plannerErr  error
)

// newService is the engine every surface shares, on a memory store.
func newService(t testing.TB) *session.Service {
	t.Helper()
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	plannerOnce.Do(func() { testPlanner, plannerErr = planner.New(planner.Options{}) })
	if plannerErr != nil {
		t.Fatal(plannerErr)
	}
	return &session.Service{Reader: c, Planner: testPlanner, Store: store.NewMemory(), Now: func() time.Time { return now }}
}

func newServer(t testing.TB, svc *session.Service, owner string) *mcpserver.Server {
	return mcpserver.New(mcpserver.Options{Engine: svc, Owner: owner, Now: func() time.Time { return now }, ReplayTTL: 24 * time.Hour})
}

// connectInMemory connects an SDK client to srv over in-memory transports.
func connectInMemory(t testing.TB, srv *mcpserver.Server) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	ct, st := mcp.NewInMemoryTransports()
	ss, err := srv.MCP().Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// tokens are the test's bearer tokens and the owners they name.
var tokens = map[string]string{"token-alice": "alice", "token-bob": "bob"}

func ownerOf(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "", false
	}
	who, ok := tokens[tok]
	return who, ok
}

// httpServer serves srv's Streamable HTTP handler at /mcp on loopback.
func httpServer(t testing.TB, srv *mcpserver.Server) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("/mcp", srv.HTTPHandler(ownerOf))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return hs
}

// bearer adds a token to every request.
type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

// connectHTTP connects an SDK client to url over Streamable HTTP with token.
func connectHTTP(t testing.TB, url, token string) (*mcp.ClientSession, error) {
	t.Helper()
	tr := &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: &http.Client{Transport: bearer{token, http.DefaultTransport}}}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), tr, nil)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { cs.Close() })
	return cs, nil
}

// call calls a tool and returns its structured result as raw JSON, failing the test
// on a protocol error; isError says whether the tool reported an error.
func call(t testing.TB, cs *mcp.ClientSession, tool string, args any) (raw json.RawMessage, isError bool, text string) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			text += tc.Text
		}
	}
	if res.StructuredContent != nil {
		raw, err = json.Marshal(res.StructuredContent)
		if err != nil {
			t.Fatal(err)
		}
	}
	return raw, res.IsError, text
}

func decodeInto[T any](t testing.TB, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding %s: %v", truncate(string(raw), 500), err)
	}
	return v
}
