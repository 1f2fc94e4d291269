package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

var (
	adplanBinOnce sync.Once
	adplanBin     string
	adplanBinErr  error
	adplanBinOut  []byte
)

// buildAdplan builds the adplan binary once for the tests that run it as a process.
func buildAdplan(t *testing.T) string {
	t.Helper()
	adplanBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "adplan-mcp-test")
		if err != nil {
			adplanBinErr = err
			return
		}
		adplanBin = filepath.Join(dir, "adplan")
		adplanBinOut, adplanBinErr = exec.Command("go", "build", "-o", adplanBin, ".").CombinedOutput()
	})
	if adplanBinErr != nil {
		t.Fatalf("building adplan: %v\n%s", adplanBinErr, adplanBinOut)
	}
	return adplanBin
}

// processEnv is the environment adplan runs in for these tests: no Redis, no Slack,
// no model, a home of its own.
func processEnv(t *testing.T, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ADPLAN_") {
			env = append(env, kv)
		}
	}
	return append(append(env, "HOME="+t.TempDir(), "ADPLAN_OPS_ADDR=off"), extra...)
}

var mcpConversation = []string{
	"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
	"extend to 60 days",
	"add Austria",
	"double the budget",
}

// chatLines runs the messages through `adplan chat --json` and returns its lines.
func chatLines(t *testing.T, bin string, messages []string) []map[string]any {
	t.Helper()
	cmd := exec.Command(bin, "chat", "--json", "--now", testNow)
	cmd.Env = processEnv(t)
	cmd.Stdin = strings.NewReader(strings.Join(messages, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("adplan chat: %v", err)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, m)
	}
	if len(lines) != len(messages) {
		t.Fatalf("adplan chat gave %d lines for %d messages", len(lines), len(messages))
	}
	return lines
}

// turnOf reads a tool's structured result as a chat line: the thread id aside.
func turnOf(t *testing.T, res result) (map[string]any, string) {
	t.Helper()
	if err := res.err; err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("tool error: %v", res.Content)
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	thread, _ := m["thread"].(string)
	delete(m, "thread")
	return m, thread
}

// result is a tool call's outcome.
type result struct {
	*mcp.CallToolResult
	err error
}

func call(ctx context.Context, cs *mcp.ClientSession, tool string, args map[string]any) result {
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
	return result{res, err}
}

// sameTurns checks that each turn equals chat's line for the same message: the same
// version, specialists, brief, changes and plan.
func sameTurns(t *testing.T, got, want []map[string]any) {
	t.Helper()
	for i := range want {
		for k, w := range want[i] {
			if !reflect.DeepEqual(got[i][k], w) {
				g, _ := json.Marshal(got[i][k])
				wj, _ := json.Marshal(w)
				t.Errorf("message %d (%q): %s differs from adplan chat's:\n got %.600s\nwant %.600s", i+1, mcpConversation[i], k, g, wj)
			}
		}
	}
}

// TestMCPOverStdioMatchesChat runs `adplan mcp` as an assistant does and holds the
// conversation adplan chat holds: every version is the same.
func TestMCPOverStdioMatchesChat(t *testing.T) {
	bin := buildAdplan(t)
	want := chatLines(t, bin, mcpConversation)

	cmd := exec.Command(bin, "mcp", "--now", testNow)
	cmd.Env = processEnv(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connecting to adplan mcp: %v\n%s", err, stderr.String())
	}
	defer cs.Close()

	var got []map[string]any
	turn, thread := turnOf(t, call(ctx, cs, "plan_campaign", map[string]any{"brief": mcpConversation[0]}))
	got = append(got, turn)
	for _, msg := range mcpConversation[1:] {
		turn, _ := turnOf(t, call(ctx, cs, "revise_plan", map[string]any{"thread": thread, "message": msg}))
		got = append(got, turn)
	}
	sameTurns(t, got, want)

	// And a buying agent's brief over the same pipe.
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "get_products", Arguments: map[string]any{"buying_mode": "brief", "brief": mcpConversation[0]}})
	if err != nil || res.IsError {
		t.Fatalf("get_products: %v %v", err, res)
	}
	var products struct {
		Products []struct {
			ProductID string `json:"product_id"`
		} `json:"products"`
	}
	raw, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(raw, &products); err != nil || len(products.Products) != len(want[0]["plan"].(map[string]any)["line_items"].([]any)) {
		t.Errorf("get_products gave %d products for a plan of %d ad sets", len(products.Products), len(want[0]["plan"].(map[string]any)["line_items"].([]any)))
	}
	if err := cs.Close(); err != nil {
		t.Errorf("closing: %v", err)
	}
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Errorf("adplan mcp logged errors:\n%s", stderr.String())
	}
}

// TestConversationStartedOverHTTPContinuesOverMCP starts a thread with POST /v1/threads
// on `adplan serve` and continues it with revise_plan over Streamable HTTP at /mcp,
// with the same token: the versions are the ones adplan chat makes of the same messages.
func TestConversationStartedOverHTTPContinuesOverMCP(t *testing.T) {
	bin := buildAdplan(t)
	want := chatLines(t, bin, mcpConversation)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	const token = "alice-token-0123456789abcdef"
	cmd := exec.Command(bin, "serve", "--now", testNow)
	cmd.Env = processEnv(t, "ADPLAN_HTTP_ADDR="+addr, "ADPLAN_HTTP_TOKENS=alice:"+token+",bob:bob-token-0123456789abcdef")
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	base := "http://" + addr
	waitForHTTP(t, base+"/openapi.json", &stderr)

	body := strings.NewReader(`{"message": ` + quote(mcpConversation[0]) + `}`)
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/threads", body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var first map[string]any
	err = json.NewDecoder(resp.Body).Decode(&first)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /v1/threads: %d %v", resp.StatusCode, err)
	}
	thread, _ := first["thread"].(string)
	delete(first, "thread")

	connect := func(tok string) *mcp.ClientSession {
		tr := &mcp.StreamableClientTransport{Endpoint: base + "/mcp", HTTPClient: &http.Client{Transport: bearerTransport{tok}}}
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), tr, nil)
		if err != nil {
			t.Fatalf("connecting to /mcp: %v\n%s", err, stderr.String())
		}
		t.Cleanup(func() { cs.Close() })
		return cs
	}
	ctx := context.Background()
	// Another token's assistant cannot continue alice's thread.
	res, err := connect("bob-token-0123456789abcdef").CallTool(ctx, &mcp.CallToolParams{Name: "revise_plan", Arguments: map[string]any{"thread": thread, "message": "add Austria"}})
	if err != nil || !res.IsError {
		t.Fatalf("bob revised alice's thread: %v %v", err, res)
	}
	cs := connect(token)
	got := []map[string]any{first}
	for _, msg := range mcpConversation[1:] {
		turn, _ := turnOf(t, call(ctx, cs, "revise_plan", map[string]any{"thread": thread, "message": msg}))
		got = append(got, turn)
	}
	sameTurns(t, got, want)

	// The API reads back the versions MCP made.
	req, _ = http.NewRequest(http.MethodGet, base+"/v1/threads/"+thread, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw := new(bytes.Buffer)
	_, _ = raw.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(raw.String(), "double the budget") {
		t.Errorf("GET /v1/threads/%s after MCP: %d %.300s", thread, resp.StatusCode, raw.String())
	}
}

type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// waitForHTTP waits until url answers, or the process says why it stopped.
func waitForHTTP(t *testing.T, url string, stderr *syncBuffer) {
	t.Helper()
	for i := 0; ; i++ {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		if i > 2000 {
			t.Fatalf("adplan serve never answered at %s:\n%s", url, stderr.String())
		}
		waitABit()
	}
}

// waitABit is the pause between readiness polls.
func waitABit() { time.Sleep(10 * time.Millisecond) }
