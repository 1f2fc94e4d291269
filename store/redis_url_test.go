package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// urlWant is what a URL must parse to; only the fields a case sets are checked.
type urlWant struct {
	kind     string // "simple", "cluster" or "failover"
	addrs    []string
	db       int
	user     string
	password string
	tls      bool
	master   string
	sentinel string // the Sentinels' password
	dial     time.Duration
	pool     int
}

func TestParseRedisURL(t *testing.T) {
	tests := []struct {
		give string
		want urlWant
	}{
		{give: "redis://127.0.0.1:6379/0", want: urlWant{kind: "simple", addrs: []string{"127.0.0.1:6379"}}},
		{give: "redis://localhost", want: urlWant{kind: "simple", addrs: []string{"localhost:6379"}}},
		{give: "redis://:s3cret@redis.example.com:6380/2", want: urlWant{kind: "simple", addrs: []string{"redis.example.com:6380"}, db: 2, password: "s3cret"}},
		{give: "redis://app:p%40ss@host:6379/1?dial_timeout=3s&pool_size=20", want: urlWant{kind: "simple", addrs: []string{"host:6379"}, db: 1, user: "app", password: "p@ss", dial: 3 * time.Second, pool: 20}},
		{give: "rediss://app:pw@cache.example.com:6380", want: urlWant{kind: "simple", addrs: []string{"cache.example.com:6380"}, user: "app", password: "pw", tls: true}},
		{give: "redis://[::1]:6379/3", want: urlWant{kind: "simple", addrs: []string{"[::1]:6379"}, db: 3}},
		{give: "unix:///var/run/redis.sock?db=4", want: urlWant{kind: "simple", addrs: []string{"/var/run/redis.sock"}, db: 4}},

		{give: "redis://h1:7000,h2:7001,h3", want: urlWant{kind: "cluster", addrs: []string{"h1:7000", "h2:7001", "h3:6379"}}},
		{give: "redis://:pw@h1:7000,h2:7001/0", want: urlWant{kind: "cluster", addrs: []string{"h1:7000", "h2:7001"}, password: "pw"}},
		{give: "redis://:pw@h1:7000?addr=h2:7001&addr=h3:7002", want: urlWant{kind: "cluster", addrs: []string{"h1:7000", "h2:7001", "h3:7002"}, password: "pw"}},
		{give: "rediss://h1:7000,h2:7001?dial_timeout=2s", want: urlWant{kind: "cluster", addrs: []string{"h1:7000", "h2:7001"}, tls: true, dial: 2 * time.Second}},
		{give: "redis+cluster://config.example.com:6379", want: urlWant{kind: "cluster", addrs: []string{"config.example.com:6379"}}},
		{give: "rediss+cluster://u:pw@config.example.com", want: urlWant{kind: "cluster", addrs: []string{"config.example.com:6379"}, user: "u", password: "pw", tls: true}},

		{give: "redis+sentinel://s1:26379,s2:26379?master_name=mymaster&password=masterpw", want: urlWant{kind: "failover", addrs: []string{"s1:26379", "s2:26379"}, master: "mymaster", password: "masterpw"}},
		{give: "redis+sentinel://:sentpw@s1:26379/2?master_name=mymaster", want: urlWant{kind: "failover", addrs: []string{"s1:26379"}, master: "mymaster", sentinel: "sentpw", db: 2}},
		{give: "redis://s1:26379?master_name=mymaster&addr=s2:26379", want: urlWant{kind: "failover", addrs: []string{"s1:26379", "s2:26379"}, master: "mymaster"}},
		{give: "rediss+sentinel://s1:26379?master_name=m", want: urlWant{kind: "failover", addrs: []string{"s1:26379"}, master: "m", tls: true}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			target, err := parseRedisURL(tt.give)
			if err != nil {
				t.Fatalf("parseRedisURL: %v", err)
			}
			var got urlWant
			switch {
			case target.simple != nil:
				o := target.simple
				got = urlWant{kind: "simple", addrs: []string{o.Addr}, db: o.DB, user: o.Username, password: o.Password,
					tls: o.TLSConfig != nil, dial: o.DialTimeout, pool: o.PoolSize}
			case target.cluster != nil:
				o := target.cluster
				got = urlWant{kind: "cluster", addrs: o.Addrs, user: o.Username, password: o.Password,
					tls: o.TLSConfig != nil, dial: o.DialTimeout, pool: o.PoolSize}
			case target.failover != nil:
				o := target.failover
				got = urlWant{kind: "failover", addrs: o.SentinelAddrs, db: o.DB, user: o.Username, password: o.Password,
					tls: o.TLSConfig != nil, master: o.MasterName, sentinel: o.SentinelPassword, dial: o.DialTimeout, pool: o.PoolSize}
			}
			if tt.want.dial == 0 {
				got.dial = 0
			}
			if tt.want.pool == 0 {
				got.pool = 0
			}
			if got.kind != tt.want.kind || !slices.Equal(got.addrs, tt.want.addrs) || got.db != tt.want.db ||
				got.user != tt.want.user || got.password != tt.want.password || got.tls != tt.want.tls ||
				got.master != tt.want.master || got.sentinel != tt.want.sentinel || got.dial != tt.want.dial || got.pool != tt.want.pool {
				t.Errorf("parsed\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestOpenRedisBadURL(t *testing.T) {
	const secret = "hunter22"
	tests := []struct {
		give string
		want []string // in the error, which must never hold the secret
	}{
		{give: "", want: []string{"not a URL"}},
		{give: "127.0.0.1:6379", want: []string{"not a URL", "redis://localhost:6379/0"}},
		{give: "user:hunter22@127.0.0.1:6379", want: []string{"reading redis URL xxxxx", "not a URL"}},
		{give: "http://host:6379", want: []string{`unknown scheme "http"`}},
		{give: "redis+foo://host", want: []string{`unknown scheme "redis+foo"`}},
		{give: "redis://", want: []string{"no host"}},
		{give: "redis://:hunter22@", want: []string{"redis://:xxxxx@", "no host"}},
		{give: "redis://h1:6379,,h2", want: []string{"no host"}},
		{give: "redis://:hunter22@host:6379/notadb", want: []string{"redis://:xxxxx@host:6379/notadb", "invalid database number"}},
		{give: "redis://app:hunter22@host:port", want: []string{"redis://app:xxxxx@host:port", "invalid port"}},
		{give: "redis://app:hunter22@host:6379/0?bogus=1", want: []string{"unexpected option: bogus"}},
		{give: "redis://app:hunter22@host:6379/0#top", want: []string{"fragment"}},
		{give: "redis://app:hunt%zzer22@host", want: []string{"invalid URL escape"}},
		{give: "redis://app:hunter22@h1:7000,h2:7000/3", want: []string{"redis://app:xxxxx@h1:7000,h2:7000/3", "only database 0"}},
		{give: "redis+sentinel://s1:26379", want: []string{"master_name"}},
		{give: "redis+sentinel://s1:26379?master_name=m&password=hunter22&bogus=1", want: []string{"password=xxxxx", "unexpected option: bogus"}},
		{give: "redis://s1:26379?master_name=m&sentinel_password=hunter22", want: []string{"sentinel_password=xxxxx", "unexpected option"}},
		// Nothing listens on port 1: the URL parses, the connection fails.
		{give: "redis://app:hunter22@127.0.0.1:1/0", want: []string{"connecting to redis at redis://app:xxxxx@127.0.0.1:1/0", "refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			s, err := OpenRedis(context.Background(), tt.give, RedisOptions{})
			if err == nil {
				s.Close()
				t.Fatal("OpenRedis succeeded; want an error")
			}
			msg := err.Error()
			if strings.Contains(msg, secret) || strings.Contains(msg, "hunt%zzer22") {
				t.Errorf("error %q shows the password", msg)
			}
			for _, want := range tt.want {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
		})
	}
}

func TestMaskRedisURL(t *testing.T) {
	tests := []struct {
		give, want string
	}{
		{give: "redis://127.0.0.1:6379/0", want: "redis://127.0.0.1:6379/0"},
		{give: "redis://user@host:6379", want: "redis://user@host:6379"},
		{give: "redis://:secret@host:6379/0", want: "redis://:xxxxx@host:6379/0"},
		{give: "rediss://user:secret@host:6379/0?dial_timeout=3s", want: "rediss://user:xxxxx@host:6379/0?dial_timeout=3s"},
		{give: "redis://user:se/cr?et@host", want: "redis://user:xxxxx@host"},
		{give: "redis://u:p@h1:1,h2:2?addr=h3:3", want: "redis://u:xxxxx@h1:1,h2:2?addr=h3:3"},
		{give: "redis+sentinel://s1:26379?master_name=m&password=secret&db=1", want: "redis+sentinel://s1:26379?master_name=m&password=xxxxx&db=1"},
		{give: "redis://s?sentinel_password=secret&pass%77ord=secret", want: "redis://s?sentinel_password=xxxxx&pass%77ord=xxxxx"},
		{give: "host:6379", want: "host:6379"},
		{give: "user:secret@host:6379", want: "xxxxx"},
	}
	for _, tt := range tests {
		if got := MaskRedisURL(tt.give); got != tt.want {
			t.Errorf("MaskRedisURL(%q) = %q; want %q", tt.give, got, tt.want)
		}
	}
}
