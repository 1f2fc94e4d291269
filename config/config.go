// Package config reads adplan's settings — an optional adplan.yaml, ADPLAN_*
// environment variables and command-line flags, in rising order of precedence — into
// one typed, validated Config. It is the only package that knows about viper.
package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/biter777/countries"
	"github.com/spf13/cast"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Config is every setting adplan reads.
type Config struct {
	// DefaultCurrency (default_currency) is the ISO 4217 currency of a budget when
	// neither the brief nor its market names one.
	DefaultCurrency string
	// Location (timezone) is where "today" and "tomorrow" are reckoned.
	Location *time.Location
	Agents   Agents
	Planner  Planner
	Slack    Slack
	Store    Store
	Bot      Bot
	Ops      Ops
	HTTP     HTTP
	LLM      LLM
	Log      Log
	// File is the configuration file that was read, or "" when none was.
	File string
}

// Agents configures the decision engine.
type Agents struct {
	// SpecialistTimeout (agents.specialist_timeout) is each specialist's deadline.
	SpecialistTimeout time.Duration
	// MaxMessageBytes (agents.max_message_bytes) bounds one message.
	MaxMessageBytes int
}

// Planner configures the planner.
type Planner struct {
	// HistoryPath (planner.history_path) is a CSV export of past campaigns to learn
	// from instead of the embedded data set; "" uses the embedded one.
	HistoryPath string
	// DefaultMarket (planner.default_market) is the ISO 3166-1 alpha-2 market of a
	// brief that names none.
	DefaultMarket string
	// Channel (planner.channel) is the buying channel: direct, self-serve or programmatic.
	Channel string
}

// Slack configures the Slack connection of `adplan serve`.
type Slack struct {
	// AppToken (slack.app_token, $ADPLAN_SLACK_APP_TOKEN) is the app-level token
	// (xapp-…) with connections:write, for Socket Mode.
	AppToken string
	// BotToken (slack.bot_token, $ADPLAN_SLACK_BOT_TOKEN) is the bot token (xoxb-…).
	BotToken string
	// APIURL (slack.api_url) points the client at another Web API root, for tests.
	APIURL string
	// AllowedTeams and AllowedApps (slack.allowed_teams, slack.allowed_apps) are the
	// workspace and app ids whose events are served; empty means only the bot
	// token's own workspace (auth.test) and app (the socket's hello).
	AllowedTeams []string
	AllowedApps  []string
	// UpdatesPerMinute (slack.updates_per_minute) bounds the bot's chat.update calls
	// (progress cards, superseded plans); Slack allows about 50 a minute per
	// workspace. With Redis, every replica draws on one shared budget.
	UpdatesPerMinute int
	// RetryFor (slack.retry_for) bounds how long one Slack call waits out rate limits
	// and server errors before its job is left queued for a later try.
	RetryFor time.Duration
}

// Store configures where threads are kept.
type Store struct {
	// RedisURL (redis.url, $ADPLAN_REDIS_URL) selects Redis; "" keeps threads in memory.
	RedisURL string
	// ThreadTTL (store.thread_ttl) is how long a thread is kept after its last message.
	ThreadTTL time.Duration
	// KeyPrefix (redis.key_prefix) starts every key, so deployments can share a Redis.
	KeyPrefix string
	// Journal (bot.journal) is where serve keeps jobs acknowledged while Redis cannot
	// take them; "" is the default place, "off" none.
	Journal string
	// StartupWait (redis.startup_wait) is how long serve waits for Redis at start-up,
	// retrying with backoff while /readyz says why; 0 waits until it answers.
	StartupWait time.Duration
}

// Bot configures the Slack bot's work.
type Bot struct {
	// Workers (bot.workers) is how many threads are worked on at once.
	Workers int
	// ShutdownGrace (bot.shutdown_grace) bounds how long work in flight may take after
	// SIGTERM; what is not finished by then is handed back to the queue.
	ShutdownGrace time.Duration
	// ReclaimAfter (bot.reclaim_after) is how long a replica may go unheard (no
	// heartbeat, its jobs not renewed) before another replica claims its jobs.
	ReclaimAfter time.Duration
	// Approvers (bot.approvers) are the Slack user ids who may approve plans; empty
	// means anyone in the thread.
	Approvers []string
}

// Ops configures the operations endpoints of `adplan serve`.
type Ops struct {
	// Addr (ops.addr, $ADPLAN_OPS_ADDR) is the host:port that serves /healthz,
	// /readyz and /metrics; "" when they are off (the setting "" or "off").
	Addr string
}

// HTTP configures the HTTP API of `adplan serve`.
type HTTP struct {
	// Addr (http.addr, $ADPLAN_HTTP_ADDR) is the host:port the API listens on; "" (or
	// "off") when it is off.
	Addr string
	// Tokens (http.tokens, $ADPLAN_HTTP_TOKENS) are the bearer tokens the API accepts,
	// each with the name its threads belong to. In adplan.yaml a list of {name,
	// token}; in the environment "name:token,name:token".
	Tokens []HTTPToken
	// MaxBodyBytes (http.max_body_bytes) bounds a request body.
	MaxBodyBytes int64
	// RateLimit (http.rate_limit) is the requests a second each token may make, in
	// bursts of up to RateBurst (http.rate_burst); 0 is no limit.
	RateLimit float64
	RateBurst int
}

// HTTPToken is one bearer token of the HTTP API and the name its threads belong to.
type HTTPToken struct {
	Name  string
	Token string
}

// LLM configures the optional language model behind the specialists.
type LLM struct {
	// Provider (llm.provider) is none (the rule-based engine only), openai (and any
	// OpenAI-compatible endpoint: vLLM, LM Studio, llama.cpp server, Azure), anthropic,
	// ollama or googleai.
	Provider string
	// Model (llm.model) is the provider's model name.
	Model string
	// BaseURL (llm.base_url) points the client at another endpoint.
	BaseURL string
	// APIKey (llm.api_key, $ADPLAN_LLM_API_KEY) is the provider's key.
	APIKey string
	// Timeout (llm.timeout) bounds one model call.
	Timeout time.Duration
	// MaxConcurrency (llm.max_concurrency) bounds model calls in flight at once.
	MaxConcurrency int
	// Mode (llm.mode) is hybrid (the model only where the rules could not read a
	// slot, or read it with low confidence) or always.
	Mode string
}

// LLM providers adplan speaks through langchaingo.
var LLMProviders = []string{"none", "openai", "anthropic", "ollama", "googleai"}

// Log configures logging.
type Log struct {
	// Level (log.level) is debug, info, warn or error.
	Level slog.Level
	// Format (log.format) is text or json.
	Format string
}

// A Group is a set of settings that the same commands use. A command takes flags
// for the groups it uses only; every setting can still come from the file or the
// environment, whichever command runs.
type Group int

const (
	// Common settings are used by every command: reading briefs (the default
	// currency, the specialists, the language model behind them) and logging.
	Common Group = iota
	// Clock is where "today" is reckoned, for the commands that read dates
	// relative to --now.
	Clock
	// Planning settings are the planner's: its history, default market and
	// buying channel.
	Planning
	// Serving settings are those of the Slack bot (`adplan serve`): Slack, Redis,
	// the bot's workers and the operations endpoints.
	Serving
)

// allGroups are all the groups.
var allGroups = []Group{Common, Clock, Planning, Serving}

// A key is one setting: its name in adplan.yaml, its flag, its default and help,
// and its group. The environment variable is ADPLAN_ and the name upper-cased with
// "." as "_".
type key struct {
	name, flag, usage string
	def               any
	group             Group
}

var keys = []key{
	{"default_currency", "default-currency", "ISO 4217 currency for budgets that name none and have no market", "USD", Common},
	{"timezone", "timezone", "IANA time zone where \"today\" is reckoned", "UTC", Clock},
	{"agents.specialist_timeout", "specialist-timeout", "deadline for each specialist", "2s", Common},
	{"agents.max_message_bytes", "max-message-bytes", "longest message read, in bytes", 8192, Common},
	{"planner.history_path", "history-path", "CSV of past campaigns to learn from (default: the embedded data set)", "", Planning},
	{"planner.default_market", "default-market", "ISO 3166-1 alpha-2 market of briefs that name none", "US", Planning},
	{"planner.channel", "channel", "buying channel: direct, self-serve or programmatic", "self-serve", Planning},
	{"slack.app_token", "", "Slack app-level token (xapp-…) for Socket Mode", "", Serving},
	{"slack.bot_token", "", "Slack bot token (xoxb-…)", "", Serving},
	{"slack.api_url", "slack-api-url", "Slack Web API root (for tests)", "", Serving},
	{"redis.url", "redis-url", "Redis URL (redis://, rediss://; cluster and sentinel forms); empty keeps threads in memory", "", Serving},
	{"bot.journal", "journal", "file keeping (fsynced) jobs acknowledged while Redis cannot take them, so a replica that dies meanwhile loses none (default: $XDG_STATE_HOME/adplan/journal.db, or ~/.local/state/...; off: none)", "", Serving},
	{"redis.startup_wait", "redis-startup-wait", "how long serve waits for Redis at start-up, retrying with backoff (0: until it answers)", "0s", Serving},
	{"redis.key_prefix", "redis-key-prefix", "prefix of every Redis key, so deployments can share one Redis", "adplan:", Serving},
	{"store.thread_ttl", "thread-ttl", "how long a thread is kept after its last message", "720h", Serving},
	{"bot.workers", "workers", "how many threads the bot works on at once", 8, Serving},
	{"bot.shutdown_grace", "shutdown-grace", "how long work in flight may take after SIGTERM", "10s", Serving},
	{"bot.reclaim_after", "reclaim-after", "how long a replica may go unheard before another claims its jobs", "5s", Serving},
	{"bot.approvers", "approvers", "Slack user ids who may approve plans, comma-separated (default: anyone)", "", Serving},
	{"slack.allowed_teams", "allowed-teams", "Slack team ids whose events are served, comma-separated (default: only the bot token's own workspace)", "", Serving},
	{"slack.retry_for", "slack-retry-for", "how long a Slack call waits out rate limits (Retry-After) and server errors before its job is left queued for a later try", "5m", Serving},
	{"slack.updates_per_minute", "updates-per-minute", "chat.update calls a minute the bot may make, all replicas together when they share Redis (Slack allows about 50 per workspace)", 40, Serving},
	{"slack.allowed_apps", "allowed-apps", "Slack app ids whose events are served, comma-separated (default: only the app whose token opened the socket)", "", Serving},
	{"ops.addr", "ops-addr", "host:port serving /healthz, /readyz and /metrics; \"off\" turns them off", "127.0.0.1:9090", Serving},
	{"http.addr", "http-addr", "host:port serving the HTTP API (/v1/plans, /v1/threads, /openapi.json); empty or \"off\" turns it off", "", Serving},
	{"http.tokens", "", "the HTTP API's bearer tokens: in adplan.yaml a list of {name, token}; in the environment name:token,name:token", "", Serving},
	{"http.max_body_bytes", "http-max-body-bytes", "largest HTTP API request body, in bytes", 1 << 20, Serving},
	{"http.rate_limit", "http-rate-limit", "HTTP API requests a second each token may make (0: no limit)", "20", Serving},
	{"http.rate_burst", "http-rate-burst", "HTTP API requests a token may make at once above its rate", 40, Serving},
	{"llm.provider", "llm-provider", "language model provider: none, openai (and OpenAI-compatible), anthropic, ollama or googleai", "none", Common},
	{"llm.model", "llm-model", "the provider's model name", "", Common},
	{"llm.base_url", "llm-base-url", "the provider's endpoint, for OpenAI-compatible servers, Azure or a local Ollama", "", Common},
	{"llm.api_key", "", "the provider's API key", "", Common},
	{"llm.timeout", "llm-timeout", "deadline for one model call", "10s", Common},
	{"llm.max_concurrency", "llm-max-concurrency", "model calls in flight at once", 4, Common},
	{"llm.mode", "llm-mode", "hybrid (the model only where the rules fall short) or always", "hybrid", Common},
	{"log.level", "log-level", "debug, info, warn or error", "info", Common},
	{"log.format", "log-format", "text or json", "text", Common},
}

// FileFlag names the flag that points at a configuration file.
const FileFlag = "config"

// EnvPrefix prefixes every environment variable adplan reads.
const EnvPrefix = "ADPLAN"

// RegisterFlags adds --config and a flag for every setting to fs, for a program
// whose one command uses them all.
func RegisterFlags(fs *pflag.FlagSet) {
	RegisterFileFlag(fs)
	RegisterGroupFlags(fs, allGroups...)
}

// RegisterFileFlag adds --config, which names the configuration file, to fs.
func RegisterFileFlag(fs *pflag.FlagSet) {
	fs.String(FileFlag, "", "configuration file (default: ./adplan.yaml or ~/.config/adplan/adplan.yaml when present; $ADPLAN_CONFIG)")
}

// RegisterGroupFlags adds a flag for every setting of the groups to fs. Secrets
// have none: on the command line, ps would show them.
func RegisterGroupFlags(fs *pflag.FlagSet, groups ...Group) {
	for _, k := range keys {
		if k.flag == "" || !slices.Contains(groups, k.group) {
			continue
		}
		switch d := k.def.(type) {
		case int:
			fs.Int(k.flag, d, k.usage+" ($"+envName(k.name)+")")
		default:
			fs.String(k.flag, fmt.Sprint(d), k.usage+" ($"+envName(k.name)+")")
		}
	}
}

// Error is a bad setting; Key names it as adplan.yaml spells it.
type Error struct {
	Key    string
	Value  any
	Reason string
}

func (e *Error) Error() string {
	if e.Value == nil {
		return fmt.Sprintf("config: %s %s", e.Key, e.Reason)
	}
	return fmt.Sprintf("config: %s: %q %s", e.Key, fmt.Sprint(e.Value), e.Reason)
}

// Load reads the settings. fs may be nil; flags it holds that the user set override
// the environment, which overrides the file, which overrides the defaults.
func Load(fs *pflag.FlagSet) (Config, error) {
	v := viper.New()
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	for _, k := range keys {
		v.SetDefault(k.name, k.def)
		if fs != nil {
			if f := fs.Lookup(k.flag); f != nil {
				if err := v.BindPFlag(k.name, f); err != nil {
					return Config{}, fmt.Errorf("binding flag --%s: %w", k.flag, err)
				}
			}
		}
	}

	file, err := configFile(fs)
	if err != nil {
		return Config{}, err
	}
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("config: reading %s: %w", file, err)
		}
		if err := checkKnownKeys(file); err != nil {
			return Config{}, err
		}
	}
	return decode(v, file)
}

// configFile picks the file to read: --config, then $ADPLAN_CONFIG, then adplan.yaml
// in the working directory or ~/.config/adplan. A file named explicitly must exist.
func configFile(fs *pflag.FlagSet) (string, error) {
	named := ""
	if fs != nil {
		if f := fs.Lookup(FileFlag); f != nil && f.Changed {
			named = f.Value.String()
		}
	}
	if named == "" {
		named = os.Getenv(EnvPrefix + "_CONFIG")
	}
	if named != "" {
		if _, err := os.Stat(named); err != nil {
			return "", fmt.Errorf("config: configuration file %s: %w", named, err)
		}
		return named, nil
	}
	candidates := []string{"adplan.yaml"}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, ".config", "adplan", "adplan.yaml"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", nil
}

// checkKnownKeys rejects settings adplan does not know, so a typo in adplan.yaml is
// reported instead of silently ignored.
func checkKnownKeys(file string) error {
	fv := viper.New()
	fv.SetConfigFile(file)
	if err := fv.ReadInConfig(); err != nil {
		return fmt.Errorf("config: reading %s: %w", file, err)
	}
	for _, k := range fv.AllKeys() {
		if !slices.ContainsFunc(keys, func(known key) bool { return known.name == k }) {
			return &Error{Key: k, Value: fv.Get(k), Reason: fmt.Sprintf("is not a setting adplan knows (in %s)", file)}
		}
	}
	return nil
}

// decode reads every setting from v into a Config and checks it. It reports every
// bad setting at once, in the order of the keys, so that one run shows all there is
// to fix.
func decode(v *viper.Viper, file string) (Config, error) {
	c := Config{File: file}
	d := &decoder{v: v}
	d.general(&c)
	d.agents(&c.Agents)
	d.planner(&c.Planner)
	d.slackConnection(&c.Slack)
	d.store(&c.Store)
	d.bot(&c)
	d.ops(&c.Ops)
	d.http(&c.HTTP)
	d.llm(&c.LLM)
	d.log(&c.Log)
	if len(d.errs) > 0 {
		return Config{}, errors.Join(d.errs...)
	}
	return c, nil
}

// decoder reads settings from viper and collects what is wrong with them.
type decoder struct {
	v    *viper.Viper
	errs []error
}

// bad records that the setting k is wrong, quoting its value.
func (d *decoder) bad(k string, reason string) {
	d.errs = append(d.errs, &Error{Key: k, Value: d.v.Get(k), Reason: reason})
}

// badSecret records that the secret setting k is wrong without quoting it.
func (d *decoder) badSecret(k, secret, reason string) {
	d.errs = append(d.errs, &Error{Key: k, Value: mask(secret), Reason: reason})
}

// general reads the default currency and the time zone.
func (d *decoder) general(c *Config) {
	v := d.v
	c.DefaultCurrency = strings.ToUpper(strings.TrimSpace(v.GetString("default_currency")))
	if !isCurrency(c.DefaultCurrency) {
		d.bad("default_currency", "is not an ISO 4217 currency code (such as USD, EUR, GBP)")
	}

	loc, err := time.LoadLocation(v.GetString("timezone"))
	if err != nil || v.GetString("timezone") == "" {
		d.bad("timezone", "is not an IANA time zone (such as UTC, Europe/Berlin)")
	}
	c.Location = loc
}

// agents reads the specialists' deadline and the longest message they read.
func (d *decoder) agents(a *Agents) {
	v := d.v
	timeout, err := cast.ToDurationE(v.Get("agents.specialist_timeout"))
	switch {
	case err != nil:
		d.bad("agents.specialist_timeout", "is not a duration (such as 2s or 500ms)")
	case timeout <= 0 || timeout > time.Minute:
		d.bad("agents.specialist_timeout", "must be more than 0 and at most 1m")
	}
	a.SpecialistTimeout = timeout

	maxBytes, err := cast.ToIntE(v.Get("agents.max_message_bytes"))
	switch {
	case err != nil:
		d.bad("agents.max_message_bytes", "is not a whole number of bytes")
	case maxBytes < 256 || maxBytes > 1<<20:
		d.bad("agents.max_message_bytes", "must be between 256 and 1048576")
	}
	a.MaxMessageBytes = maxBytes
}

// planner reads the history file, which must exist, the default market and the
// channel.
func (d *decoder) planner(p *Planner) {
	v := d.v
	p.HistoryPath = v.GetString("planner.history_path")
	if p.HistoryPath != "" {
		if st, err := os.Stat(p.HistoryPath); err != nil || st.IsDir() {
			d.bad("planner.history_path", "is not a readable file")
		}
	}
	p.DefaultMarket = strings.ToUpper(strings.TrimSpace(v.GetString("planner.default_market")))
	if countries.ByName(p.DefaultMarket) == countries.Unknown || len(p.DefaultMarket) != 2 {
		d.bad("planner.default_market", "is not an ISO 3166-1 alpha-2 country code (such as US, DE)")
	}
	p.Channel = strings.ToLower(strings.TrimSpace(v.GetString("planner.channel")))
	if !slices.Contains([]string{"direct", "self-serve", "programmatic"}, p.Channel) {
		d.bad("planner.channel", "is not one of direct, self-serve, programmatic")
	}
}

// slackConnection reads the Slack tokens and Web API root. A token of the wrong
// kind is reported masked, with how to get the right one; a missing one only when
// serving (CheckSlack).
func (d *decoder) slackConnection(s *Slack) {
	v := d.v
	s.AppToken = strings.TrimSpace(v.GetString("slack.app_token"))
	if s.AppToken != "" && !strings.HasPrefix(s.AppToken, "xapp-") {
		d.badSecret("slack.app_token", s.AppToken, "is not an app-level token: it starts with xapp- ("+appTokenHowTo+")")
	}
	s.BotToken = strings.TrimSpace(v.GetString("slack.bot_token"))
	if s.BotToken != "" && !strings.HasPrefix(s.BotToken, "xoxb-") {
		d.badSecret("slack.bot_token", s.BotToken, "is not a bot token: it starts with xoxb- ("+botTokenHowTo+")")
	}
	s.APIURL = strings.TrimSpace(v.GetString("slack.api_url"))
	if s.APIURL != "" {
		if u, err := url.Parse(s.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.bad("slack.api_url", "is not an http(s) URL")
		} else if !strings.HasSuffix(s.APIURL, "/") {
			s.APIURL += "/"
		}
	}
}

// store reads where threads are kept. The Redis URL may hold a password, so it is
// reported masked.
func (d *decoder) store(s *Store) {
	v := d.v
	s.RedisURL = strings.TrimSpace(v.GetString("redis.url"))
	if s.RedisURL != "" {
		if u, err := url.Parse(s.RedisURL); err != nil || !strings.HasPrefix(u.Scheme, "redis") {
			d.badSecret("redis.url", s.RedisURL, "is not a redis:// or rediss:// URL")
		}
	}
	s.KeyPrefix = v.GetString("redis.key_prefix")
	if s.KeyPrefix == "" || strings.ContainsAny(s.KeyPrefix, " {}*?[]") {
		d.bad("redis.key_prefix", "must be non-empty, without spaces, braces or glob characters")
	}
	s.Journal = strings.TrimSpace(v.GetString("bot.journal"))
	wait, err := cast.ToDurationE(v.Get("redis.startup_wait"))
	if err != nil || wait < 0 {
		d.bad("redis.startup_wait", "is not a duration of 0 or more (such as 2m; 0 waits until Redis answers)")
	}
	s.StartupWait = wait
	ttl, err := cast.ToDurationE(v.Get("store.thread_ttl"))
	if err != nil || ttl <= 0 {
		d.bad("store.thread_ttl", "is not a positive duration (such as 720h)")
	}
	s.ThreadTTL = ttl
}

// bot reads how the bot works: its workers, shutdown and reclaim times, its
// budget of chat.update calls, and whom it answers (approvers, teams and apps).
func (d *decoder) bot(c *Config) {
	v := d.v
	workers, err := cast.ToIntE(v.Get("bot.workers"))
	if err != nil || workers < 1 || workers > 1024 {
		d.bad("bot.workers", "must be a whole number from 1 to 1024")
	}
	c.Bot.Workers = workers
	if c.Bot.ShutdownGrace, err = cast.ToDurationE(v.Get("bot.shutdown_grace")); err != nil || c.Bot.ShutdownGrace <= 0 || c.Bot.ShutdownGrace > 10*time.Minute {
		d.bad("bot.shutdown_grace", "must be a duration above 0 and at most 10m")
	}
	if c.Bot.ReclaimAfter, err = cast.ToDurationE(v.Get("bot.reclaim_after")); err != nil || c.Bot.ReclaimAfter < 100*time.Millisecond || c.Bot.ReclaimAfter > time.Hour {
		d.bad("bot.reclaim_after", "must be a duration from 100ms to 1h")
	}
	if c.Slack.RetryFor, err = cast.ToDurationE(v.Get("slack.retry_for")); err != nil || c.Slack.RetryFor <= 0 {
		d.bad("slack.retry_for", "is not a positive duration (such as 5m)")
	}
	if c.Slack.UpdatesPerMinute, err = cast.ToIntE(v.Get("slack.updates_per_minute")); err != nil || c.Slack.UpdatesPerMinute < 1 || c.Slack.UpdatesPerMinute > 100000 {
		d.bad("slack.updates_per_minute", "must be a whole number from 1 to 100000")
	}
	var badID bool
	if c.Bot.Approvers, badID = idList(v.Get("bot.approvers"), 'U', 'W'); badID {
		d.bad("bot.approvers", "is not a list of Slack user ids (such as U012ABC,U034DEF)")
	}
	if c.Slack.AllowedTeams, badID = idList(v.Get("slack.allowed_teams"), 'T', 'E'); badID {
		d.bad("slack.allowed_teams", "is not a list of Slack team ids (such as T012ABC)")
	}
	if c.Slack.AllowedApps, badID = idList(v.Get("slack.allowed_apps"), 'A'); badID {
		d.bad("slack.allowed_apps", "is not a list of Slack app ids (such as A012ABC)")
	}
}

// ops reads the address of the operations endpoints; "off" turns them off.
func (d *decoder) ops(o *Ops) {
	o.Addr = strings.TrimSpace(d.v.GetString("ops.addr"))
	if strings.EqualFold(o.Addr, "off") {
		o.Addr = ""
	}
	if o.Addr != "" && !isHostPort(o.Addr) {
		d.bad("ops.addr", "is not a host:port to listen on (such as 127.0.0.1:9090 or :9090), or off")
	}
}

// http reads the HTTP API's address, tokens, body limit and rate limit. Tokens are
// secrets: errors name them by their name and position, never their value.
func (d *decoder) http(h *HTTP) {
	v := d.v
	h.Addr = strings.TrimSpace(v.GetString("http.addr"))
	if strings.EqualFold(h.Addr, "off") {
		h.Addr = ""
	}
	if h.Addr != "" && !isHostPort(h.Addr) {
		d.bad("http.addr", "is not a host:port to listen on (such as 127.0.0.1:8080 or :8080), or off")
	}
	tokens, problem := httpTokens(v.Get("http.tokens"))
	if problem != "" {
		d.errs = append(d.errs, &Error{Key: "http.tokens", Reason: problem})
	}
	h.Tokens = tokens
	if h.Addr != "" && len(tokens) == 0 && problem == "" {
		d.errs = append(d.errs, &Error{Key: "http.tokens", Reason: "is missing: the HTTP API needs at least one bearer token (ADPLAN_HTTP_TOKENS=name:token, a token of 16 or more characters such as the output of openssl rand -hex 32)"})
	}
	maxBody, err := cast.ToInt64E(v.Get("http.max_body_bytes"))
	if err != nil || maxBody < 1024 || maxBody > 64<<20 {
		d.bad("http.max_body_bytes", "must be a whole number of bytes from 1024 to 67108864")
	}
	h.MaxBodyBytes = maxBody
	limit, err := cast.ToFloat64E(v.Get("http.rate_limit"))
	if err != nil || limit < 0 || limit > 1e6 {
		d.bad("http.rate_limit", "must be a number of requests a second from 0 (no limit) to 1000000")
	}
	h.RateLimit = limit
	burst, err := cast.ToIntE(v.Get("http.rate_burst"))
	if err != nil || burst < 1 || burst > 1e6 {
		d.bad("http.rate_burst", "must be a whole number from 1 to 1000000")
	}
	h.RateBurst = burst
}

// httpTokens reads the API tokens: a YAML list of {name, token} maps, or a string
// "name:token,name:token" (the environment's form). problem says what is wrong,
// naming tokens by name and position only.
func httpTokens(raw any) (tokens []HTTPToken, problem string) {
	switch r := raw.(type) {
	case nil:
	case string:
		for i, part := range strings.FieldsFunc(r, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' }) {
			name, tok, ok := strings.Cut(part, ":")
			if !ok {
				return nil, fmt.Sprintf("entry %d is not name:token", i+1)
			}
			tokens = append(tokens, HTTPToken{Name: strings.TrimSpace(name), Token: strings.TrimSpace(tok)})
		}
	case []any:
		for i, e := range r {
			m, err := cast.ToStringMapStringE(e)
			if err != nil {
				return nil, fmt.Sprintf("entry %d is not a map of name and token", i+1)
			}
			for k := range m {
				if k != "name" && k != "token" {
					return nil, fmt.Sprintf("entry %d has %q; an entry has only name and token", i+1, k)
				}
			}
			tokens = append(tokens, HTTPToken{Name: strings.TrimSpace(m["name"]), Token: strings.TrimSpace(m["token"])})
		}
	default:
		return nil, "is not a list of {name, token} or a string name:token,name:token"
	}
	seen := map[string]bool{}
	for i, t := range tokens {
		switch {
		case !tokenName(t.Name):
			return nil, fmt.Sprintf("entry %d: name %q must be 1 to 64 letters, digits, '.', '_' or '-'", i+1, t.Name)
		case len(t.Token) < 16:
			return nil, fmt.Sprintf("entry %d (%s): the token must be at least 16 characters", i+1, t.Name)
		case seen[t.Token]:
			return nil, fmt.Sprintf("entry %d (%s): the same token is given to another name", i+1, t.Name)
		}
		seen[t.Token] = true
	}
	return tokens, ""
}

func tokenName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	return strings.IndexFunc(n, func(c rune) bool {
		return (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '.' && c != '_' && c != '-'
	}) < 0
}

// llm reads the language model settings. A provider other than a local Ollama
// needs a key, or an endpoint of its own that may not.
func (d *decoder) llm(l *LLM) {
	v := d.v
	l.Provider = strings.ToLower(strings.TrimSpace(v.GetString("llm.provider")))
	if !slices.Contains(LLMProviders, l.Provider) {
		d.bad("llm.provider", "is not one of "+strings.Join(LLMProviders, ", "))
	}
	l.Model = strings.TrimSpace(v.GetString("llm.model"))
	l.BaseURL = strings.TrimSpace(v.GetString("llm.base_url"))
	if l.BaseURL != "" {
		if u, err := url.Parse(l.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.bad("llm.base_url", "is not an http(s) URL")
		}
	}
	l.APIKey = strings.TrimSpace(v.GetString("llm.api_key"))
	llmTimeout, err := cast.ToDurationE(v.Get("llm.timeout"))
	if err != nil || llmTimeout <= 0 || llmTimeout > 5*time.Minute {
		d.bad("llm.timeout", "must be a duration above 0 and at most 5m")
	}
	l.Timeout = llmTimeout
	conc, err := cast.ToIntE(v.Get("llm.max_concurrency"))
	if err != nil || conc < 1 || conc > 256 {
		d.bad("llm.max_concurrency", "must be a whole number from 1 to 256")
	}
	l.MaxConcurrency = conc
	l.Mode = strings.ToLower(strings.TrimSpace(v.GetString("llm.mode")))
	if l.Mode != "hybrid" && l.Mode != "always" {
		d.bad("llm.mode", "is not one of hybrid, always")
	}
	if l.Provider != "none" && l.Provider != "ollama" && l.APIKey == "" && l.BaseURL == "" {
		d.errs = append(d.errs, &Error{Key: "llm.api_key", Reason: "is missing: provider " + l.Provider + " needs ADPLAN_LLM_API_KEY (or llm.base_url for a local OpenAI-compatible server)"})
	}
}

// log reads the log level and format.
func (d *decoder) log(l *Log) {
	if err := l.Level.UnmarshalText([]byte(d.v.GetString("log.level"))); err != nil {
		d.bad("log.level", "is not one of debug, info, warn, error")
	}
	l.Format = strings.ToLower(d.v.GetString("log.format"))
	if l.Format != "text" && l.Format != "json" {
		d.bad("log.format", "is not one of text, json")
	}
}

var currencyCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range countries.AllCurrencies() {
		if a := c.Alpha(); len(a) == 3 {
			m[a] = true
		}
	}
	return m
}()

func isCurrency(code string) bool { return currencyCodes[code] }

// isHostPort reports whether addr is a listen address: an optional host and a port
// from 0 to 65535.
func isHostPort(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || strings.ContainsAny(host, " /") {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535 && port == strconv.Itoa(n)
}

const (
	appTokenHowTo = "create one under Basic Information → App-Level Tokens of your Slack app, with the connections:write scope, and set ADPLAN_SLACK_APP_TOKEN"
	botTokenHowTo = "install the app to your workspace and copy the Bot User OAuth Token from OAuth & Permissions into ADPLAN_SLACK_BOT_TOKEN"
)

// idList reads a list of Slack ids written as a YAML list or a comma- or space-separated
// string, and reports whether any does not start with one of the given letters.
func idList(raw any, prefixes ...byte) ([]string, bool) {
	var parts []string
	switch r := raw.(type) {
	case nil:
	case string:
		parts = strings.FieldsFunc(r, func(c rune) bool { return c == ',' || c == ' ' || c == ';' })
	default:
		parts = cast.ToStringSlice(r)
	}
	var ids []string
	bad := false
	for _, p := range parts {
		p = strings.ToUpper(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if len(p) < 2 || !slices.Contains(prefixes, p[0]) || strings.IndexFunc(p, func(c rune) bool {
			return (c < 'A' || c > 'Z') && (c < '0' || c > '9')
		}) >= 0 {
			bad = true
		}
		ids = append(ids, p)
	}
	return ids, bad
}

// ServesSlack reports whether serve should connect to Slack: when a Slack token is
// set, or when nothing else (the HTTP API) is on.
func (c Config) ServesSlack() bool {
	return c.Slack.AppToken != "" || c.Slack.BotToken != "" || c.HTTP.Addr == ""
}

// CheckSlack reports a missing Slack token, naming it and how to get it: serving
// Slack needs both, the other commands neither.
func (c Config) CheckSlack() error {
	var errs []error
	if c.Slack.AppToken == "" {
		errs = append(errs, &Error{Key: "slack.app_token", Reason: "is missing: " + appTokenHowTo})
	}
	if c.Slack.BotToken == "" {
		errs = append(errs, &Error{Key: "slack.bot_token", Reason: "is missing: " + botTokenHowTo})
	}
	return errors.Join(errs...)
}

// mask hides all but the start of a secret, so errors can name it safely.
func mask(secret string) string {
	if u, err := url.Parse(secret); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	if len(secret) <= 5 {
		return "…"
	}
	return secret[:5] + "…"
}

func envName(name string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(name, ".", "_"))
}

// Logger builds the logger the settings ask for, writing to w.
func (c Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.Log.Level}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
