package store_test

import (
	"testing"

	"github.com/adplan/adplan/store/redistest"
)

// TestMain stops the redis-server the Redis tests started, when they started one.
func TestMain(m *testing.M) { redistest.Main(m) }
