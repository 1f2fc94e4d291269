package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// isolate runs the test in an empty directory with no ADPLAN_* variables and no
// user config file, so only what the test sets is read.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", dir)
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, EnvPrefix+"_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	return dir
}

func flags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parsing flags %v: %v", args, err)
	}
	return fs
}

func TestLoadDefaults(t *testing.T) {
	isolate(t)
	c, err := Load(flags(t))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.DefaultCurrency != "USD" || c.Location != time.UTC || c.Agents.SpecialistTimeout != 2*time.Second ||
		c.Agents.MaxMessageBytes != 8192 || c.Log.Format != "text" || c.File != "" {
		t.Errorf("defaults = %+v", c)
	}
}

func TestLoadPrecedence(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		env      string
		args     []string
		wantCurr string
	}{
		{name: "file only", file: "default_currency: EUR\n", wantCurr: "EUR"},
		{name: "env beats file", file: "default_currency: EUR\n", env: "GBP", wantCurr: "GBP"},
		{name: "flag beats env and file", file: "default_currency: EUR\n", env: "GBP", args: []string{"--default-currency", "SEK"}, wantCurr: "SEK"},
		{name: "env only", env: "jpy", wantCurr: "JPY"},
		{name: "flag only", args: []string{"--default-currency=CHF"}, wantCurr: "CHF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolate(t)
			if tt.file != "" {
				if err := os.WriteFile(filepath.Join(dir, "adplan.yaml"), []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tt.env != "" {
				t.Setenv("ADPLAN_DEFAULT_CURRENCY", tt.env)
			}
			c, err := Load(flags(t, tt.args...))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.DefaultCurrency != tt.wantCurr {
				t.Errorf("DefaultCurrency = %q, want %q", c.DefaultCurrency, tt.wantCurr)
			}
		})
	}
}

func TestLoadNestedKeysFromEveryLayer(t *testing.T) {
	dir := isolate(t)
	file := "agents:\n  specialist_timeout: 750ms\n  max_message_bytes: 4096\nlog:\n  level: debug\ntimezone: Europe/Berlin\n"
	if err := os.WriteFile(filepath.Join(dir, "adplan.yaml"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ADPLAN_AGENTS_MAX_MESSAGE_BYTES", "2048")
	c, err := Load(flags(t, "--log-format", "json"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Agents.SpecialistTimeout != 750*time.Millisecond {
		t.Errorf("SpecialistTimeout = %v, want 750ms from the file", c.Agents.SpecialistTimeout)
	}
	if c.Agents.MaxMessageBytes != 2048 {
		t.Errorf("MaxMessageBytes = %d, want 2048 from the environment", c.Agents.MaxMessageBytes)
	}
	if c.Log.Format != "json" || c.Log.Level.String() != "DEBUG" {
		t.Errorf("Log = %+v, want json from the flag and debug from the file", c.Log)
	}
	if c.Location.String() != "Europe/Berlin" || c.File != "adplan.yaml" {
		t.Errorf("Location = %v, File = %q", c.Location, c.File)
	}
}

func TestLoadRejectsBadValuesNamingTheKey(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		file    string
		args    []string
		wantKey string
	}{
		{name: "currency", env: map[string]string{"ADPLAN_DEFAULT_CURRENCY": "EURO"}, wantKey: "default_currency"},
		{name: "timezone", args: []string{"--timezone", "Mars/Olympus"}, wantKey: "timezone"},
		{name: "timeout not a duration", env: map[string]string{"ADPLAN_AGENTS_SPECIALIST_TIMEOUT": "soon"}, wantKey: "agents.specialist_timeout"},
		{name: "timeout negative", file: "agents:\n  specialist_timeout: -1s\n", wantKey: "agents.specialist_timeout"},
		{name: "max bytes", env: map[string]string{"ADPLAN_AGENTS_MAX_MESSAGE_BYTES": "lots"}, wantKey: "agents.max_message_bytes"},
		{name: "log level", args: []string{"--log-level", "loud"}, wantKey: "log.level"},
		{name: "log format", file: "log:\n  format: xml\n", wantKey: "log.format"},
		{name: "typo in file", file: "default_curency: EUR\n", wantKey: "default_curency"},
		{name: "history path", env: map[string]string{"ADPLAN_PLANNER_HISTORY_PATH": "/no/such/file.csv"}, wantKey: "planner.history_path"},
		{name: "default market", args: []string{"--default-market", "Germany"}, wantKey: "planner.default_market"},
		{name: "channel", file: "planner:\n  channel: tv\n", wantKey: "planner.channel"},
		{name: "app token", env: map[string]string{"ADPLAN_SLACK_APP_TOKEN": "xoxb-not-an-app-token"}, wantKey: "slack.app_token"},
		{name: "bot token", env: map[string]string{"ADPLAN_SLACK_BOT_TOKEN": "xapp-wrong-kind"}, wantKey: "slack.bot_token"},
		{name: "slack api url", env: map[string]string{"ADPLAN_SLACK_API_URL": "not a url"}, wantKey: "slack.api_url"},
		{name: "redis url", env: map[string]string{"ADPLAN_REDIS_URL": "http://localhost:6379"}, wantKey: "redis.url"},
		{name: "thread ttl", args: []string{"--thread-ttl", "-1h"}, wantKey: "store.thread_ttl"},
		{name: "workers", args: []string{"--workers", "0"}, wantKey: "bot.workers"},
		{name: "ops addr without port", env: map[string]string{"ADPLAN_OPS_ADDR": "localhost"}, wantKey: "ops.addr"},
		{name: "ops addr port out of range", args: []string{"--ops-addr", "127.0.0.1:70000"}, wantKey: "ops.addr"},
		{name: "ops addr port not a number", file: "ops:\n  addr: \"localhost:http\"\n", wantKey: "ops.addr"},
		{name: "ops addr a URL", env: map[string]string{"ADPLAN_OPS_ADDR": "http://127.0.0.1:9090"}, wantKey: "ops.addr"},
		{name: "shutdown grace", args: []string{"--shutdown-grace", "0s"}, wantKey: "bot.shutdown_grace"},
		{name: "reclaim after", env: map[string]string{"ADPLAN_BOT_RECLAIM_AFTER": "1ms"}, wantKey: "bot.reclaim_after"},
		{name: "updates per minute", env: map[string]string{"ADPLAN_SLACK_UPDATES_PER_MINUTE": "0"}, wantKey: "slack.updates_per_minute"},
		{name: "updates per minute not a number", env: map[string]string{"ADPLAN_SLACK_UPDATES_PER_MINUTE": "lots"}, wantKey: "slack.updates_per_minute"},
		{name: "approvers", env: map[string]string{"ADPLAN_BOT_APPROVERS": "U123,alice"}, wantKey: "bot.approvers"},
		{name: "allowed teams", args: []string{"--allowed-teams", "X1"}, wantKey: "slack.allowed_teams"},
		{name: "llm provider", env: map[string]string{"ADPLAN_LLM_PROVIDER": "skynet"}, wantKey: "llm.provider"},
		{name: "llm timeout", args: []string{"--llm-timeout", "0s"}, wantKey: "llm.timeout"},
		{name: "llm mode", file: "llm:\n  mode: sometimes\n", wantKey: "llm.mode"},
		{name: "llm key missing", env: map[string]string{"ADPLAN_LLM_PROVIDER": "anthropic"}, wantKey: "llm.api_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.file != "" {
				if err := os.WriteFile(filepath.Join(dir, "adplan.yaml"), []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(flags(t, tt.args...))
			var cfgErr *Error
			if !errors.As(err, &cfgErr) {
				t.Fatalf("Load error = %v, want a *config.Error", err)
			}
			if cfgErr.Key != tt.wantKey || !strings.Contains(err.Error(), tt.wantKey) {
				t.Errorf("error %q names key %q, want %q", err, cfgErr.Key, tt.wantKey)
			}
		})
	}
}

func TestOpsAddr(t *testing.T) {
	tests := []struct {
		name string
		env  string
		args []string
		file string
		want string
	}{
		{name: "default", want: "127.0.0.1:9090"},
		{name: "env", env: "0.0.0.0:9100", want: "0.0.0.0:9100"},
		{name: "flag beats env", env: "0.0.0.0:9100", args: []string{"--ops-addr", ":9200"}, want: ":9200"},
		{name: "file", file: "ops:\n  addr: \"[::1]:9300\"\n", want: "[::1]:9300"},
		{name: "any free port", args: []string{"--ops-addr=127.0.0.1:0"}, want: "127.0.0.1:0"},
		{name: "off", env: "off", want: ""},
		{name: "OFF", args: []string{"--ops-addr", "OFF"}, want: ""},
		{name: "empty", args: []string{"--ops-addr="}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolate(t)
			if tt.env != "" {
				t.Setenv("ADPLAN_OPS_ADDR", tt.env)
			}
			if tt.file != "" {
				if err := os.WriteFile(filepath.Join(dir, "adplan.yaml"), []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			c, err := Load(flags(t, tt.args...))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.Ops.Addr != tt.want {
				t.Errorf("Ops.Addr = %q, want %q", c.Ops.Addr, tt.want)
			}
		})
	}
}

func TestLoadNamedFileMustExist(t *testing.T) {
	isolate(t)
	_, err := Load(flags(t, "--config", "missing.yaml"))
	if err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Fatalf("Load with a missing --config = %v, want an error naming the file", err)
	}
	t.Setenv("ADPLAN_CONFIG", "also-missing.yaml")
	_, err = Load(flags(t))
	if err == nil || !strings.Contains(err.Error(), "also-missing.yaml") {
		t.Fatalf("Load with a missing $ADPLAN_CONFIG = %v, want an error naming the file", err)
	}
}

func TestLoadMalformedFile(t *testing.T) {
	dir := isolate(t)
	if err := os.WriteFile(filepath.Join(dir, "adplan.yaml"), []byte("default_currency: [EUR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(flags(t)); err == nil || !strings.Contains(err.Error(), "adplan.yaml") {
		t.Fatalf("Load of a malformed file = %v, want an error naming the file", err)
	}
}

func TestCheckSlackNamesTheMissingTokenAndHowToGetIt(t *testing.T) {
	isolate(t)
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", "xoxb-1-2-3")
	c, err := Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckSlack()
	var cfgErr *Error
	if !errors.As(err, &cfgErr) || cfgErr.Key != "slack.app_token" || !strings.Contains(err.Error(), "App-Level Tokens") || strings.Contains(err.Error(), "slack.bot_token") {
		t.Errorf("CheckSlack = %v; want only the app token named, with how to get it", err)
	}
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", "xapp-1-2-3")
	if c, err = Load(flags(t)); err != nil || c.CheckSlack() != nil {
		t.Errorf("with both tokens: Load %v, CheckSlack %v", err, c.CheckSlack())
	}
}

func TestSecretsAreMaskedInErrors(t *testing.T) {
	isolate(t)
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", "xapp-SECRET-VALUE")
	t.Setenv("ADPLAN_REDIS_URL", "http://user:hunter2@localhost:6379")
	_, err := Load(flags(t))
	if err == nil || strings.Contains(err.Error(), "SECRET-VALUE") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v shows a secret", err)
	}
}

func TestTokensAreNotFlags(t *testing.T) {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	RegisterFlags(fs)
	for _, name := range []string{"slack-app-token", "slack-bot-token", "app-token", "bot-token"} {
		if fs.Lookup(name) != nil {
			t.Errorf("--%s exists; tokens on the command line show up in ps", name)
		}
	}
}

func TestIDListsFromEveryLayer(t *testing.T) {
	dir := isolate(t)
	if err := os.WriteFile(filepath.Join(dir, "adplan.yaml"), []byte("slack:\n  allowed_teams: [T1, T2]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ADPLAN_BOT_APPROVERS", "U1, u2")
	c, err := Load(flags(t, "--allowed-apps", "A1"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Slack.AllowedTeams, []string{"T1", "T2"}) || !slices.Equal(c.Bot.Approvers, []string{"U1", "U2"}) || !slices.Equal(c.Slack.AllowedApps, []string{"A1"}) {
		t.Errorf("teams %v, approvers %v, apps %v", c.Slack.AllowedTeams, c.Bot.Approvers, c.Slack.AllowedApps)
	}
}

// Every setting with a flag belongs to one group, so that some command takes its
// flag, and no two commands' groups register it twice.
func TestEveryFlagIsInExactlyOneGroup(t *testing.T) {
	all := pflag.NewFlagSet("all", pflag.ContinueOnError)
	RegisterFlags(all)
	seen := map[string]int{}
	for _, g := range allGroups {
		fs := pflag.NewFlagSet("group", pflag.ContinueOnError)
		RegisterGroupFlags(fs, g)
		fs.VisitAll(func(f *pflag.Flag) { seen[f.Name]++ })
	}
	all.VisitAll(func(f *pflag.Flag) {
		if f.Name == FileFlag {
			if seen[f.Name] != 0 {
				t.Errorf("--%s is in a group; RegisterFileFlag adds it", f.Name)
			}
			return
		}
		if seen[f.Name] != 1 {
			t.Errorf("--%s is in %d groups, want 1", f.Name, seen[f.Name])
		}
	})
	withFlag := 0
	for _, k := range keys {
		if k.flag != "" { // the secrets have none
			withFlag++
		}
	}
	if len(seen) != withFlag {
		t.Errorf("the groups register %d flags for %d settings with flags", len(seen), withFlag)
	}
}

// A command that takes only some groups' flags still gets every setting from the
// environment and the file; the flags it takes set theirs.
func TestGroupFlagsAndTheOtherSettings(t *testing.T) {
	dir := isolate(t)
	if err := os.WriteFile(filepath.Join(dir, "adplan.yaml"), []byte("store:\n  thread_ttl: 48h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ADPLAN_BOT_WORKERS", "5")

	common := pflag.NewFlagSet("parse", pflag.ContinueOnError)
	RegisterFileFlag(common)
	RegisterGroupFlags(common, Common, Clock)
	if err := common.Parse([]string{"--workers", "3"}); err == nil {
		t.Errorf("--workers parsed in a flag set without the Serving group")
	}
	if err := common.Parse([]string{"--log-format", "json"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(common)
	if err != nil {
		t.Fatal(err)
	}
	if c.Bot.Workers != 5 || c.Store.ThreadTTL != 48*time.Hour || c.Log.Format != "json" {
		t.Errorf("without serve flags: workers %d (want 5 from the environment), thread TTL %v (want 48h from the file), log format %q (want json from the flag)",
			c.Bot.Workers, c.Store.ThreadTTL, c.Log.Format)
	}

	serve := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	RegisterFileFlag(serve)
	RegisterGroupFlags(serve, Common, Planning, Serving)
	if err := serve.Parse([]string{"--workers", "3", "--thread-ttl", "1h", "--redis-key-prefix", "test:"}); err != nil {
		t.Fatal(err)
	}
	if c, err = Load(serve); err != nil {
		t.Fatal(err)
	}
	if c.Bot.Workers != 3 || c.Store.ThreadTTL != time.Hour || c.Store.KeyPrefix != "test:" {
		t.Errorf("serve flags: workers %d, thread TTL %v, key prefix %q; want 3, 1h and test: from the flags", c.Bot.Workers, c.Store.ThreadTTL, c.Store.KeyPrefix)
	}
}
