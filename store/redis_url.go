package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// openPingTimeout bounds OpenRedis's first Ping, so a wrong address fails start-up in
// seconds rather than hanging; a shorter deadline on the caller's ctx wins.
const openPingTimeout = 5 * time.Second

// OpenRedis connects to the Redis that rawURL names (the forms are in the package
// doc), checks that it answers and returns a store that owns the client: Close it.
// Errors name the URL with its passwords masked.
func OpenRedis(ctx context.Context, rawURL string, opts RedisOptions) (*Redis, error) {
	client, err := newRedisClient(rawURL)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, openPingTimeout)
	defer cancel()
	if err := client.Ping(pingCtx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("connecting to redis at %s: %w", MaskRedisURL(rawURL), err)
	}
	return NewRedis(client, opts), nil
}

// newRedisClient builds, without connecting, the client rawURL asks for.
func newRedisClient(rawURL string) (redis.UniversalClient, error) {
	target, err := parseRedisURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("reading redis URL %s: %s", MaskRedisURL(rawURL), scrub(err, rawURL))
	}
	switch {
	case target.failover != nil:
		return redis.NewFailoverClient(target.failover), nil
	case target.cluster != nil:
		return redis.NewClusterClient(target.cluster), nil
	default:
		return redis.NewClient(target.simple), nil
	}
}

// redisTarget is a parsed URL: exactly one field is set.
type redisTarget struct {
	simple   *redis.Options
	cluster  *redis.ClusterOptions
	failover *redis.FailoverOptions
}

const redisSchemes = "redis, rediss, redis+cluster, rediss+cluster, redis+sentinel, rediss+sentinel or unix"

// parseRedisURL turns the forms in the package doc into the URLs go-redis's ParseURL,
// ParseClusterURL and ParseFailoverURL read: a scheme's +cluster or +sentinel picks
// the parser, and hosts after the first become addr parameters.
func parseRedisURL(rawURL string) (redisTarget, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return redisTarget{}, fmt.Errorf("not a URL; want for example redis://localhost:6379/0 (schemes: %s)", redisSchemes)
	}
	if scheme == "unix" {
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return redisTarget{}, err
		}
		return redisTarget{simple: o}, nil
	}
	base, mode, _ := strings.Cut(scheme, "+")
	if (base != "redis" && base != "rediss") || (mode != "" && mode != "cluster" && mode != "sentinel") {
		return redisTarget{}, fmt.Errorf("unknown scheme %q; want %s", scheme, redisSchemes)
	}

	authority, pathAndQuery := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, pathAndQuery = rest[:i], rest[i:]
	}
	if strings.Contains(pathAndQuery, "#") {
		return redisTarget{}, errors.New("a redis URL has no #fragment")
	}
	path, rawQuery, _ := strings.Cut(pathAndQuery, "?")
	userinfo, hostList := "", authority
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		userinfo, hostList = authority[:i+1], authority[i+1:]
	}
	hosts := strings.Split(hostList, ",")
	for i, h := range hosts {
		if h == "" {
			return redisTarget{}, errors.New("no host; want for example redis://localhost:6379/0")
		}
		if i > 0 {
			hosts[i] = withDefaultPort(h)
		}
	}
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return redisTarget{}, fmt.Errorf("reading the query: %w", err)
	}
	if mode == "" {
		switch {
		case query.Has("master_name"):
			mode = "sentinel"
		case len(hosts) > 1 || query.Has("addr"):
			mode = "cluster"
		}
	}
	query["addr"] = append(slices.Clone(hosts[1:]), query["addr"]...)
	rebuilt := base + "://" + userinfo + hosts[0] + path
	if q := query.Encode(); q != "" {
		rebuilt += "?" + q
	}

	switch mode {
	case "sentinel":
		if query.Get("master_name") == "" {
			return redisTarget{}, errors.New("a Sentinel URL needs ?master_name=<the master's name>")
		}
		o, err := redis.ParseFailoverURL(rebuilt)
		if err != nil {
			return redisTarget{}, err
		}
		return redisTarget{failover: o}, nil
	case "cluster":
		if db := strings.Trim(path, "/"); (db != "" && db != "0") || (query.Has("db") && query.Get("db") != "0") {
			return redisTarget{}, errors.New("a Redis Cluster has only database 0")
		}
		query.Del("db")
		rebuilt = base + "://" + userinfo + hosts[0]
		if q := query.Encode(); q != "" {
			rebuilt += "?" + q
		}
		o, err := redis.ParseClusterURL(rebuilt)
		if err != nil {
			return redisTarget{}, err
		}
		return redisTarget{cluster: o}, nil
	default:
		o, err := redis.ParseURL(rebuilt)
		if err != nil {
			return redisTarget{}, err
		}
		return redisTarget{simple: o}, nil
	}
}

// withDefaultPort adds Redis's port to a host that has none.
func withDefaultPort(host string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	return net.JoinHostPort(strings.Trim(host, "[]"), "6379")
}

// MaskRedisURL returns rawURL with every password in it (the user info's and the
// password and sentinel_password parameters) replaced by "xxxxx", for logs and
// errors. It works on malformed URLs too, masking more than needed rather than less.
func MaskRedisURL(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		if strings.Contains(rawURL, "@") {
			return "xxxxx" // not a URL: anything in it could be a secret
		}
		return rawURL
	}
	var b strings.Builder
	for piece, sep := range urlPieces(rest) {
		if name, _, ok := strings.Cut(piece, "="); ok && isPasswordParam(name) {
			piece = name + "=xxxxx"
		}
		b.WriteString(piece + sep)
	}
	rest = b.String()
	// The user info ends at the last "@", so a password with an unescaped "/", "?"
	// or "#" is still masked whole.
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if user, _, hasPassword := strings.Cut(rest[:at], ":"); hasPassword {
			rest = user + ":xxxxx" + rest[at:]
		}
	}
	return scheme + "://" + rest
}

// urlPieces yields s split at every "?" and "&", each piece with the separator after it.
func urlPieces(s string) func(yield func(piece, sep string) bool) {
	return func(yield func(piece, sep string) bool) {
		for s != "" {
			i := strings.IndexAny(s, "?&")
			if i < 0 {
				yield(s, "")
				return
			}
			if !yield(s[:i], s[i:i+1]) {
				return
			}
			s = s[i+1:]
		}
	}
}

func isPasswordParam(name string) bool {
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	return name == "password" || name == "sentinel_password"
}

// scrub returns err's text without rawURL's passwords. net/url's errors quote the
// whole URL, so only their reason is kept; any password left is masked.
func scrub(err error, rawURL string) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	msg := err.Error()
	for _, secret := range redisURLSecrets(rawURL) {
		// Very short ones would mask ordinary letters and cannot leak much.
		if len(secret) >= 3 {
			msg = strings.ReplaceAll(msg, secret, "xxxxx")
		}
	}
	return msg
}

// redisURLSecrets lists what MaskRedisURL masks in rawURL, as written and unescaped.
func redisURLSecrets(rawURL string) []string {
	var secrets []string
	add := func(s string) {
		secrets = append(secrets, s)
		if u, err := url.PathUnescape(s); err == nil && u != s {
			secrets = append(secrets, u)
		}
		if u, err := url.QueryUnescape(s); err == nil && u != s {
			secrets = append(secrets, u)
		}
	}
	_, rest, _ := strings.Cut(rawURL, "://")
	for piece := range urlPieces(rest) {
		if name, value, ok := strings.Cut(piece, "="); ok && isPasswordParam(name) {
			add(value)
		}
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if _, password, ok := strings.Cut(rest[:at], ":"); ok {
			add(password)
		}
	}
	return secrets
}
