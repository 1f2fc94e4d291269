package agents

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
)

var goalTestNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// goalRunFirst reads text as a first brief.
func goalRunFirst(t testing.TB, text string) Result {
	t.Helper()
	res, err := NewGoalSpecialist().Run(context.Background(), Request{Message: NewMessage(text), Now: goalTestNow})
	if err != nil {
		t.Fatalf("Run(%q): %v", text, err)
	}
	return res
}

func goalSame(a, b *Goal) bool {
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

// goalCheckNotes wants no notes when want is "", else one note containing want: a
// stray note is noise the user has to read.
func goalCheckNotes(t *testing.T, notes []string, want string) {
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

func goalObj(o Objective) *Goal { return &Goal{Objective: o} }

func TestGoalSpecialistFirstBrief(t *testing.T) {
	third := 1.0 / 3
	tests := []struct {
		give     string
		want     *Goal
		wantConf float64
		wantNote string
	}{
		// REACH
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", goalObj(ObjectiveReach), 1, ""},
		{"we need to get the word out about our new energy drink", goalObj(ObjectiveReach), 1, ""},
		{"Reach as many people as possible in France", goalObj(ObjectiveReach), 1, ""},
		{"build awareness for the launch", goalObj(ObjectiveReach), 1, ""},
		{"launch awareness campaign in the Nordics", goalObj(ObjectiveReach), 1, ""},
		{"we just want to be known in Berlin", goalObj(ObjectiveReach), 1, ""},
		{"maximise reach among students", goalObj(ObjectiveReach), 1, ""},
		{"honestly we just want reach.", goalObj(ObjectiveReach), 1, ""},
		// "reach <audience>" only hints at REACH.
		{"reach 18-24 year olds in Germany", goalObj(ObjectiveReach), 0.6, ""},
		// A music release is REACH, with a note saying why.
		{"promote my new single in Mexico", goalObj(ObjectiveReach), 0.75, "music release as REACH"},
		{"get more streams for my new album", goalObj(ObjectiveReach), 0.6, "streams only for podcasts"},
		// EVEN_IMPRESSION_DELIVERY
		{"even delivery across the month", goalObj(ObjectiveEvenImpressionDelivery), 1, ""},
		{"we want steady impressions", goalObj(ObjectiveEvenImpressionDelivery), 1, ""},
		{"spread impressions evenly over the flight", goalObj(ObjectiveEvenImpressionDelivery), 1, ""},
		{"a consistent presence every day", goalObj(ObjectiveEvenImpressionDelivery), 1, ""},
		// CLICKS
		{"drive clicks to our offer", goalObj(ObjectiveClicks), 1, ""},
		{"optimise for CTR", goalObj(ObjectiveClicks), 1, ""},
		{"we care about clicks", goalObj(ObjectiveClicks), 1, ""},
		// WEBSITE_VISITS
		{"more traffic to our site", goalObj(ObjectiveWebsiteVisits), 1, ""},
		{"website visits from Spain", goalObj(ObjectiveWebsiteVisits), 1, ""},
		{"drive people to our landing page", goalObj(ObjectiveWebsiteVisits), 1, ""},
		{"site visits please", goalObj(ObjectiveWebsiteVisits), 1, ""},
		// VIDEO_VIEWS
		{"video views for the campaign", goalObj(ObjectiveVideoViews), 1, ""},
		{"get people to watch our trailer", goalObj(ObjectiveVideoViews), 1, ""},
		{"we want views", goalObj(ObjectiveVideoViews), 1, ""},
		// CONVERSIONS; product sign-ups are conversions, newsletter sign-ups are leads.
		{"drive sales of our sneakers", goalObj(ObjectiveConversions), 1, ""},
		{"conversions and ROAS are what matter", goalObj(ObjectiveConversions), 1, ""},
		{"purchases in our shop", goalObj(ObjectiveConversions), 1, ""},
		{"sign-ups for our streaming service", goalObj(ObjectiveConversions), 1, ""},
		{"hotel bookings for the summer", goalObj(ObjectiveConversions), 1, ""},
		{"ticket sales for our festival", goalObj(ObjectiveConversions), 1, ""},
		{"we'd like to sell more concert tickets for our tour in Spain", goalObj(ObjectiveConversions), 1, ""},
		{"drive sales with podcast listeners in the Nordics, 15k, starting next month for 6 weeks", goalObj(ObjectiveConversions), 1, ""},
		// LEAD_GEN
		{"newsletter sign-ups", goalObj(ObjectiveLeadGen), 1, ""},
		{"get sign-ups for our newsletter", goalObj(ObjectiveLeadGen), 1, ""},
		{"lead generation for our B2B software", goalObj(ObjectiveLeadGen), 1, ""},
		{"collect emails for the waitlist", goalObj(ObjectiveLeadGen), 1, ""},
		{"get demo requests", goalObj(ObjectiveLeadGen), 1, ""},
		{"leads", goalObj(ObjectiveLeadGen), 1, ""},
		// PODCAST_STREAMS needs the advertiser's own podcast.
		{"podcast streams in the US", goalObj(ObjectivePodcastStreams), 1, ""},
		{"grow my podcast", goalObj(ObjectivePodcastStreams), 1, ""},
		{"more listeners for our show", goalObj(ObjectivePodcastStreams), 1, ""},
		{"get people to listen to our podcast", goalObj(ObjectivePodcastStreams), 1, ""},
		{"Promote our new true crime podcast to true crime podcast fans in the UK", goalObj(ObjectivePodcastStreams), 1, ""},
		// APP_INSTALLS
		{"app installs from iPhone users in the States, $20k, Q1", goalObj(ObjectiveAppInstalls), 1, ""},
		{"more downloads of our app", goalObj(ObjectiveAppInstalls), 1, ""},
		{"get people to install", goalObj(ObjectiveAppInstalls), 1, ""},
		{"app downloads in Brazil", goalObj(ObjectiveAppInstalls), 1, ""},
		// Two goals: the first, or the one marked as the main one, leads.
		{"awareness and some clicks", goalObj(ObjectiveReach), 0.8, "CLICKS was also mentioned"},
		{"drive clicks and brand awareness", goalObj(ObjectiveClicks), 0.8, "REACH was also mentioned"},
		{"brand awareness, but mainly clicks", goalObj(ObjectiveClicks), 0.8, "REACH was also mentioned"},
		{"not about clicks, we want awareness", goalObj(ObjectiveReach), 1, ""},
		{"instead of installs, go for reach", goalObj(ObjectiveReach), 1, ""},
		// Format limits alone leave the objective empty.
		{"audio only", &Goal{Formats: []string{FormatAudio}}, 1, ""},
		{"audio-only please", &Goal{Formats: []string{FormatAudio}}, 1, ""},
		{"just audio ads", &Goal{Formats: []string{FormatAudio}}, 1, ""},
		{"no video", &Goal{Formats: []string{FormatAudio, FormatImage}}, 1, ""},
		{"skip video", &Goal{Formats: []string{FormatAudio, FormatImage}}, 1, ""},
		{"without video", &Goal{Formats: []string{FormatAudio, FormatImage}}, 1, ""},
		{"we don't want to run any video ads", &Goal{Formats: []string{FormatAudio, FormatImage}}, 1, ""},
		{"video only", &Goal{Formats: []string{FormatVideo}}, 1, ""},
		{"no display", &Goal{Formats: []string{FormatAudio, FormatVideo}}, 1, ""},
		{"no images", &Goal{Formats: []string{FormatAudio, FormatVideo}}, 1, ""},
		{"no banners please", &Goal{Formats: []string{FormatAudio, FormatVideo}}, 1, ""},
		{"audio and video", &Goal{Formats: []string{FormatAudio, FormatVideo}}, 1, ""},
		{"include video", &Goal{Formats: []string{FormatAudio, FormatVideo}}, 1, ""},
		{"mostly audio, keep video under 20%", &Goal{MaxShare: map[string]float64{FormatVideo: 0.2}}, 1, ""},
		{"video no more than a third", &Goal{MaxShare: map[string]float64{FormatVideo: third}}, 1, ""},
		{"max 30% on video", &Goal{MaxShare: map[string]float64{FormatVideo: 0.3}}, 1, ""},
		{"keep video and display under 30 percent", &Goal{MaxShare: map[string]float64{FormatVideo: 0.3, FormatImage: 0.3}}, 1, ""},
		{"video under 20% and display under 10%", &Goal{MaxShare: map[string]float64{FormatVideo: 0.2, FormatImage: 0.1}}, 1, ""},
		{"twenty percent cap on video", &Goal{MaxShare: map[string]float64{FormatVideo: 0.2}}, 1, ""},
		{"20% on video", &Goal{MaxShare: map[string]float64{FormatVideo: 0.2}}, 0.8, "as a cap"},
		{"without blowing my whole budget on video", &Goal{MaxShare: map[string]float64{FormatVideo: 0.25}}, 0.8, "cap of 25%"},
		{"a bit of video is ok", &Goal{MaxShare: map[string]float64{FormatVideo: 0.25}}, 0.8, "cap of 25%"},
		{"protect video inventory", &Goal{MaxShare: map[string]float64{FormatVideo: 0.25}}, 0.8, "not using up video inventory"},
		{"Let's go with video, ~30% max", &Goal{MaxShare: map[string]float64{FormatVideo: 0.3}}, 1, ""},
		{"nothing but audio", &Goal{Formats: []string{FormatAudio}}, 1, ""},
		{"cut back on video", &Goal{MaxShare: map[string]float64{FormatVideo: 0.25}}, 0.8, "cap of 25%"},
		{"video at 0%", &Goal{Formats: []string{FormatAudio, FormatImage}}, 1, ""},
		{"100% audio", &Goal{Formats: []string{FormatAudio}}, 1, ""},
		{"50/50 audio and video", &Goal{Formats: []string{FormatAudio, FormatVideo}}, 0.7, "exact split"},
		// Objective and formats together.
		{"Hey! We'd like brand awareness for our energy drink in Germany & Austria; audio and video, max 25% video. €10k.",
			&Goal{Objective: ObjectiveReach, Formats: []string{FormatAudio, FormatVideo}, MaxShare: map[string]float64{FormatVideo: 0.25}}, 1, ""},
		{"get the word out, no video, keep display under 10%",
			&Goal{Objective: ObjectiveReach, Formats: []string{FormatAudio, FormatImage}, MaxShare: map[string]float64{FormatImage: 0.1}}, 1, ""},
		{"grow my podcast with audio-only ads", &Goal{Objective: ObjectivePodcastStreams, Formats: []string{FormatAudio}}, 1, ""},
		// Spotify's rules: a conflict is kept as said and named in a note.
		{"video views but no video", &Goal{Objective: ObjectiveVideoViews, Formats: []string{FormatAudio, FormatImage}}, 1, "VIDEO_VIEWS runs on video"},
		{"podcast streams, video only", &Goal{Objective: ObjectivePodcastStreams, Formats: []string{FormatVideo}}, 1, "PODCAST_STREAMS runs on audio"},
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
			res := goalRunFirst(t, tt.give)
			if !goalSame(res.Goal, tt.want) {
				t.Errorf("Goal = %+v, want %+v", res.Goal, tt.want)
			}
			if res.Audience != nil || res.Budget != nil || res.Schedule != nil {
				t.Errorf("set another slot: %+v", res)
			}
			if math.Abs(res.Confidence-tt.wantConf) > 1e-9 {
				t.Errorf("Confidence = %v, want %v", res.Confidence, tt.wantConf)
			}
			goalCheckNotes(t, res.Notes, tt.wantNote)
		})
	}
}

func TestGoalSpecialistFollowUp(t *testing.T) {
	reach := &Goal{Objective: ObjectiveReach}
	reachNoVideo := &Goal{Objective: ObjectiveReach, Formats: []string{FormatAudio, FormatImage}}
	reachVideoCap := &Goal{Objective: ObjectiveReach, MaxShare: map[string]float64{FormatVideo: 0.2}}
	tests := []struct {
		current  *Goal
		give     string
		want     *Goal // nil: the goal is unchanged
		wantNote string
	}{
		{reach, "no video", reachNoVideo, ""},
		{reachVideoCap, "no video", reachNoVideo, ""},
		{reach, "focus on video views instead", goalObj(ObjectiveVideoViews), ""},
		// The new objective wins over an older limit it cannot run with, and says so.
		{reachNoVideo, "focus on video views instead", goalObj(ObjectiveVideoViews), "Allowed video again"},
		{reachVideoCap, "let's optimise for video views", goalObj(ObjectiveVideoViews), "Removed the 20% cap on video"},
		// Limits that still work with the new objective are kept.
		{reachNoVideo, "actually let's go for app installs", &Goal{Objective: ObjectiveAppInstalls, Formats: []string{FormatAudio, FormatImage}}, ""},
		{reachNoVideo, "allow video again", reach, ""},
		{reachVideoCap, "video is fine", reach, ""},
		{&Goal{Objective: ObjectiveReach, Formats: []string{FormatAudio}}, "bring back video", &Goal{Objective: ObjectiveReach, Formats: []string{FormatAudio, FormatVideo}}, ""},
		{reach, "cap video at 10%", &Goal{Objective: ObjectiveReach, MaxShare: map[string]float64{FormatVideo: 0.1}}, ""},
		{reachVideoCap, "make the video cap 10%", &Goal{Objective: ObjectiveReach, MaxShare: map[string]float64{FormatVideo: 0.1}}, ""},
		{reachVideoCap, "remove the cap on video", reach, ""},
		{reachNoVideo, "cap video at 10%", &Goal{Objective: ObjectiveReach, MaxShare: map[string]float64{FormatVideo: 0.1}}, "Allowed video again"},
		{reachVideoCap, "audio only", &Goal{Objective: ObjectiveReach, Formats: []string{FormatAudio}}, ""},
		{&Goal{Objective: ObjectiveClicks, Formats: []string{FormatVideo}}, "audio only", &Goal{Objective: ObjectiveClicks, Formats: []string{FormatAudio}}, ""},
		{reach, "include display too", &Goal{Objective: ObjectiveReach, Formats: []string{FormatAudio, FormatImage}}, ""},
		// A limit made in the follow-up itself stays, with the conflict named.
		{goalObj(ObjectiveVideoViews), "no video", &Goal{Objective: ObjectiveVideoViews, Formats: []string{FormatAudio, FormatImage}}, "VIDEO_VIEWS runs on video"},
		{goalObj(ObjectiveClicks), "forget clicks", &Goal{}, "Dropped the objective CLICKS"},
		// A weak "reach <someone>" never replaces an objective.
		{goalObj(ObjectiveClicks), "let's reach women too", nil, ""},
		{reachNoVideo, "skip video", nil, "nothing changed"},
		// A vague limit never loosens a tighter cap already set.
		{reachVideoCap, "less video", nil, "nothing changed"},
		{reach, "less video", &Goal{Objective: ObjectiveReach, MaxShare: map[string]float64{FormatVideo: 0.25}}, "cap of 25%"},
		// No goal yet: a follow-up reads it from scratch.
		{nil, "switch to website visits", goalObj(ObjectiveWebsiteVisits), ""},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			var current Brief
			if tt.current != nil {
				current = Brief{Goal: tt.current}.Clone()
			}
			before := current.Clone()
			req := Request{Message: NewMessage(tt.give), Current: current, FollowUp: true, Now: goalTestNow}
			res, err := NewGoalSpecialist().Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !goalSame(res.Goal, tt.want) {
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
			goalCheckNotes(t, res.Notes, tt.wantNote)
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
	s := NewGoalSpecialist()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := s.Touches(NewMessage(tt.give)); got != tt.want {
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
			if got := goalTokenize(normalizeText(tt.give)); !slices.Equal(got, tt.want) {
				t.Errorf("goalTokenize(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestGoalLoadTable(t *testing.T) {
	if _, err := goalLoadTable(goalPhrasesJSON); err != nil {
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
			_, err := goalLoadTable([]byte(tt.give))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("goalLoadTable error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestGoalCompatibleMatchesAPI checks the formats each objective may run on against
// the Ads API's own descriptions of its objectives, so the conflict notes follow Spotify.
func TestGoalCompatibleMatchesAPI(t *testing.T) {
	path := sharedFile(t, "spotify-ads-api/external-v3.yaml")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening the API description: %v", err)
	}
	defer f.Close()
	descriptions := map[Objective]string{}
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
			if ok && slices.Contains(Objectives, Objective(name)) {
				descriptions[Objective(name)] = desc
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
		want := goalAnyFormat
		if !strings.Contains(desc, "all asset formats") {
			var bits uint8
			for _, fb := range goalFormatBits {
				if strings.Contains(desc, fb.name) {
					bits |= fb.bit
				}
			}
			if bits != 0 {
				want = bits
			}
		}
		if got := goalCompatible[o]; got != want {
			t.Errorf("%s may run on %s, the API says %s (%q)", o, goalNames(got), goalNames(want), desc)
		}
	}
}

// goalFuzzCurrents are goals a follow-up may revise.
var goalFuzzCurrents = []*Goal{
	nil,
	{Objective: ObjectiveReach},
	{Objective: ObjectiveVideoViews, Formats: []string{FormatVideo}},
	{Objective: ObjectiveReach, Formats: []string{FormatAudio, FormatImage}, MaxShare: map[string]float64{FormatImage: 0.1}},
	{MaxShare: map[string]float64{FormatVideo: 0.2}},
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
	}
	for i, s := range seeds {
		f.Add(s, i%2 == 0, uint8(i))
	}
	s := NewGoalSpecialist()
	f.Fuzz(func(t *testing.T, text string, followUp bool, which uint8) {
		current := goalFuzzCurrents[int(which)%len(goalFuzzCurrents)]
		var brief Brief
		if current != nil {
			brief = Brief{Goal: current}.Clone()
		}
		before := brief.Clone()
		m := NewMessage(text)
		touches := s.Touches(m)
		res, err := s.Run(context.Background(), Request{Message: m, Current: brief, FollowUp: followUp, Now: goalTestNow})
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
			goalFuzzCheck(t, text, *g)
		}
	})
}

// goalFuzzCheck fails on a goal the JSON contract does not allow.
func goalFuzzCheck(t *testing.T, text string, g Goal) {
	t.Helper()
	if g.Objective != "" && !slices.Contains(Objectives, g.Objective) {
		t.Fatalf("Run(%q) objective %q", text, g.Objective)
	}
	if len(g.Formats) >= len(Formats) {
		t.Fatalf("Run(%q) formats %v: every format is written as none", text, g.Formats)
	}
	last := -1
	for _, f := range g.Formats {
		i := slices.Index(Formats, f)
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
		if !slices.Contains(Formats, k) || len(g.Formats) > 0 && !slices.Contains(g.Formats, k) {
			t.Fatalf("Run(%q) caps %s, which is not an allowed format (%v)", text, k, g.Formats)
		}
		if math.IsNaN(v) || v <= 0 || v >= 1 {
			t.Fatalf("Run(%q) caps %s at %v, want 0 < cap < 1", text, k, v)
		}
	}
}

const goalBenchBrief = "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days, mostly audio, keep video under 20%"

// BenchmarkGoalSpecialist measures Touches and Run on a typical first brief
// (target: well under 100 µs).
func BenchmarkGoalSpecialist(b *testing.B) {
	s := NewGoalSpecialist()
	m := NewMessage(goalBenchBrief)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if !s.Touches(m) {
			b.Fatal("Touches = false")
		}
		res, err := s.Run(ctx, Request{Message: m, Now: goalTestNow})
		if err != nil || res.Goal == nil {
			b.Fatalf("Run = %+v, %v", res, err)
		}
	}
}
