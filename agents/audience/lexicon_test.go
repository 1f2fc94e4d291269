package audience

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// Every phrase in the genre and interest tables reads as its own name, so a table
// edit that a higher-priority table shadows is caught.
func TestAudienceGenreAndInterestPhrases(t *testing.T) {
	var genres genreFile
	var interests interestFile
	for name, into := range map[string]any{"data/audience_genres.json": &genres, "data/audience_interests.json": &interests} {
		b, err := dataFS.ReadFile(name)
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("parsing %s: %v", name, err)
		}
	}
	seen := map[string]bool{}
	for _, g := range genres.Genres {
		if g.Name != strings.ToLower(g.Name) || seen[g.Name] {
			t.Errorf("genre %q: names are lower-case and unique", g.Name)
		}
		seen[g.Name] = true
		for _, a := range append(append([]string(nil), g.Aliases...), g.CueAliases...) {
			res := runFirst(t, a+" fans")
			if res.Audience == nil || !slices.Equal(res.Audience.Genres, []string{g.Name}) {
				t.Errorf("%q reads as %s; want genre %s", a+" fans", audienceJSON(res.Audience), g.Name)
			}
		}
	}
	for _, it := range interests.Interests {
		if it.Name != strings.ToLower(it.Name) || seen[it.Name] {
			t.Errorf("interest %q: names are lower-case and unique", it.Name)
		}
		seen[it.Name] = true
		for _, a := range append(append([]string(nil), it.Aliases...), it.CueAliases...) {
			res := runFirst(t, "people into "+a)
			if res.Audience == nil || !slices.Contains(res.Audience.Interests, it.Name) {
				t.Errorf("%q reads as %s; want interest %s", "people into "+a, audienceJSON(res.Audience), it.Name)
			}
		}
	}
}

// Cue-only phrases stay quiet without their cue.
func TestAudienceCuePhrasesNeedTheirCue(t *testing.T) {
	tests := []struct {
		give string
		want *agents.Audience
	}{
		{"the country", nil},
		{"a house party", nil},
		{"dance like nobody is watching", nil},
		{"finance approved the budget", nil},
		{"good news", nil},
		{"our business goals", nil},
		{"country music", &agents.Audience{Genres: []string{"country"}}},
		{"house and techno", &agents.Audience{Genres: []string{"house", "techno"}}},
		{"finance news junkies", &agents.Audience{Interests: []string{"finance", "news"}}},
		{"business and finance podcasts", &agents.Audience{Interests: []string{"business", "finance"}, Placements: []string{agents.PlacementPodcast}}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := runFirst(t, tt.give).Audience; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Run(%q) = %s; want %s", tt.give, audienceJSON(got), audienceJSON(tt.want))
			}
		})
	}
}

func TestAudienceTokenize(t *testing.T) {
	tests := []struct {
		give string
		want string // tokens joined by |, with the separator before each
	}{
		{"18-24 year olds", "18|-24| year| olds"},
		{"hip-hop & R&B", "hip|-hop| &| r|&|b"},
		{"45+, €5.000", "45|+|,€|5.000"},
		{"the U.S.A. and L.A.", "the| usa| and| la"},
		{"St. Louis. Next", "st| louis|.next"},
		{"women's", "women| s"},
	}
	sepNames := map[byte]string{sepNone: "", sepSpace: " ", sepDash: "-", sepSlash: "/", sepComma: ",", sepClause: "."}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			var parts []string
			for i, tok := range tokenize(agents.Normalize(tt.give), nil) {
				sep := sepNames[tok.sep]
				if i == 0 {
					sep = ""
				}
				parts = append(parts, sep+tok.s)
			}
			if got := strings.Join(parts, "|"); got != tt.want {
				t.Errorf("tokenize(%q) = %q; want %q", tt.give, got, tt.want)
			}
		})
	}
}
