package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The flags of the settings only `serve` uses.
var serveFlags = []string{
	"--slack-api-url", "--redis-url", "--redis-key-prefix", "--thread-ttl", "--workers", "--shutdown-grace",
	"--reclaim-after", "--approvers", "--allowed-teams", "--allowed-apps", "--updates-per-minute", "--ops-addr",
}

// The flags of the planner's settings, which every command that plans takes.
var planFlags = []string{"--history-path", "--default-market", "--channel"}

// The flags every command takes: the engine that reads briefs, and logging.
var commonFlags = []string{"--config", "--default-currency", "--specialist-timeout", "--max-message-bytes",
	"--llm-provider", "--llm-model", "--llm-base-url", "--llm-timeout", "--llm-max-concurrency", "--llm-mode",
	"--log-level", "--log-format"}

// The flags of the commands that read dates relative to a reference time.
var clockFlags = []string{"--now", "--timezone"}

func TestEachCommandListsOnlyTheFlagsItUses(t *testing.T) {
	tests := []struct {
		command string
		want    [][]string
		notWant [][]string
		// notMentioned must not appear anywhere in the help, in any case.
		notMentioned []string
	}{
		{"parse", [][]string{commonFlags, clockFlags, {"--json"}}, [][]string{serveFlags, planFlags}, []string{"slack", "redis", "token", "worker", "metrics"}},
		{"plan", [][]string{commonFlags, clockFlags, planFlags, {"--json", "--jsonl"}}, [][]string{serveFlags}, []string{"slack", "redis", "token", "worker"}},
		{"chat", [][]string{commonFlags, clockFlags, planFlags, {"--json"}}, [][]string{serveFlags}, []string{"slack", "redis", "token", "worker"}},
		{"bench", [][]string{commonFlags, clockFlags, planFlags, {"--json", "--n"}}, [][]string{serveFlags}, []string{"slack", "redis", "token", "worker"}},
		// The bot answers at the time a message arrives: serve reads no --now or time zone.
		{"serve", [][]string{commonFlags, planFlags, serveFlags}, [][]string{clockFlags}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			out, errOut, code := adplan(t, "", tt.command, "--help")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			listed := map[string]bool{}
			for line := range strings.Lines(out) {
				if f := strings.Fields(line); len(f) > 0 {
					name := f[0]
					if strings.HasPrefix(name, "-h,") && len(f) > 1 {
						name = f[1]
					}
					if strings.HasPrefix(name, "--") {
						listed[name] = true
					}
				}
			}
			for _, flags := range tt.want {
				for _, f := range flags {
					if !listed[f] {
						t.Errorf("adplan %s --help does not list %s", tt.command, f)
					}
				}
			}
			for _, flags := range tt.notWant {
				for _, f := range flags {
					if listed[f] {
						t.Errorf("adplan %s --help lists %s, which it does not use", tt.command, f)
					}
				}
			}
			for _, word := range tt.notMentioned {
				if strings.Contains(strings.ToLower(out), word) {
					t.Errorf("adplan %s --help mentions %q:\n%s", tt.command, word, out)
				}
			}
		})
	}
}

func TestServeHelpNamesTheSlackTokensAndRedis(t *testing.T) {
	out, _, code := adplan(t, "", "serve", "--help")
	for _, want := range []string{"ADPLAN_SLACK_APP_TOKEN", "ADPLAN_SLACK_BOT_TOKEN", "ADPLAN_REDIS_URL", "--redis-url", "--workers", "--ops-addr"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("adplan serve --help (exit %d) lacks %q", code, want)
		}
	}
}

func TestCommandsRefuseFlagsTheyDoNotUse(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"parse", "--workers", "3", "5k"}, "unknown flag: --workers"},
		{[]string{"parse", "--redis-url", "redis://127.0.0.1:6379/0", "5k"}, "unknown flag: --redis-url"},
		{[]string{"parse", "--channel", "direct", "5k"}, "unknown flag: --channel"},
		{[]string{"plan", "--ops-addr", "off", "5k"}, "unknown flag: --ops-addr"},
		{[]string{"chat", "--slack-api-url", "http://127.0.0.1:1/"}, "unknown flag: --slack-api-url"},
		{[]string{"serve", "--timezone", "Europe/Berlin"}, "unknown flag: --timezone"},
	}
	for _, tt := range tests {
		_, errOut, code := adplan(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("adplan %q: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
}

// A serve flag sets its setting: a bad value fails the setting's own check, which an
// unbound flag (leaving the default) would pass.
func TestServeFlagsSetTheirSettings(t *testing.T) {
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", "")
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", "")
	tests := []struct {
		args    []string
		wantKey string
	}{
		{[]string{"--workers", "0"}, "bot.workers"},
		{[]string{"--redis-key-prefix", "no spaces"}, "redis.key_prefix"},
		{[]string{"--redis-url", "http://127.0.0.1:6379"}, "redis.url"},
		{[]string{"--ops-addr", "nowhere"}, "ops.addr"},
		{[]string{"--updates-per-minute", "0"}, "slack.updates_per_minute"},
		{[]string{"--allowed-teams", "X1"}, "slack.allowed_teams"},
		{[]string{"--channel", "tv"}, "planner.channel"},
		{[]string{"--log-level", "loud"}, "log.level"},
	}
	for _, tt := range tests {
		_, errOut, code := adplan(t, "", append([]string{"serve"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tt.wantKey) {
			t.Errorf("adplan serve %q: exit %d, stderr %q; want %d naming %s", tt.args, code, errOut, exitUsage, tt.wantKey)
		}
	}
}

// The environment and the file still set every setting, whichever command runs:
// config.Load reads them all, flags or no flags.
func TestEnvironmentAndFileSetSettingsOfOtherCommands(t *testing.T) {
	t.Run("environment", func(t *testing.T) {
		t.Setenv("ADPLAN_BOT_WORKERS", "0")
		_, errOut, code := adplan(t, "", "parse", "--now", testNow, "5k")
		if code != exitUsage || !strings.Contains(errOut, "bot.workers") {
			t.Errorf("ADPLAN_BOT_WORKERS=0 adplan parse: exit %d, stderr %q; want the setting checked", code, errOut)
		}
	})
	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "adplan.yaml")
		if err := os.WriteFile(file, []byte("redis:\n  key_prefix: \"no spaces\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := adplan(t, "", "plan", "--config", file, "--now", testNow, "5k")
		if code != exitUsage || !strings.Contains(errOut, "redis.key_prefix") {
			t.Errorf("adplan plan with redis.key_prefix in the file: exit %d, stderr %q; want the setting checked", code, errOut)
		}
	})
	t.Run("planner setting from the environment", func(t *testing.T) {
		t.Setenv("ADPLAN_PLANNER_CHANNEL", "programmatic")
		out, errOut, code := adplan(t, "", "plan", "--json", "--now", testNow, "reach in Germany, €5,000, 30 days")
		var p struct{ Channel string }
		if code != 0 || json.Unmarshal([]byte(out), &p) != nil || p.Channel != "programmatic" {
			t.Errorf("ADPLAN_PLANNER_CHANNEL=programmatic adplan plan: exit %d, channel %q, stderr %q", code, p.Channel, errOut)
		}
	})
}

// serve takes --now without listing it: scripts that pass it to every command keep
// working.
func TestServeStillTakesNow(t *testing.T) {
	t.Setenv("ADPLAN_SLACK_APP_TOKEN", "")
	t.Setenv("ADPLAN_SLACK_BOT_TOKEN", "")
	_, errOut, code := adplan(t, "", "serve", "--now", testNow)
	if code != exitUsage || strings.Contains(errOut, "unknown flag") || !strings.Contains(errOut, "slack.app_token") {
		t.Errorf("adplan serve --now: exit %d, stderr %q; want it past the flags, missing the tokens", code, errOut)
	}
}
