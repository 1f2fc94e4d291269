package audience

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/sharedtest"
	"github.com/biter777/countries"
)

// checkResult reports what makes res an invalid reading of the audience slot.
func checkResult(res agents.Result) string {
	if res.Goal != nil || res.Budget != nil || res.Schedule != nil {
		return "set another specialist's slot"
	}
	if math.IsNaN(res.Confidence) || res.Confidence < 0 || res.Confidence > 1 {
		return "confidence out of 0..1"
	}
	for _, n := range res.Notes {
		if n == "" || !utf8.ValidString(n) {
			return "empty or invalid note"
		}
	}
	a := res.Audience
	if a == nil {
		return ""
	}
	for _, r := range a.AgeRanges {
		if r.Min < minAge || r.Max > maxAge || r.Min > r.Max {
			return "age range out of 13..99"
		}
	}
	valid := func(list []string, ok func(string) bool) bool {
		seen := map[string]bool{}
		for _, v := range list {
			if seen[v] || !ok(v) {
				return false
			}
			seen[v] = true
		}
		return true
	}
	oneOf := func(vals ...string) func(string) bool {
		return func(v string) bool { return slices.Contains(vals, v) }
	}
	isCountry := func(v string) bool {
		c := countries.ByName(v)
		return len(v) == 2 && strings.ToUpper(v) == v && c.IsValid() && c.Alpha2() == v
	}
	isLanguage := func(v string) bool { return len(v) == 2 && strings.ToLower(v) == v }
	nonEmpty := func(v string) bool { return v != "" }
	switch {
	case !valid(a.Genders, oneOf(agents.GenderMale, agents.GenderFemale, agents.GenderNonBinary)):
		return "bad genders"
	case !valid(a.Platforms, oneOf(agents.PlatformIOS, agents.PlatformAndroid, agents.PlatformDesktop)):
		return "bad platforms"
	case !valid(a.Placements, oneOf(agents.PlacementMusic, agents.PlacementPodcast)):
		return "bad placements"
	case !valid(a.Geo.Countries, isCountry):
		return "bad countries"
	case !valid(a.Languages, isLanguage):
		return "bad languages"
	case !valid(a.Geo.Regions, nonEmpty), !valid(a.Geo.Cities, nonEmpty), !valid(a.Genres, nonEmpty), !valid(a.Interests, nonEmpty):
		return "empty or repeated names"
	}
	return ""
}

func FuzzAudienceSpecialist(f *testing.F) {
	seeds := []string{
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
		"Reach Spanish-speaking women 25-44 in Texas and California who listen to reggaeton",
		"drop the UK and do Ireland instead", "swap the UK for Ireland", "only women", "men too",
		"make it 25-34 instead", "no age limit", "iOS only", "add podcasts", "DE, AT, CH", "U.S.A.",
		"in their late 20s and early 30s", "under 18", "Gen Alpha", "between 8 and 10k", "R$ 90.000",
		"exclude London", "not on desktop", "no, France", "remove 18-24", "the Nordics except Iceland",
		"\xff\xfe18-\x00", "İstanbul", "ǅ", "...---...", "18-24-35-44", "their 20s 30s 40s",
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	s := New()
	current := &agents.Audience{
		AgeRanges: ages(18, 24, 35, 44),
		Genders:   []string{agents.GenderFemale},
		Geo:       agents.Geo{Countries: []string{"DE", "GB"}, Regions: []string{"Bavaria"}, Cities: []string{"London"}},
		Genres:    []string{"pop"}, Interests: []string{"fitness"}, Platforms: []string{agents.PlatformIOS},
		Placements: []string{agents.PlacementMusic}, Languages: []string{"de"},
	}
	f.Fuzz(func(t *testing.T, text string, followUp bool) {
		before := current.Clone()
		m := agents.NewMessage(text, testNow)
		touches := s.Touches(m)
		req := agents.Request{Message: m, FollowUp: followUp, Now: testNow}
		if followUp {
			req.Current = agents.Brief{Audience: current}
		}
		res, err := s.Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run(%q) failed: %v", text, err)
		}
		if why := checkResult(res); why != "" {
			t.Fatalf("Run(%q, followUp=%v) = %s: %s", text, followUp, audienceJSON(res.Audience), why)
		}
		if !touches && res.Audience != nil {
			t.Fatalf("Touches(%q) = false but Run read %s", text, audienceJSON(res.Audience))
		}
		if !reflect.DeepEqual(*current, before) {
			t.Fatalf("Run(%q) changed req.Current.Audience", text)
		}
		for _, src := range res.Sources {
			if src.Span.Start < 0 || src.Span.Start > src.Span.End || src.Span.End > len(m.Lower) {
				t.Fatalf("Run(%q) source %+v outside the message (%d bytes)", text, src, len(m.Lower))
			}
			if src.Field != fieldNameCue && !slices.Contains(clearedField[:], src.Field) &&
				src.Field != fieldNameRegions && src.Field != fieldNameCities {
				t.Fatalf("Run(%q) source of unknown field %q", text, src.Field)
			}
		}
	})
}

func BenchmarkAudienceSpecialist(b *testing.B) {
	s := New()
	briefs := []struct {
		name string
		req  agents.Request
	}{
		{"first-brief", agents.Request{Message: agents.NewMessage("Reach Spanish-speaking women 25-44 in Texas and California who listen to reggaeton and latin pop on iOS, budget $20,000 over 6 weeks", testNow), Now: testNow}},
		{"follow-up", agents.Request{Message: agents.NewMessage("drop the UK and do Ireland instead", testNow), FollowUp: true, Now: testNow,
			Current: agents.Brief{Audience: &agents.Audience{AgeRanges: ages(18, 24), Geo: agents.Geo{Countries: []string{"DE", "GB"}}}}}},
		{"not-audience", agents.Request{Message: agents.NewMessage("extend to 60 days and make it 8k", testNow), Now: testNow}},
	}
	for _, bb := range briefs {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if s.Touches(bb.req.Message) {
					if _, err := s.Run(context.Background(), bb.req); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// Duckling's money and duration examples (peer-written, in ../shared) speak to the
// budget and schedule only: none of them names an audience ("42 malaysian ringgits"
// is a currency, not Malaysia).
func TestAudienceSpecialistIgnoresDucklingMoneyAndDurations(t *testing.T) {
	s := New()
	for _, rel := range []string{"eval/duckling/duckling_money_en.jsonl", "eval/duckling/duckling_duration_en.jsonl"} {
		path := sharedtest.File(t, rel)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var row struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatalf("parsing %s: %v", path, err)
			}
			if s.Touches(agents.NewMessage(row.Text, testNow)) {
				t.Errorf("Touches(%q) = true; want false (%s)", row.Text, rel)
			}
		}
	}
}

// Inputs of 100 KB read in one pass and still give a valid audience; fuzzing keeps to
// short strings, so the long lists that stress list and cue handling are here.
func TestAudienceSpecialistLargeInputs(t *testing.T) {
	noise := make([]byte, 100000)
	for i := range noise {
		noise[i] = byte(i*7919%251 + 1)
	}
	inputs := map[string]string{
		"genre list":   strings.Repeat("country, ", 11000) + "country music",
		"place list":   strings.Repeat("Jordan, ", 12000) + "in Chad",
		"age ranges":   strings.Repeat("18-24, 25-34 and 35+ ", 5000),
		"follow-ups":   strings.Repeat("women in Germany who love hip-hop, drop the UK and do Ireland instead ", 1400),
		"codes":        strings.Repeat("DE, AT, IT, IN, NO ", 5000),
		"decades":      strings.Repeat("their 20s and ", 7000),
		"binary noise": string(noise),
	}
	s := New()
	current := &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}}}
	for name, text := range inputs {
		for _, followUp := range []bool{false, true} {
			req := agents.Request{Message: agents.NewMessage(text, testNow), FollowUp: followUp, Current: agents.Brief{Audience: current}, Now: testNow}
			s.Touches(req.Message)
			res, err := s.Run(context.Background(), req)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if why := checkResult(res); why != "" {
				t.Errorf("%s (followUp=%v): %s", name, followUp, why)
			}
		}
	}
}
