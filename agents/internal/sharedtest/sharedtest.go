// Package sharedtest holds what the engine's tests share: finding the team's shared data
// (the Spotify Ads API document, Duckling's corpora), skipping a test where it is
// absent, and reporting latency percentiles from benchmarks.
package sharedtest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// File returns the path of rel inside the shared data folder that sits beside
// the repository (../shared from the repository root, or $ADPLAN_SHARED_DIR), and
// skips the test, saying why, where the file is absent: a user's fresh clone has no
// shared folder and must still pass.
func File(t testing.TB, rel string) string {
	t.Helper()
	dir := os.Getenv("ADPLAN_SHARED_DIR")
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			t.Skipf("skipping: cannot find the repository root to locate ../shared: %v", err)
		}
		dir = filepath.Join(root, "..", "shared")
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("skipping: shared data file %s is absent (%v); it lives in ../shared beside the repository", path, err)
	}
	return path
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// ReportPercentiles adds the median and 99th percentile of single reads to the
// benchmark's output: the target is stated as a median, which ns/op (a mean) is not.
func ReportPercentiles(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
}
