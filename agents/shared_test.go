package agents

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedFile returns the path of rel inside the shared data folder that sits beside
// the repository (../shared from the repository root, or $ADPLAN_SHARED_DIR), and
// skips the test, saying why, where the file is absent: a user's fresh clone has no
// shared folder and must still pass.
func sharedFile(t testing.TB, rel string) string {
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
