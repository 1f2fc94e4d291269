package goal

import (
	"bufio"
	"context"
	"maps"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/sharedtest"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// runFirst reads text as a first brief.
func runFirst(t testing.TB, text string) agents.Result {
	t.Helper()
	res, err := New().Run(context.Background(), agents.Request{Message: agents.NewMessage(text, testNow), Now: testNow})
	if err != nil {
		t.Fatalf("Run(%q): %v", text, err)
	}
	return res
}

func same(a, b *agents.Goal) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Objective != b.Objective || !slices.Equal(a.Formats, b.Formats) || len(a.MaxShare) != len(b.MaxShare) {
		return false
	}
	for k, v := range a.MaxShare {
		w, ok := b.MaxShare[k]
		if !ok || math.Abs(v-w) > 1e-9 {
			return false
		}
	}
	return true
}

// checkNotes wants no notes when want is "", else one note containing want: a
// stray note is noise the user has to read.
func checkNotes(t *testing.T, notes []string, want string) {
	t.Helper()
	if want == "" {
		if len(notes) > 0 {
			t.Errorf("notes = %q, want none", notes)
		}
		return
	}
	if !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, want) }) {
		t.Errorf("notes = %q, want one containing %q", notes, want)
	}
}

func obj(o agents.Objective) *agents.Goal { return &agents.Goal{Objective: o} }

func TestGoalSpecialistFirstBrief(t *testing.T) {
	third := 1.0 / 3
	tests := []struct {
		give     string
		want     *agents.Goal
		wantConf float64
		wantNote string
	}{
		// REACH
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", obj(agents.ObjectiveReach), 1, ""},
		{"we need to get the word out about our new energy drink", obj(agents.ObjectiveReach), 1, ""},
		{"Reach as many people as possible in France", obj(agents.ObjectiveReach), 1, ""},
		{"build awareness for the launch", obj(agents.ObjectiveReach), 1, ""},
		{"launch awareness campaign in the Nordics", obj(agents.ObjectiveReach), 1, ""},
		{"we just want to be known in Berlin", obj(agents.ObjectiveReach), 1, ""},
		{"maximise reach among students", obj(agents.ObjectiveReach), 1, ""},
		{"honestly we just want reach.", obj(agents.ObjectiveReach), 1, ""},
		// "reach <audience>" only hints at REACH.
		{"reach 18-24 year olds in Germany", obj(agents.ObjectiveReach), 0.6, ""},
		// A music release is REACH, with a note saying why.
		{"promote my new single in Mexico", obj(agents.ObjectiveReach), 0.75, "music release as REACH"},
		{"get more streams for my new album", obj(agents.ObjectiveReach), 0.6, "streams only for podcasts"},
		// EVEN_IMPRESSION_DELIVERY
		{"even delivery across the month", obj(agents.ObjectiveEvenImpressionDelivery), 1, ""},
		{"we want steady impressions", obj(agents.ObjectiveEvenImpressionDelivery), 1, ""},
		{"spread impressions evenly over the flight", obj(agents.ObjectiveEvenImpressionDelivery), 1, ""},
		{"a consistent presence every day", obj(agents.ObjectiveEvenImpressionDelivery), 1, ""},
		// CLICKS
		{"drive clicks to our offer", obj(agents.ObjectiveClicks), 1, ""},
		{"optimise for CTR", obj(agents.ObjectiveClicks), 1, ""},
		{"we care about clicks", obj(agents.ObjectiveClicks), 1, ""},
		// WEBSITE_VISITS
		{"more traffic to our site", obj(agents.ObjectiveWebsiteVisits), 1, ""},
		{"website visits from Spain", obj(agents.ObjectiveWebsiteVisits), 1, ""},
		{"drive people to our landing page", obj(agents.ObjectiveWebsiteVisits), 1, ""},
		{"site visits please", obj(agents.ObjectiveWebsiteVisits), 1, ""},
		// VIDEO_VIEWS
		{"video views for the campaign", obj(agents.ObjectiveVideoViews), 1, ""},
		{"get people to watch our trailer", obj(agents.ObjectiveVideoViews), 1, ""},
		{"we want views", obj(agents.ObjectiveVideoViews), 1, ""},
		// CONVERSIONS; product sign-ups are conversions, newsletter sign-ups are leads.
		{"drive sales of our sneakers", obj(agents.ObjectiveConversions), 1, ""},
		{"conversions and ROAS are what matter", obj(agents.ObjectiveConversions), 1, ""},
		{"purchases in our shop", obj(agents.ObjectiveConversions), 1, ""},
		{"sign-ups for our streaming service", obj(agents.ObjectiveConversions), 1, ""},
		{"hotel bookings for the summer", obj(agents.ObjectiveConversions), 1, ""},
		{"ticket sales for our festival", obj(agents.ObjectiveConversions), 1, ""},
		{"we'd like to sell more concert tickets for our tour in Spain", obj(agents.ObjectiveConversions), 1, ""},
		{"drive sales with podcast listeners in the Nordics, 15k, starting next month for 6 weeks", obj(agents.ObjectiveConversions), 1, ""},
		// LEAD_GEN
		{"newsletter sign-ups", obj(agents.ObjectiveLeadGen), 1, ""},
		{"get sign-ups for our newsletter", obj(agents.ObjectiveLeadGen), 1, ""},
		{"lead generation for our B2B software", obj(agents.ObjectiveLeadGen), 1, ""},
		{"collect emails for the waitlist", obj(agents.ObjectiveLeadGen), 1, ""},
		{"get demo requests", obj(agents.ObjectiveLeadGen), 1, ""},
		{"leads", obj(agents.ObjectiveLeadGen), 1, ""},
		// PODCAST_STREAMS needs the advertiser's own podcast.
		{"podcast streams in the US", obj(agents.ObjectivePodcastStreams), 1, ""},
		{"grow my podcast", obj(agents.ObjectivePodcastStreams), 1, ""},
		{"more listeners for our show", obj(agents.ObjectivePodcastStreams), 1, ""},
		{"get people to listen to our podcast", obj(agents.ObjectivePodcastStreams), 1, ""},
		{"Promote our new true crime podcast to true crime podcast fans in the UK", obj(agents.ObjectivePodcastStreams), 1, ""},
		// Paraphrases a brief uses instead of naming the objective.
		{"I want more people to know my brand", obj(agents.ObjectiveReach), 1, ""},
		{"top of funnel push for the new sneakers", obj(agents.ObjectiveReach), 1, ""},
		{"we need consideration for the new model", obj(agents.ObjectiveClicks), 1, ""},
		{"lower funnel, 5k", obj(agents.ObjectiveConversions), 1, ""},
		{"podcast growth is the KPI", obj(agents.ObjectivePodcastStreams), 1, ""},
		// APP_INSTALLS
		{"app installs from iPhone users in the States, $20k, Q1", obj(agents.ObjectiveAppInstalls), 1, ""},
		{"more downloads of our app", obj(agents.ObjectiveAppInstalls), 1, ""},
		{"get people to install", obj(agents.ObjectiveAppInstalls), 1, ""},
		{"app downloads in Brazil", obj(agents.ObjectiveAppInstalls), 1, ""},
		// Two goals: the first, or the one marked as the main one, leads.
		{"awareness and some clicks", obj(agents.ObjectiveReach), 0.8, "CLICKS was also mentioned"},
		{"drive clicks and brand awareness", obj(agents.ObjectiveClicks), 0.8, "REACH was also mentioned"},
		{"brand awareness, but mainly clicks", obj(agents.ObjectiveClicks), 0.8, "REACH was also mentioned"},
		{"not about clicks, we want awareness", obj(agents.ObjectiveReach), 1, ""},
		{"instead of installs, go for reach", obj(agents.ObjectiveReach), 1, ""},
		// Format limits alone leave the objective empty.
		{"audio only", &agents.Goal{Formats: []string{agents.FormatAudio}}, 1, ""},
		{"audio-only please", &agents.Goal{Formats: []string{agents.FormatAudio}}, 1, ""},
		{"just audio ads", &agents.Goal{Formats: []string{agents.FormatAudio}}, 1, ""},
		{"no video", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatImage}}, 1, ""},
		{"skip video", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatImage}}, 1, ""},
		{"without video", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatImage}}, 1, ""},
		{"we don't want to run any video ads", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatImage}}, 1, ""},
		{"video only", &agents.Goal{Formats: []string{agents.FormatVideo}}, 1, ""},
		{"no display", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatVideo}}, 1, ""},
		{"no images", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatVideo}}, 1, ""},
		{"no banners please", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatVideo}}, 1, ""},
		{"audio and video", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatVideo}}, 1, ""},
		{"include video", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatVideo}}, 1, ""},
		{"mostly audio, keep video under 20%", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.2}}, 1, ""},
		{"video no more than a third", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: third}}, 1, ""},
		{"max 30% on video", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.3}}, 1, ""},
		{"keep video and display under 30 percent", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.3, agents.FormatImage: 0.3}}, 1, ""},
		{"video under 20% and display under 10%", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.2, agents.FormatImage: 0.1}}, 1, ""},
		{"twenty percent cap on video", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.2}}, 1, ""},
		{"20% on video", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.2}}, 0.8, "as a cap"},
		{"without blowing my whole budget on video", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.25}}, 0.8, "cap of 25%"},
		{"a bit of video is ok", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.25}}, 0.8, "cap of 25%"},
		{"protect video inventory", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.25}}, 0.8, "not using up video inventory"},
		{"Let's go with video, ~30% max", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.3}}, 1, ""},
		{"nothing but audio", &agents.Goal{Formats: []string{agents.FormatAudio}}, 1, ""},
		{"cut back on video", &agents.Goal{MaxShare: map[string]float64{agents.FormatVideo: 0.25}}, 0.8, "cap of 25%"},
		{"video at 0%", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatImage}}, 1, ""},
		{"100% audio", &agents.Goal{Formats: []string{agents.FormatAudio}}, 1, ""},
		{"50/50 audio and video", &agents.Goal{Formats: []string{agents.FormatAudio, agents.FormatVideo}}, 0.7, "exact split"},
		// Objective and formats together.
		{"Hey! We'd like brand awareness for our energy drink in Germany & Austria; audio and video, max 25% video. €10k.",
			&agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatVideo}, MaxShare: map[string]float64{agents.FormatVideo: 0.25}}, 1, ""},
		{"get the word out, no video, keep display under 10%",
			&agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatImage}, MaxShare: map[string]float64{agents.FormatImage: 0.1}}, 1, ""},
		{"grow my podcast with audio-only ads", &agents.Goal{Objective: agents.ObjectivePodcastStreams, Formats: []string{agents.FormatAudio}}, 1, ""},
		// Spotify's rules: a conflict is kept as said and named in a note.
		{"video views but no video", &agents.Goal{Objective: agents.ObjectiveVideoViews, Formats: []string{agents.FormatAudio, agents.FormatImage}}, 1, "VIDEO_VIEWS runs on video"},
		{"podcast streams, video only", &agents.Goal{Objective: agents.ObjectivePodcastStreams, Formats: []string{agents.FormatVideo}}, 1, "PODCAST_STREAMS runs on audio"},
		// Readings the goal cannot hold are noted, not guessed.
		{"at least 30% on video", nil, 0.7, "minimum share"},
		{"mostly audio", nil, 0.7, "names no share"},
		// Not for the goal specialist.
		{"extend to 60 days", nil, 0, ""},
		{"make it 8k", nil, 0, ""},
		{"add Austria too", nil, 0, ""},
		{"double the budget", nil, 0, ""},
		{"cut the budget by 25%", nil, 0, ""},
		{"podcast listeners in Spain", nil, 0, ""},
		{"true crime podcast fans", nil, 0, ""},
		{"hip-hop fans in Paris", nil, 0, ""},
		{"target video game fans", nil, 0, ""},
		{"target people who watch videos", nil, 0, ""},
		{"run our ads on podcasts in Spain", nil, 0, ""},
		{"reach out to us if anything is unclear", nil, 0, ""},
		{"", nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			res := runFirst(t, tt.give)
			if !same(res.Goal, tt.want) {
				t.Errorf("Goal = %+v, want %+v", res.Goal, tt.want)
			}
			if res.Audience != nil || res.Budget != nil || res.Schedule != nil {
				t.Errorf("set another slot: %+v", res)
			}
			if math.Abs(res.Confidence-tt.wantConf) > 1e-9 {
				t.Errorf("Confidence = %v, want %v", res.Confidence, tt.wantConf)
			}
			checkNotes(t, res.Notes, tt.wantNote)
		})
	}
}

func TestGoalSpecialistFollowUp(t *testing.T) {
	reach := &agents.Goal{Objective: agents.ObjectiveReach}
	reachNoVideo := &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatImage}}
	reachVideoCap := &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: map[string]float64{agents.FormatVideo: 0.2}}
	tests := []struct {
		current  *agents.Goal
		give     string
		want     *agents.Goal // nil: the goal is unchanged
		wantNote string
	}{
		{reach, "no video", reachNoVideo, ""},
		{reachVideoCap, "no video", reachNoVideo, ""},
		{reach, "focus on video views instead", obj(agents.ObjectiveVideoViews), ""},
		// The new objective wins over an older limit it cannot run with, and says so.
		{reachNoVideo, "focus on video views instead", obj(agents.ObjectiveVideoViews), "Allowed video again"},
		{reachVideoCap, "let's optimise for video views", obj(agents.ObjectiveVideoViews), "Removed the 20% cap on video"},
		// Limits that still work with the new objective are kept.
		{reachNoVideo, "actually let's go for app installs", &agents.Goal{Objective: agents.ObjectiveAppInstalls, Formats: []string{agents.FormatAudio, agents.FormatImage}}, ""},
		{reachNoVideo, "allow video again", reach, ""},
		{reachVideoCap, "video is fine", reach, ""},
		{&agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio}}, "bring back video", &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatVideo}}, ""},
		{reach, "cap video at 10%", &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: map[string]float64{agents.FormatVideo: 0.1}}, ""},
		{reachVideoCap, "make the video cap 10%", &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: map[string]float64{agents.FormatVideo: 0.1}}, ""},
		{reachVideoCap, "remove the cap on video", reach, ""},
		{reachNoVideo, "cap video at 10%", &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: map[string]float64{agents.FormatVideo: 0.1}}, "Allowed video again"},
		{reachVideoCap, "audio only", &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio}}, ""},
		{&agents.Goal{Objective: agents.ObjectiveClicks, Formats: []string{agents.FormatVideo}}, "audio only", &agents.Goal{Objective: agents.ObjectiveClicks, Formats: []string{agents.FormatAudio}}, ""},
		{reach, "include display too", &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatImage}}, ""},
		// A limit made in the follow-up itself stays, with the conflict named.
		{obj(agents.ObjectiveVideoViews), "no video", &agents.Goal{Objective: agents.ObjectiveVideoViews, Formats: []string{agents.FormatAudio, agents.FormatImage}}, "VIDEO_VIEWS runs on video"},
		{obj(agents.ObjectiveClicks), "forget clicks", &agents.Goal{}, "Dropped the objective CLICKS"},
		// A weak "reach <someone>" never replaces an objective.
		{obj(agents.ObjectiveClicks), "let's reach women too", nil, ""},
		{reachNoVideo, "skip video", nil, "nothing changed"},
		// A vague limit never loosens a tighter cap already set.
		{reachVideoCap, "less video", nil, "nothing changed"},
		{reach, "less video", &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: map[string]float64{agents.FormatVideo: 0.25}}, "cap of 25%"},
		// No goal yet: a follow-up reads it from scratch.
		{nil, "switch to website visits", obj(agents.ObjectiveWebsiteVisits), ""},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			var current agents.Brief
			if tt.current != nil {
				current = agents.Brief{Goal: tt.current}.Clone()
			}
			before := current.Clone()
			req := agents.Request{Message: agents.NewMessage(tt.give, testNow), Current: current, FollowUp: true, Now: testNow}
			res, err := New().Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !same(res.Goal, tt.want) {
				t.Errorf("Goal = %+v, want %+v", res.Goal, tt.want)
			}
			if !reflect.DeepEqual(current, before) {
				t.Errorf("Run changed the current brief: %+v, was %+v", current.Goal, before.Goal)
			}
			if res.Goal != nil && current.Goal != nil && res.Goal.MaxShare != nil && current.Goal.MaxShare != nil {
				res.Goal.MaxShare["X"] = 1
				if _, ok := current.Goal.MaxShare["X"]; ok {
					t.Error("the revised goal shares its MaxShare map with the current one")
				}
			}
			checkNotes(t, res.Notes, tt.wantNote)
		})
	}
}

func TestGoalSpecialistTouches(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", true},
		{"no video", true},
		{"focus on video views instead", true},
		{"actually let's go for app installs", true},
		{"audio only", true},
		{"keep video under 20%", true},
		{"allow video again", true},
		{"mostly audio", true},
		{"forget clicks", true},
		{"reach 18-24 year olds in Germany", true},
		{"drive sales with podcast listeners in the Nordics, 15k, starting next month for 6 weeks", true},
		{"extend to 60 days", false},
		{"what if we ran it for 60 days?", false},
		{"make it 8k", false},
		{"add Austria too", false},
		{"what about 90 days and 15k?", false},
		{"double the budget", false},
		{"cut the budget by 25%", false},
		{"drop the UK and do Ireland instead", false},
		{"only women", false},
		{"make it 25-34 instead", false},
		{"push the start to January", false},
		{"shorten it to 3 weeks", false},
		{"$200 a day", false},
		{"between 25 and 34", false},
		{"between 8 and 10k", false},
		{"20 million pesos", false},
		{"add Austria and make it 8k", false},
		{"also target 35-44", false},
		{"iPhone users only", false},
		{"add podcasts", false},
		{"podcast listeners in Spain", false},
		{"true crime podcast fans", false},
		{"hip-hop fans", false},
		{"thanks, looks great", false},
		{"this is not a brief", false},
	}
	s := New()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := s.Touches(agents.NewMessage(tt.give, testNow)); got != tt.want {
				t.Errorf("Touches(%q) = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

func TestGoalTokenize(t *testing.T) {
	tests := []struct {
		give string
		want []string
	}{
		{"don't blow 12.5% on video-only ads!", []string{"dont", "blow", "12.5", "%", "on", "video", "only", "ads", "."}},
		{"audio, video & display; 1/3 max", []string{"audio", ",", "video", "&", "display", ".", "1/3", "max"}},
		{"sign_ups (1,500)", []string{"sign", "ups", ",", "1,500", ","}},
		{"'quoted' users'", []string{"quoted", "users"}},
		{"e.g. 5.", []string{"e", ".", "g", ".", "5", "."}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := tokenize(agents.Normalize(tt.give)); !slices.Equal(got, tt.want) {
				t.Errorf("tokenize(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestGoalLoadTable(t *testing.T) {
	if _, err := loadTable(phrasesJSON); err != nil {
		t.Fatalf("embedded phrase table: %v", err)
	}
	tests := []struct {
		name string
		give string
		want string
	}{
		{"not JSON", `{`, "reading goal phrase table"},
		{"unknown objective", `{"groups":[{"objective":"FAME","strength":"normal","phrases":["fame"]}]}`, `unknown objective "FAME"`},
		{"no strength", `{"groups":[{"objective":"REACH","phrases":["fame"]}]}`, "neither weak nor normal"},
		{"twice", `{"groups":[{"objective":"REACH","strength":"normal","phrases":["fame","Fame"]}]}`, "listed twice"},
		{"not words", `{"groups":[{"objective":"REACH","strength":"normal","phrases":["50%"]}]}`, "not a run of words"},
		{"bad near", `{"groups":[{"objective":"REACH","strength":"weak","phrases":["x"],"near":[{"objective":"NOPE","words":["y"]}]}]}`, "unknown near objective"},
		{"empty group", `{"groups":[{"objective":"REACH","strength":"weak","phrases":[]}]}`, "no phrases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadTable([]byte(tt.give))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadTable error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestGoalCompatibleMatchesAPI checks the formats each objective may run on against
// the Ads API's own descriptions of its objectives, so the conflict notes follow Spotify.
func TestGoalCompatibleMatchesAPI(t *testing.T) {
	path := sharedtest.File(t, "spotify-ads-api/external-v3.yaml")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening the API description: %v", err)
	}
	defer f.Close()
	descriptions := map[agents.Objective]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	inPrefs := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "OptimizationPrefs:":
			inPrefs = true
		case inPrefs && strings.HasPrefix(strings.TrimSpace(line), "enum:"):
			inPrefs = false
		case inPrefs:
			name, desc, ok := strings.Cut(strings.TrimSpace(line), ": ")
			if ok && slices.Contains(agents.Objectives, agents.Objective(name)) {
				descriptions[agents.Objective(name)] = desc
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the API description: %v", err)
	}
	if len(descriptions) < 5 {
		t.Fatalf("found %d objective descriptions in %s, want the API's objectives", len(descriptions), path)
	}
	for o, desc := range descriptions {
		want := anyFormat
		if !strings.Contains(desc, "all asset formats") {
			var bits uint8
			for _, fb := range formatBits {
				if strings.Contains(desc, fb.name) {
					bits |= fb.bit
				}
			}
			if bits != 0 {
				want = bits
			}
		}
		if got := compatible[o]; got != want {
			t.Errorf("%s may run on %s, the API says %s (%q)", o, goalNames(got), goalNames(want), desc)
		}
	}
}

// fuzzCurrents are goals a follow-up may revise.
var fuzzCurrents = []*agents.Goal{
	nil,
	{Objective: agents.ObjectiveReach},
	{Objective: agents.ObjectiveVideoViews, Formats: []string{agents.FormatVideo}},
	{Objective: agents.ObjectiveReach, Formats: []string{agents.FormatAudio, agents.FormatImage}, MaxShare: map[string]float64{agents.FormatImage: 0.1}},
	{MaxShare: map[string]float64{agents.FormatVideo: 0.2}},
}

func FuzzGoalSpecialist(f *testing.F) {
	seeds := []string{
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
		"awareness and some clicks", "promote my new single", "video views but no video",
		"mostly audio, keep video under 20%", "video no more than a third", "max 30% on video",
		"without blowing my whole budget on video", "protect video inventory", "50/50 audio and video",
		"no audio, no video, no display", "focus on video views instead", "allow video again",
		"cap video at 10%", "remove the cap on video", "forget clicks", "at least 30% on video",
		"video at 0%", "150% video", "1/0 video", "0/0 video under 1/3", "half", "a third of",
		"no", "video", "audio, video, and", "reach", "'", "50%", "\xff\xfe", "视频 only",
		"not programmatic, direct deal", "drive more sign-ups via PMP", "≤20% video", "don't",
	}
	for i, s := range seeds {
		f.Add(s, i%2 == 0, uint8(i))
	}
	s := New()
	f.Fuzz(func(t *testing.T, text string, followUp bool, which uint8) {
		current := fuzzCurrents[int(which)%len(fuzzCurrents)]
		var brief agents.Brief
		if current != nil {
			brief = agents.Brief{Goal: current}.Clone()
		}
		before := brief.Clone()
		m := agents.NewMessage(text, testNow)
		touches := s.Touches(m)
		res, err := s.Run(context.Background(), agents.Request{Message: m, Current: brief, FollowUp: followUp, Now: testNow})
		if err != nil {
			t.Fatalf("Run(%q): %v", text, err)
		}
		if !reflect.DeepEqual(brief, before) {
			t.Fatalf("Run(%q) changed the current brief", text)
		}
		if res.Audience != nil || res.Budget != nil || res.Schedule != nil {
			t.Fatalf("Run(%q) set another slot", text)
		}
		if math.IsNaN(res.Confidence) || res.Confidence < 0 || res.Confidence > 1 {
			t.Fatalf("Run(%q) confidence %v", text, res.Confidence)
		}
		if !touches && (res.Goal != nil || len(res.Notes) > 0) {
			t.Fatalf("Run(%q) read %+v %q although Touches is false", text, res.Goal, res.Notes)
		}
		for _, n := range res.Notes {
			if n == "" || !utf8.ValidString(n) {
				t.Fatalf("Run(%q) note %q", text, n)
			}
		}
		if g := res.Goal; g != nil {
			fuzzCheck(t, text, *g)
		}
		for _, src := range res.Sources {
			if src.Span.Start < 0 || src.Span.Start > src.Span.End || src.Span.End > len(m.Lower) {
				t.Fatalf("Run(%q) source %+v outside the message (%d bytes)", text, src, len(m.Lower))
			}
			if !slices.Contains([]string{fieldObjective, fieldFormats, fieldMaxShare, fieldChannel, fieldCue}, src.Field) {
				t.Fatalf("Run(%q) source of unknown field %q", text, src.Field)
			}
		}
	})
}

// fuzzCheck fails on a goal the JSON contract does not allow.
func fuzzCheck(t *testing.T, text string, g agents.Goal) {
	t.Helper()
	if g.Objective != "" && !slices.Contains(agents.Objectives, g.Objective) {
		t.Fatalf("Run(%q) objective %q", text, g.Objective)
	}
	if len(g.Formats) >= len(agents.Formats) {
		t.Fatalf("Run(%q) formats %v: every format is written as none", text, g.Formats)
	}
	last := -1
	for _, f := range g.Formats {
		i := slices.Index(agents.Formats, f)
		if i <= last {
			t.Fatalf("Run(%q) formats %v: unknown, repeated or out of order", text, g.Formats)
		}
		last = i
	}
	if g.MaxShare != nil && len(g.MaxShare) == 0 {
		t.Fatalf("Run(%q) max_share is an empty map, want nil", text)
	}
	for _, k := range slices.Sorted(maps.Keys(g.MaxShare)) {
		v := g.MaxShare[k]
		if !slices.Contains(agents.Formats, k) || len(g.Formats) > 0 && !slices.Contains(g.Formats, k) {
			t.Fatalf("Run(%q) caps %s, which is not an allowed format (%v)", text, k, g.Formats)
		}
		if math.IsNaN(v) || v <= 0 || v >= 1 {
			t.Fatalf("Run(%q) caps %s at %v, want 0 < cap < 1", text, k, v)
		}
	}
}

const benchBrief = "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days, mostly audio, keep video under 20%"

// BenchmarkGoalSpecialist measures Touches and Run on a typical first brief
// (target: well under 100 µs).
func BenchmarkGoalSpecialist(b *testing.B) {
	s := New()
	m := agents.NewMessage(benchBrief, testNow)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if !s.Touches(m) {
			b.Fatal("Touches = false")
		}
		res, err := s.Run(ctx, agents.Request{Message: m, Now: testNow})
		if err != nil || res.Goal == nil {
			b.Fatalf("Run = %+v, %v", res, err)
		}
	}
}
