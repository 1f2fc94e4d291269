package mcpserver_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/bot/mcpserver"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
)

// planningConversation is what an assistant does for a planner: plan a brief, revise
// it, read both versions back and explain the latest. It returns the thread id.
func planningConversation(t *testing.T, cs *mcp.ClientSession) string {
	t.Helper()
	raw, isErr, _ := call(t, cs, "plan_campaign", map[string]any{"brief": "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"})
	first := decodeInto[session.Turn](t, raw)
	if isErr || first.Thread == "" || first.Version != 1 || first.Plan == nil || len(first.Plan.LineItems) == 0 {
		t.Fatalf("plan_campaign: %s", truncate(string(raw), 1500))
	}
	if first.Plan.Budget != 5000 || first.Plan.Currency != "EUR" || first.Plan.Flight.Days != 30 || len(first.Ran) != 4 {
		t.Errorf("plan_campaign planned %.2f %s over %d days, ran %v", first.Plan.Budget, first.Plan.Currency, first.Plan.Flight.Days, first.Ran)
	}

	raw, isErr, _ = call(t, cs, "revise_plan", map[string]any{"thread": first.Thread, "message": "extend to 60 days"})
	second := decodeInto[session.Turn](t, raw)
	if isErr || second.Version != 2 || second.Plan == nil || second.Plan.Flight.Days != 60 {
		t.Fatalf("revise_plan: %s", truncate(string(raw), 1500))
	}
	if !slices.Equal(second.Ran, []agents.Slot{"schedule"}) {
		t.Errorf("extending the flight ran %v, want only the schedule", second.Ran)
	}
	if !slices.ContainsFunc(second.Changes, func(c conversation.Change) bool { return c.Field == "schedule.days" && c.To == "60 days" }) {
		t.Errorf("revise_plan does not say the flight became 60 days: %v", second.Changes)
	}
	if len(second.PlanChanges) == 0 || second.Plan.Budget != 5000 {
		t.Errorf("the plan's changes %v, budget %.2f", second.PlanChanges, second.Plan.Budget)
	}

	raw, isErr, _ = call(t, cs, "get_plan", map[string]any{"thread": first.Thread, "version": 1})
	v1 := decodeInto[mcpserver.PlanVersion](t, raw)
	if isErr || v1.Version != 1 || v1.Versions != 2 || v1.Latest || v1.Plan == nil || v1.Plan.Flight.Days != 30 || !strings.Contains(v1.Message, "30 days") {
		t.Errorf("get_plan version 1: %s", truncate(string(raw), 1000))
	}
	raw, _, _ = call(t, cs, "get_plan", map[string]any{"thread": first.Thread})
	if v := decodeInto[mcpserver.PlanVersion](t, raw); v.Version != 2 || !v.Latest || v.Plan.Flight.Days != 60 {
		t.Errorf("get_plan latest: %s", truncate(string(raw), 1000))
	}

	raw, isErr, text := call(t, cs, "explain_plan", map[string]any{"thread": first.Thread})
	ex := decodeInto[mcpserver.Explanation](t, raw)
	if isErr || ex.Version != 2 || text != ex.Text {
		t.Fatalf("explain_plan: %s", truncate(string(raw), 1000))
	}
	if !strings.Contains(ex.Text, second.Plan.Evidence.Summary) || !strings.Contains(ex.Text, "60 days") {
		t.Errorf("the explanation leaves out the plan's evidence or flight:\n%s", ex.Text)
	}
	return first.Thread
}

func TestPlanningToolsInMemory(t *testing.T) {
	cs := connectInMemory(t, newServer(t, newService(t), mcpserver.LocalOwner))
	thread := planningConversation(t, cs)

	// What the brief left out is assumed, and the explanation says so.
	raw, _, _ := call(t, cs, "plan_campaign", map[string]any{"brief": "awareness in Germany with €5,000"})
	turn := decodeInto[session.Turn](t, raw)
	if turn.Plan == nil || len(turn.Plan.Assumptions) == 0 {
		t.Fatalf("a brief without dates or ages assumed nothing: %s", truncate(string(raw), 800))
	}
	raw, _, _ = call(t, cs, "explain_plan", map[string]any{"thread": turn.Thread})
	ex := decodeInto[mcpserver.Explanation](t, raw)
	for _, a := range turn.Plan.Assumptions {
		if !strings.Contains(ex.Text, a.Why) {
			t.Errorf("the explanation leaves out the assumption %s = %s (%s):\n%s", a.Field, a.Value, a.Why, ex.Text)
		}
	}

	tests := []struct {
		name, tool string
		give       map[string]any
		want       string
	}{
		{"unreadable brief", "plan_campaign", map[string]any{"brief": "   "}, "could not read the brief"},
		{"unknown thread", "revise_plan", map[string]any{"thread": "0123456789abcdef0123456789abcdef", "message": "add Austria"}, "no thread"},
		{"forged thread id", "get_plan", map[string]any{"thread": "../" + thread}, "no thread"},
		{"no such version", "get_plan", map[string]any{"thread": thread, "version": 9}, "versions 1 to 2"},
		{"a follow-up nobody can read", "revise_plan", map[string]any{"thread": thread, "message": "qwxz zzkq"}, "error"},
		{"missing brief", "plan_campaign", map[string]any{}, "brief"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, isErr, text := call(t, cs, tt.tool, tt.give)
			if !isErr || !strings.Contains(text+string(raw), tt.want) {
				t.Errorf("got isError=%v %q %s, want an error mentioning %q", isErr, text, truncate(string(raw), 300), tt.want)
			}
		})
	}
	// The thread is where it was.
	raw, _, _ = call(t, cs, "get_plan", map[string]any{"thread": thread})
	if v := decodeInto[mcpserver.PlanVersion](t, raw); v.Versions != 2 {
		t.Errorf("after the bad calls the thread has %d versions, want 2", v.Versions)
	}
}

func TestToolsAreDescribed(t *testing.T) {
	cs := connectInMemory(t, newServer(t, newService(t), mcpserver.LocalOwner))
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
		if tool.InputSchema == nil || tool.OutputSchema == nil || len(tool.Description) < 150 {
			t.Errorf("%s: input schema %v, output schema %v, description %q", tool.Name, tool.InputSchema != nil, tool.OutputSchema != nil, tool.Description)
		}
	}
	slices.Sort(names)
	want := []string{"create_media_buy", "explain_plan", "get_adcp_capabilities", "get_media_buys", "get_plan", "get_products", "list_creative_formats", "plan_campaign", "revise_plan"}
	if !slices.Equal(names, want) {
		t.Errorf("tools %v, want %v", names, want)
	}
}

func TestStreamableHTTPOwners(t *testing.T) {
	hs := httpServer(t, newServer(t, newService(t), ""))
	alice, err := connectHTTP(t, hs.URL+"/mcp", "token-alice")
	if err != nil {
		t.Fatal(err)
	}
	thread := planningConversation(t, alice)

	// Another token's session cannot read or revise alice's thread.
	bob, err := connectHTTP(t, hs.URL+"/mcp", "token-bob")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tool string
		args map[string]any
	}{
		{"get_plan", map[string]any{"thread": thread}},
		{"explain_plan", map[string]any{"thread": thread, "version": 1}},
		{"revise_plan", map[string]any{"thread": thread, "message": "double the budget"}},
	} {
		tool := tc.tool
		raw, isErr, text := call(t, bob, tool, tc.args)
		if !isErr || !strings.Contains(text, "no thread") {
			t.Errorf("bob's %s on alice's thread: isError=%v %q %s", tool, isErr, text, truncate(string(raw), 300))
		}
	}

	// No token, or one nobody issued: 401, and no session.
	for _, tok := range []string{"", "token-mallory"} {
		req, _ := http.NewRequest(http.MethodPost, hs.URL+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("token %q: status %d, want 401", tok, resp.StatusCode)
		}
	}
	if _, err := connectHTTP(t, hs.URL+"/mcp", "token-mallory"); err == nil {
		t.Error("a client with a token nobody issued connected")
	}
}
