package goal

import (
	"context"
	"testing"

	"github.com/adplan/adplan/agents"
)

// TestGoalBoughtFormats checks the formats a brief names as what it buys ("audio ads",
// "a video campaign") restrict the formats, while a format named in passing does not;
// lists joined by "as well as" or "plus" allow every format in them; and a share in a
// clause after "but" caps the format named before it.
func TestGoalBoughtFormats(t *testing.T) {
	audio := []string{agents.FormatAudio}
	video := []string{agents.FormatVideo}
	av := []string{agents.FormatAudio, agents.FormatVideo}
	tests := []struct {
		give        string
		wantFormats []string
		wantShare   map[string]float64
	}{
		{"We'd like to run audio ads across Poland and Czechia for brand awareness", audio, nil},
		{"launching a video campaign for the new sneaker drop, clicks, Madrid", video, nil},
		{"Looking to book audio spots around morning commutes, app installs", audio, nil},
		{"buying video in Benelux, €25k, traffic to the store locator", video, nil},
		{"audio ads in Portugal and video ads in Greece, reach", av, nil},
		{"audio as well as video please, awareness in Chile", av, nil},
		{"audio plus video, 18-34, conversions", av, nil},
		{"Audio and video are both fine, clicks", av, nil},
		{"audio ads only, no display", audio, nil},
		{"audio ads, video too, reach in Kenya", av, nil},
		// In passing: nothing is restricted.
		{"we did video last year and it flopped, so awareness this time", nil, nil},
		{"our competitors run video ads, we want reach", nil, nil},
		{"video ads worked better than audio ads for us previously; conversions", nil, nil},
		{"not just audio ads please, reach in Peru", nil, nil},
		{"reach for our gaming video channel", nil, nil},
		// A share after "but" caps the format named before it.
		{"no video, scratch that: video's fine but max 15% of spend, awareness", nil, map[string]float64{agents.FormatVideo: 0.15}},
		{"video is ok but keep it below 10%, clicks", nil, map[string]float64{agents.FormatVideo: 0.1}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			res := runFirst(t, tt.give)
			var got agents.Goal
			if res.Goal != nil {
				got = *res.Goal
			}
			if !same(&agents.Goal{Formats: got.Formats, MaxShare: got.MaxShare}, &agents.Goal{Formats: tt.wantFormats, MaxShare: tt.wantShare}) {
				t.Errorf("formats %v, max_share %v; want %v, %v", got.Formats, got.MaxShare, tt.wantFormats, tt.wantShare)
			}
		})
	}
}

// TestGoalBoughtFormatsFollowUp checks a follow-up: a bought format not allowed yet is
// allowed beside the others, one already allowed changes nothing, and restoring a
// format with a cap ("allow video again but keep it under 20%") keeps the cap.
func TestGoalBoughtFormatsFollowUp(t *testing.T) {
	audioOnly := &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio}}
	noVideo := &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatImage}}
	reach := obj(agents.ObjectiveReach)
	videoCap := map[string]float64{agents.FormatVideo: 0.2}
	tests := []struct {
		current *agents.Goal
		give    string
		want    *agents.Goal // nil: unchanged
	}{
		{audioOnly, "what about video ads?", &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatVideo}}},
		{reach, "let's run audio ads", nil},
		{noVideo, "allow video again but keep it under 20%", &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: videoCap}},
		{noVideo, "ok video is fine, but no more than 20 percent", &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: videoCap}},
		{audioOnly, "bring back video but cap it at 20%", &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatVideo}, MaxShare: videoCap}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			req := agents.Request{Message: agents.NewMessage(tt.give, testNow), Current: agents.Brief{Goal: tt.current}.Clone(), FollowUp: true, Now: testNow}
			res, err := New().Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !same(res.Goal, tt.want) {
				t.Errorf("Goal = %+v, want %+v (notes %q)", res.Goal, tt.want, res.Notes)
			}
		})
	}
}
