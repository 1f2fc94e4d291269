package schedule

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/adplan/adplan/agents/internal/sharedtest"
)

// ducklingExample is one line of Duckling's English duration corpus.
type ducklingExample struct {
	Text              string  `json:"text"`
	Unit              string  `json:"unit"`
	Value             float64 `json:"value"`
	NormalizedSeconds float64 `json:"normalized_seconds"`
	Section           string  `json:"section"`
	LatentRequired    bool    `json:"latent_required"`
}

// TestScheduleDucklingDurations scores parseDuration against a test set written
// by others (facebook/duckling's corpus), so the parser is not only judged by examples
// its author chose. An example is right when the days it reads equal Duckling's within
// 1e-6 relative.
func TestScheduleDucklingDurations(t *testing.T) {
	path := sharedtest.File(t, "eval/duckling/duckling_duration_en.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer f.Close()

	const minScore = 0.85
	var total, right int
	scanner := bufio.NewScanner(f)
	for line := 1; scanner.Scan(); line++ {
		var ex ducklingExample
		if err := json.Unmarshal(scanner.Bytes(), &ex); err != nil {
			t.Fatalf("reading %s line %d: %v", path, line, err)
		}
		// Only the examples Duckling itself finds without latent mode: the same bar.
		if ex.Section != "corpus" || ex.LatentRequired {
			continue
		}
		total++
		got, ok := parseDuration(ex.Text)
		wantDays, gotDays := ex.NormalizedSeconds/86400, got/86400
		if ok && math.Abs(gotDays-wantDays) <= 1e-6*math.Abs(wantDays) {
			right++
			continue
		}
		t.Logf("miss: %q = %g days (ok %v), want %g days (%g %s)", ex.Text, gotDays, ok, wantDays, ex.Value, ex.Unit)
	}
	if err := scanner.Err(); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	if total == 0 {
		t.Fatalf("no corpus examples in %s", path)
	}
	score := float64(right) / float64(total)
	t.Logf("duckling durations: %d/%d right in days (%.1f%%)", right, total, 100*score)
	if score < minScore {
		t.Errorf("score %.1f%% is below %.0f%%", 100*score, 100*minScore)
	}
}
