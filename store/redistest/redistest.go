// Package redistest runs redis-server for tests and the load test: one of the process's
// own on a free port, to be killed and started again as a crash would, or the Redis
// the tests share (ADPLAN_TEST_REDIS_URL, else one started once per test binary).
package redistest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Options says how to run a server; the zero value runs redis-server from $PATH,
// keeping nothing on disk.
type Options struct {
	// Bin is the redis-server binary (default: redis-server from $PATH).
	Bin string
	// Dir holds the server's log and, with AppendFsync, its append-only file (default:
	// a directory of its own, removed by Close).
	Dir string
	// AppendFsync, when set ("always", "everysec" or "no"), keeps an append-only file
	// synced so, and a server started again on it holds what the killed one
	// acknowledged. Empty: nothing is kept, and a restarted server is empty.
	AppendFsync string
}

// Server is a redis-server of its own on a free port of 127.0.0.1.
type Server struct {
	bin, dir, fsync string
	port            int
	ownDir          bool
	cmd             *exec.Cmd
}

// ErrNotInstalled means there is no redis-server binary to run.
var ErrNotInstalled = errors.New("redis-server is not installed")

// Start starts a server and waits until it accepts connections.
func Start(opts Options) (*Server, error) {
	bin := opts.Bin
	if bin == "" {
		bin = "redis-server"
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return nil, fmt.Errorf("%w: %v (install it, or name the binary)", ErrNotInstalled, err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: path, dir: opts.Dir, fsync: opts.AppendFsync, port: port}
	if s.dir == "" {
		if s.dir, err = os.MkdirTemp("", "redistest-"); err != nil {
			return nil, fmt.Errorf("making redis-server's directory: %w", err)
		}
		s.ownDir = true
	}
	if err := s.Restart(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// URL is the server's address as store.OpenRedis takes it.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Addr is the server's host and port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// Restart starts the server again on its port after Kill, and waits until it accepts
// connections.
func (s *Server) Restart() error {
	if s.cmd != nil {
		return errors.New("redis-server is already running")
	}
	args := []string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--logfile", filepath.Join(s.dir, "redis.log")}
	if s.fsync != "" {
		args = append(args, "--appendonly", "yes", "--appendfsync", s.fsync)
	} else {
		args = append(args, "--appendonly", "no")
	}
	cmd := exec.Command(s.bin, args...)
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting redis-server: %w", err)
	}
	s.cmd = cmd
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := waitListening(ctx, s.Addr()); err != nil {
		s.Kill()
		return fmt.Errorf("%w\n%s", err, s.Log())
	}
	return nil
}

// RestartEmpty starts the server again after Kill without what it kept: its
// append-only file is removed first, as when Redis runs without persistence or loses
// its disk. It keeps appending afterwards, so a later Kill and Restart keep what the
// emptied server was given.
func (s *Server) RestartEmpty() error {
	if s.cmd != nil {
		return errors.New("redis-server is still running: Kill it first")
	}
	for _, name := range []string{"appendonlydir", "appendonly.aof", "dump.rdb"} {
		if err := os.RemoveAll(filepath.Join(s.dir, name)); err != nil {
			return fmt.Errorf("removing redis-server's %s: %w", name, err)
		}
	}
	return s.Restart()
}

// Kill stops the server with SIGKILL: no shutdown, as in a crash.
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Close kills the server and removes the directory Start made for it.
func (s *Server) Close() {
	s.Kill()
	if s.ownDir {
		os.RemoveAll(s.dir)
	}
}

// Log is what the server wrote to its log so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	return string(b)
}

// Own starts a server for t alone, closed when t ends: for tests that stop and restart
// Redis. It skips t when redis-server is not installed, unless ADPLAN_REQUIRE_REDIS=1.
func Own(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	s, err := Start(opts)
	if err != nil {
		skipOrFail(t, err)
	}
	t.Cleanup(s.Close)
	return s
}

var shared struct {
	mu  sync.Mutex
	srv *Server
	err error
}

// URL returns the Redis the tests share: ADPLAN_TEST_REDIS_URL when set (CI's), else a
// redis-server started on a free port at the first call and kept for the rest of the
// test binary (TestMain calls Stop). Tests keep their keys under a prefix of their own.
// Without either, t is skipped, except with ADPLAN_REQUIRE_REDIS=1, where a silently
// skipped suite would let Redis bugs through.
func URL(t testing.TB) string {
	t.Helper()
	if url := os.Getenv("ADPLAN_TEST_REDIS_URL"); url != "" {
		return url
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv == nil && shared.err == nil {
		shared.srv, shared.err = Start(Options{})
	}
	if shared.err != nil {
		skipOrFail(t, shared.err)
	}
	return shared.srv.URL()
}

// Stop stops the server URL started, if it did; a test binary's TestMain calls it
// once its tests are done.
func Stop() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv != nil {
		shared.srv.Close()
		shared.srv = nil
	}
}

// Main runs m's tests and stops the shared server before exiting; use it as TestMain.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

func skipOrFail(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("no Redis to test against: %v\nset ADPLAN_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0) or install redis-server", err)
	if os.Getenv("ADPLAN_REQUIRE_REDIS") == "1" || !errors.Is(err, ErrNotInstalled) {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitListening(ctx context.Context, addr string) error {
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s to listen: %w", addr, err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
