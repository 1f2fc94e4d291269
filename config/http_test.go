package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestHTTPDefaultsOff(t *testing.T) {
	isolate(t)
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	h := c.HTTP
	if h.Addr != "" || len(h.Tokens) != 0 || h.MaxBodyBytes != 1<<20 || h.RateLimit != 20 || h.RateBurst != 40 {
		t.Errorf("defaults %+v", h)
	}
	if !c.ServesSlack() {
		t.Error("with no HTTP API, serve is the Slack bot")
	}
}

func TestHTTPTokensFromTheFileAndTheEnvironment(t *testing.T) {
	dir := isolate(t)
	file := filepath.Join(dir, "adplan.yaml")
	if err := os.WriteFile(file, []byte(`http:
  addr: 127.0.0.1:8080
  rate_limit: 2.5
  tokens:
    - name: dashboard
      token: dashboard-0123456789abcdef
    - name: crm
      token: crm-0123456789abcdef
`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []HTTPToken{{"dashboard", "dashboard-0123456789abcdef"}, {"crm", "crm-0123456789abcdef"}}
	if !slices.Equal(c.HTTP.Tokens, want) || c.HTTP.Addr != "127.0.0.1:8080" || c.HTTP.RateLimit != 2.5 {
		t.Errorf("from the file: %+v", c.HTTP)
	}
	if c.ServesSlack() {
		t.Error("with only the HTTP API set, serve should not need Slack")
	}

	t.Setenv("ADPLAN_HTTP_TOKENS", "ops:ops-0123456789abcdef, bi:bi-0123456789abcdef")
	c, err = Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	want = []HTTPToken{{"ops", "ops-0123456789abcdef"}, {"bi", "bi-0123456789abcdef"}}
	if !slices.Equal(c.HTTP.Tokens, want) {
		t.Errorf("the environment overrides the file: %+v", c.HTTP.Tokens)
	}
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", "xoxb-1")
	if c, _ = Load(nil); !c.ServesSlack() {
		t.Error("a Slack token set: serve runs Slack too")
	}
}

func TestHTTPRejectsBadSettingsWithoutQuotingTokens(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ADPLAN_HTTP_ADDR": "8080"}, "http.addr"},
		{map[string]string{"ADPLAN_HTTP_ADDR": "127.0.0.1:8080"}, "http.tokens"},
		{map[string]string{"ADPLAN_HTTP_TOKENS": "alice"}, "not name:token"},
		{map[string]string{"ADPLAN_HTTP_TOKENS": "alice:short-secret"}, "at least 16"},
		{map[string]string{"ADPLAN_HTTP_TOKENS": "a/b:0123456789abcdef0"}, "name"},
		{map[string]string{"ADPLAN_HTTP_TOKENS": "a:0123456789abcdef0,b:0123456789abcdef0"}, "another name"},
		{map[string]string{"ADPLAN_HTTP_MAX_BODY_BYTES": "10"}, "http.max_body_bytes"},
		{map[string]string{"ADPLAN_HTTP_RATE_LIMIT": "-1"}, "http.rate_limit"},
		{map[string]string{"ADPLAN_HTTP_RATE_LIMIT": "fast"}, "http.rate_limit"},
		{map[string]string{"ADPLAN_HTTP_RATE_BURST": "0"}, "http.rate_burst"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := Load(nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%v: err %v, want it to name %q", tt.env, err, tt.want)
			}
			if strings.Contains(err.Error(), "short-secret") || strings.Contains(err.Error(), "0123456789abcdef0") {
				t.Errorf("the error quotes a token: %v", err)
			}
		})
	}
}
