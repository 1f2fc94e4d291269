package goal

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/adplan/adplan/agents"
)

// covered quotes the words of m each source of res covers, by field.
func covered(m agents.Message, res agents.Result) map[string][]string {
	out := map[string][]string{}
	for _, s := range res.Sources {
		out[s.Field] = append(out[s.Field], m.Lower[s.Span.Start:s.Span.End])
	}
	return out
}

// TestGoalSourcesNameTheWordsRead checks which words of a brief each goal field was
// read from, and that words the grammar does not know ("A25-54", "halo",
// "lookalike") are no source, so that the coordinator reports them as unread.
func TestGoalSourcesNameTheWordsRead(t *testing.T) {
	const cue = ""
	tests := []struct {
		give     string
		current  *agents.Goal // a follow-up when set
		want     map[string][]string
		wantGoal *agents.Goal // checked when set
	}{
		{give: "Brand awareness campaign in Germany, no video", want: map[string][]string{
			fieldObjective: {"brand awareness"}, fieldFormats: {"video"}, cue: {"no"}}},
		{give: "drive sign-ups for our newsletter, max 20% video", want: map[string][]string{
			fieldObjective: {"drive", "sign-ups", "newsletter"}, fieldMaxShare: {"20%", "video"}, cue: {"max"}}},
		{give: "we just need to get the word out about our new true crime podcast", want: map[string][]string{
			fieldObjective: {"get the word out", "our new true crime podcast"}}},
		{give: "mainly clicks, some reach, audio only", want: map[string][]string{
			fieldObjective: {"clicks", "reach"}, fieldFormats: {"audio"}, cue: {"mainly", "some", "only"}}},
		{give: "podcast ads and audio, not clicks", want: map[string][]string{
			fieldObjective: {"clicks"}, cue: {"not"}}},
		{give: "we want audio and video ads", want: map[string][]string{
			fieldFormats: {"audio and video ads"}}},
		{give: "keep video under 20% of the budget", want: map[string][]string{
			fieldMaxShare: {"video", "20%"}, cue: {"keep", "under"}}},
		{give: "no more than a third on video", want: map[string][]string{
			fieldMaxShare: {"a third", "video"}, cue: {"no more than"}}},
		{give: "without blowing the budget on video", want: map[string][]string{
			fieldMaxShare: {"video"}, cue: {"without", "blowing"}}},
		{give: "protect video inventory", want: map[string][]string{
			fieldMaxShare: {"video inventory"}, cue: {"protect", "inventory"}}},
		{give: "at least 30% on video", want: map[string][]string{
			fieldMaxShare: {"30%", "video"}, cue: {"at least"}}},
		{give: "we don't want to run video", want: map[string][]string{
			fieldFormats: {"video"}, cue: {"don't want to run"}}},
		{give: "app installs, don't care about clicks", want: map[string][]string{
			fieldObjective: {"app installs", "clicks"}, cue: {"don't care about"}}},
		{give: "awareness via programmatic, PMP deal", want: map[string][]string{
			fieldObjective: {"awareness"}, fieldChannel: {"programmatic", "pmp deal"}},
			wantGoal: &agents.Goal{Objective: agents.ObjectiveReach, Channel: agents.ChannelProgrammatic}},
		{give: "book it as a direct deal through our Spotify rep", want: map[string][]string{
			fieldChannel: {"direct deal", "spotify rep"}},
			wantGoal: &agents.Goal{Channel: agents.ChannelDirect}},
		{give: "self-serve through Ad Studio", want: map[string][]string{
			fieldChannel: {"self-serve", "ad studio"}},
			wantGoal: &agents.Goal{Channel: agents.ChannelSelfServe}},
		// Words the grammar does not know are no source.
		{give: "A25-54 halo lookalike awareness", want: map[string][]string{fieldObjective: {"awareness"}}},
		{give: "drive halo sign-ups", want: map[string][]string{fieldObjective: {"sign-ups"}}},
		// A format the brief buys restricts the formats; one named in passing is no source.
		{give: "run audio ads in Germany", want: map[string][]string{fieldFormats: {"audio ads"}, cue: {"run"}},
			wantGoal: &agents.Goal{Formats: []string{agents.FormatAudio}}},
		{give: "we did video last year, awareness this time", want: map[string][]string{fieldObjective: {"awareness"}},
			wantGoal: obj(agents.ObjectiveReach)},
		// Follow-ups.
		{give: "no video", current: obj(agents.ObjectiveReach), want: map[string][]string{
			fieldFormats: {"video"}, cue: {"no"}}},
		{give: "allow video again", current: &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio}},
			want: map[string][]string{fieldFormats: {"video"}, cue: {"allow", "again"}}},
		{give: "video too", current: &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio}},
			want: map[string][]string{fieldFormats: {"video"}, cue: {"too"}}},
		{give: "remove the video cap", current: &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: map[string]float64{agents.FormatVideo: 0.2}},
			want: map[string][]string{fieldMaxShare: {"video cap"}, cue: {"remove", "cap"}}},
		{give: "forget clicks", current: obj(agents.ObjectiveClicks), want: map[string][]string{
			fieldObjective: {"clicks"}, cue: {"forget"}}},
		{give: "actually not programmatic", current: &agents.Goal{Objective: agents.ObjectiveReach, Channel: agents.ChannelProgrammatic},
			want:     map[string][]string{fieldChannel: {"programmatic"}, cue: {"not"}},
			wantGoal: obj(agents.ObjectiveReach)},
		{give: "switch to website visits", current: obj(agents.ObjectiveClicks), want: map[string][]string{
			fieldObjective: {"website visits"}}},
	}
	s := New()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			m := agents.NewMessage(tt.give, testNow)
			req := agents.Request{Message: m, Now: testNow}
			if tt.current != nil {
				req.Current, req.FollowUp = agents.Brief{Goal: tt.current}.Clone(), true
			}
			res, err := s.Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got := covered(m, res); !maps.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("sources = %q, want %q", got, tt.want)
			}
			if tt.wantGoal != nil && (!same(res.Goal, tt.wantGoal) || res.Goal.Channel != tt.wantGoal.Channel) {
				t.Errorf("Goal = %+v, want %+v", res.Goal, tt.wantGoal)
			}
		})
	}
}
