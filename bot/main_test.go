package bot_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/adplan/adplan/store/redistest"
)

// TestMain fails the package's tests when any goroutine the bot started outlives
// them: every worker, socket loop and progress update must end with the bot. It stops
// the redis-server the tests started, when they started one.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// Idle keep-alive connections of net/http's shared transport belong to the
		// client library's connection pool, not to the bot.
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.Cleanup(func(code int) {
			redistest.Stop()
			os.Exit(code)
		}),
	)
}
