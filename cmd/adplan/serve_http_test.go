package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

const apiToken = "alice-token-0123456789"

// serveHTTPOnly starts `adplan serve` with only http.addr and a token set (no Slack,
// no Redis) and returns the API's base URL; it stops serve when the test ends and
// checks that it stopped cleanly.
func serveHTTPOnly(t *testing.T) string {
	t.Helper()
	t.Chdir(t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", "")
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", "")
	t.Setenv("ADPLAN_REDIS_URL", "")
	t.Setenv("ADPLAN_OPS_ADDR", "off")
	t.Setenv("ADPLAN_HTTP_ADDR", "127.0.0.1:0")
	t.Setenv("ADPLAN_HTTP_TOKENS", "alice:"+apiToken)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--now", testNow}, strings.NewReader(""), &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 || !strings.Contains(stderr.String(), "adplan stopped") {
				t.Errorf("serve exited %d:\n%s", code, stderr.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop after the signal")
		}
	})
	addrRE := regexp.MustCompile(`serving the HTTP API.* addr=(\S+)`)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if m := addrRE.FindStringSubmatch(stderr.String()); m != nil {
			return "http://" + m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before serving the API:\n%s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not serve the API:\n%s", stderr.String())
		}
	}
}

func postJSON(t *testing.T, url string, body any) (int, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+apiToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out
}

// serve runs with no Slack tokens when http.addr is set, and POST /v1/plans answers
// exactly what `adplan plan --json` prints.
func TestServeHTTPPlansAsThePlanCommandDoes(t *testing.T) {
	base := serveHTTPOnly(t)
	for _, brief := range []string{
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
		"app installs from iPhone users in the US, $20k, Q1",
	} {
		status, got := postJSON(t, base+"/v1/plans", map[string]string{"brief": brief})
		want, errOut, code := adplan(t, "", "plan", "--json", "--now", testNow, brief)
		if status != http.StatusOK || code != 0 {
			t.Fatalf("%q: HTTP %d, CLI exit %d %s", brief, status, code, errOut)
		}
		if string(got) != want {
			t.Errorf("%q: POST /v1/plans and plan --json differ:\nHTTP %.300s\nCLI  %.300s", brief, got, want)
		}
	}
	status, got := postJSON(t, base+"/v1/plans", map[string]string{"brief": "hello there"})
	_, errOut, _ := adplan(t, "", "plan", "--json", "--now", testNow, "hello there")
	var p struct{ Detail string }
	_ = json.Unmarshal(got, &p)
	if status != http.StatusBadRequest || "adplan: "+p.Detail+"\n" != errOut {
		t.Errorf("an unreadable brief: HTTP %d %q, CLI %q", status, p.Detail, errOut)
	}
}

// A conversation over HTTP makes the same versions as the same messages through
// `adplan chat --json`: every field of every turn but its count and the thread id.
func TestServeHTTPConversationMatchesChat(t *testing.T) {
	base := serveHTTPOnly(t)
	msgs := []string{
		"awareness in Germany, 18-24, €5,000 over 30 days",
		"extend to 60 days",
		"asdf qwer",
		"double the budget",
		"double the budget",
		"add Austria",
		"no video",
		"only podcasts",
	}
	out, errOut, code := adplan(t, strings.Join(msgs, "\n")+"\n", "chat", "--json", "--now", testNow)
	if code != 0 {
		t.Fatalf("chat exited %d: %s", code, errOut)
	}
	var chat []map[string]json.RawMessage
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		chat = append(chat, m)
	}
	if len(chat) != len(msgs) {
		t.Fatalf("chat gave %d lines for %d messages", len(chat), len(msgs))
	}

	thread := ""
	for i, msg := range msgs {
		var status int
		var body []byte
		if i == 0 {
			status, body = postJSON(t, base+"/v1/threads", map[string]string{"message": msg})
		} else {
			status, body = postJSON(t, base+"/v1/threads/"+thread+"/messages", map[string]string{"message": msg})
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("turn %d: %v: %s", i+1, err, body)
		}
		want := chat[i]
		if e, failed := want["error"]; failed {
			var chatErr string
			_ = json.Unmarshal(e, &chatErr)
			var detail string
			_ = json.Unmarshal(got["detail"], &detail)
			if status != http.StatusBadRequest || detail != chatErr {
				t.Errorf("turn %d %q: chat says %q, HTTP %d %q", i+1, msg, chatErr, status, detail)
			}
			continue
		}
		if i == 0 {
			_ = json.Unmarshal(got["thread"], &thread)
		}
		for _, f := range []string{"turn", "thread"} {
			delete(got, f)
			delete(want, f)
		}
		if len(got) != len(want) {
			t.Errorf("turn %d %q: HTTP has fields %v, chat %v", i+1, msg, keys(got), keys(want))
		}
		for f, w := range want {
			if !bytes.Equal(got[f], w) {
				t.Errorf("turn %d %q: %s differs:\nHTTP %.300s\nchat %.300s", i+1, msg, f, got[f], w)
			}
		}
	}
}

func keys(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// bench --http plans every request over HTTP and reports the figures (their size is
// for a person to judge: timing is never a test's outcome).
func TestBenchHTTPReportsBothSides(t *testing.T) {
	out, errOut, code := adplan(t, "", "bench", "--n", "40", "--http", "--concurrency", "3", "--json", "--now", testNow)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r benchReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	h := r.HTTP
	if h == nil || h.Requests != 40 || h.Errors != 0 || h.Concurrency != 3 || h.PlansPerSecond <= 0 || h.InProcessPlansPerSecond <= 0 || h.P99MS < h.P50MS || h.P50MS <= 0 {
		t.Errorf("bench --http report %+v", h)
	}
	if _, errOut, code := adplan(t, "", "bench", "--http", "--concurrency", "0"); code != 2 || !strings.Contains(errOut, "--concurrency") {
		t.Errorf("--concurrency 0: exit %d, %s", code, errOut)
	}
}
