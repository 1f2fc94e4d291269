package goal

import (
	"context"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// TestGoalSignUpsAreLeads checks the reading of sign-ups: a sign-up hands over contact
// details, a lead, unless the brief says what is signed up for is bought.
func TestGoalSignUpsAreLeads(t *testing.T) {
	tests := []struct {
		give string
		want agents.Objective
	}{
		{"more sign-ups for the loyalty club, Belgium, €9k", agents.ObjectiveLeadGen},
		{"registrations for our open day, 18-30", agents.ObjectiveLeadGen},
		{"KPI: signups", agents.ObjectiveLeadGen},
		{"switching the goal to sign-ups", agents.ObjectiveLeadGen},
		// What is signed up for is bought.
		{"sign-ups for our paid meal-kit subscription", agents.ObjectiveConversions},
		{"sign-ups to the premium tier", agents.ObjectiveConversions},
		// The business the brief describes settles it wherever it is named.
		{"We run a yoga academy in Porto. Goal for spring: more sign-ups.", agents.ObjectiveConversions},
		{"Our cooking courses start in May. We want sign-ups from Lisbon.", agents.ObjectiveConversions},
		// Sign-ups to a podcast are its followers.
		{"sign-ups for our podcast", agents.ObjectivePodcastStreams},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		if res.Goal == nil || res.Goal.Objective != tt.want {
			t.Errorf("Run(%q) = %+v, want objective %s", tt.give, res.Goal, tt.want)
		}
	}
}

// TestGoalAlwaysOnIsAHint checks that "always-on" says how a campaign runs: it reads
// as even delivery only when no objective is named beside it.
func TestGoalAlwaysOnIsAHint(t *testing.T) {
	tests := []struct {
		give string
		want agents.Objective
	}{
		{"always-on in Norway, NOK 400k for 2027", agents.ObjectiveEvenImpressionDelivery},
		{"always on, optimising for clicks, Denmark", agents.ObjectiveClicks},
		{"awareness, always-on through the year", agents.ObjectiveReach},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		if res.Goal == nil || res.Goal.Objective != tt.want {
			t.Errorf("Run(%q) = %+v, want objective %s", tt.give, res.Goal, tt.want)
		}
		for _, n := range res.Notes {
			if strings.HasPrefix(n, "A campaign has one objective") {
				t.Errorf("Run(%q) notes two objectives: %q", tt.give, n)
			}
		}
	}
}

// TestGoalReadsOtherLanguages checks objectives, formats and channels written the way
// planners write them in Spanish, Portuguese, French, German and Italian.
func TestGoalReadsOtherLanguages(t *testing.T) {
	audio, video, image := agents.FormatAudio, agents.FormatVideo, agents.FormatImage
	tests := []struct {
		give        string
		wantObj     agents.Objective
		wantFormats []string
		wantChannel string
	}{
		{"quiero promocionar mi nueva canción en Chile", agents.ObjectiveReach, nil, ""},
		{"promouvoir mon nouvel album en Belgique", agents.ObjectiveReach, nil, ""},
		{"lançamento do meu novo álbum, Portugal", agents.ObjectiveReach, nil, ""},
		{"tráfico web, Colombia, 20 millones COP", agents.ObjectiveWebsiteVisits, nil, ""},
		{"trafic vers notre site, Suisse romande", agents.ObjectiveWebsiteVisits, nil, ""},
		{"downloads do aplicativo, Brasil", agents.ObjectiveAppInstalls, nil, ""},
		{"get our budgeting app downloaded across Spain", agents.ObjectiveAppInstalls, nil, ""},
		{"awareness, vidéo uniquement", agents.ObjectiveReach, []string{video}, ""},
		{"alcance, sólo audio", agents.ObjectiveReach, []string{audio}, ""},
		{"Reichweite, ohne Video", agents.ObjectiveReach, []string{audio, image}, ""},
		{"alcance, sem vídeo", agents.ObjectiveReach, []string{audio, image}, ""},
		{"ventas, sin imágenes", agents.ObjectiveConversions, []string{audio, video}, ""},
		{"Reichweite, programmatischer Einkauf", agents.ObjectiveReach, nil, agents.ChannelProgrammatic},
		{"alcance, compra programática", agents.ObjectiveReach, nil, agents.ChannelProgrammatic},
		{"reach, booked as an IO direct", agents.ObjectiveReach, nil, agents.ChannelDirect},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		g := res.Goal
		if g == nil {
			t.Errorf("Run(%q): no goal", tt.give)
			continue
		}
		if g.Objective != tt.wantObj || !sameList(g.Formats, tt.wantFormats) || g.Channel != tt.wantChannel {
			t.Errorf("Run(%q) = %+v, want objective %s, formats %v, channel %q", tt.give, g, tt.wantObj, tt.wantFormats, tt.wantChannel)
		}
	}
}

// TestGoalRestOfTheBudget checks "the rest on audio": the format takes what the caps
// leave, so the formats are it and the capped ones.
func TestGoalRestOfTheBudget(t *testing.T) {
	audio, video, image := agents.FormatAudio, agents.FormatVideo, agents.FormatImage
	tests := []struct {
		give        string
		wantFormats []string
		wantShare   map[string]float64
	}{
		{"cap display at 10%, the rest on audio", []string{audio, image}, map[string]float64{image: 0.1}},
		{"audio for the remainder, video no more than 30%", []string{audio, video}, map[string]float64{video: 0.3}},
		// All three formats are any format.
		{"video max 25% and display max 10%, everything else in audio", nil, map[string]float64{video: 0.25, image: 0.1}},
		{"rest of the budget on audio", []string{audio}, nil},
		// A restriction already set keeps its formats, with the rest's format beside.
		{"video up to 20%, remainder audio, no display", []string{audio, video}, map[string]float64{video: 0.2}},
		{"no display. The rest of the money in audio", []string{audio, video}, nil},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		want := &agents.Goal{Formats: tt.wantFormats, MaxShare: tt.wantShare}
		if !same(res.Goal, want) {
			t.Errorf("Run(%q) = %+v, want %+v", tt.give, res.Goal, want)
		}
	}
}

// TestGoalDashSeparatesLimits checks that a dash between clauses is no list of
// formats: "no video — audio and display only" excludes one and allows two.
func TestGoalDashSeparatesLimits(t *testing.T) {
	audio, image := agents.FormatAudio, agents.FormatImage
	for _, give := range []string{
		"no video — audio and display only",
		"skip video - display + audio only",
		"we won't run video – audio, display only",
	} {
		res := runFirst(t, give)
		want := &agents.Goal{Formats: []string{audio, image}}
		if !same(res.Goal, want) {
			t.Errorf("Run(%q) = %+v, want %+v", give, res.Goal, want)
		}
	}
}

// TestGoalForeignFollowUps checks that a follow-up limiting the formats in another
// language is read as one.
func TestGoalForeignFollowUps(t *testing.T) {
	current := agents.Brief{Goal: &agents.Goal{Objective: agents.ObjectiveReach}}
	for give, want := range map[string][]string{
		"solo video":      {agents.FormatVideo},
		"nur Audio":       {agents.FormatAudio},
		"sans vidéo":      {agents.FormatAudio, agents.FormatImage},
		"apenas áudio":    {agents.FormatAudio},
		"sin audio":       {agents.FormatVideo, agents.FormatImage},
		"audio seulement": {agents.FormatAudio},
	} {
		msg := agents.NewMessage(give, testNow)
		req := agents.Request{Message: msg, Current: current.Clone(), FollowUp: true, Now: testNow}
		touches := New().Touches(msg)
		res, err := New().Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run(%q): %v", give, err)
		}
		if !touches {
			t.Errorf("Touches(%q) = false, want true", give)
		}
		if res.Goal == nil || !sameList(res.Goal.Formats, want) || res.Goal.Objective != agents.ObjectiveReach {
			t.Errorf("Run(%q) = %+v, want REACH with formats %v", give, res.Goal, want)
		}
	}
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
