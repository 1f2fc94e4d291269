package forecast

import (
	"testing"

	"github.com/adplan/adplan/agents/history"
)

// TestHoldoutBeatsBaseline fits on 80% of the default history and scores the
// other 20% against the naive baseline (the market's median CPM).
func TestHoldoutBeatsBaseline(t *testing.T) {
	data, err := history.Default()
	if err != nil {
		t.Fatalf("loading the default history: %v", err)
	}
	r, err := Evaluate(data, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("hold-out (train %d, test %d): impressions MdAPE %.1f%% (baseline %.1f%%), result MdAPE %.1f%% (baseline %.1f%%); reach MdAPE %.1f%%, impressions within low–high %.0f%%",
		r.Train, r.Test, 100*r.ImpressionsMdAPE, 100*r.BaselineImpressionsMdAPE,
		100*r.ResultMdAPE, 100*r.BaselineResultMdAPE, 100*r.ReachMdAPE, 100*r.ImpressionsCoverage)
	if r.ImpressionsMdAPE >= r.BaselineImpressionsMdAPE {
		t.Errorf("impressions MdAPE %.3f does not beat the baseline's %.3f", r.ImpressionsMdAPE, r.BaselineImpressionsMdAPE)
	}
	if r.ResultMdAPE >= r.BaselineResultMdAPE {
		t.Errorf("result MdAPE %.3f does not beat the baseline's %.3f", r.ResultMdAPE, r.BaselineResultMdAPE)
	}
}
