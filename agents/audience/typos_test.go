package audience

import (
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// TestAudienceReadsTypos checks that a misspelt country or gender word of five letters
// or more is read as the word it misspells, with a note saying so, and covered by a
// source; and that real words one edit from a name, short words and words as close to
// two names are not.
func TestAudienceReadsTypos(t *testing.T) {
	tests := []struct {
		give      string
		countries []string
		genders   []string
		note      string
	}{
		{"launch in Swtizerland and Austira, 30-45", []string{"CH", "AT"}, nil, `Read "swtizerland" as Switzerland.`},
		{"podcast fans in Portgual", []string{"PT"}, nil, `Read "portgual" as Portugal.`},
		{"wmoen 25-34 in Mexico", []string{"MX"}, []string{"FEMALE"}, `Read "wmoen" as women.`},
		{"Irleand only, males 18-24", []string{"IE"}, []string{"MALE"}, `Read "irleand" as Ireland.`},
		{"Netherlnds, Belguim and Luxembourg", []string{"NL", "BE", "LU"}, nil, `Read "belguim" as Belgium.`},
		// Not typos: real words, short words, two names as close.
		{"our sales team in Spain", []string{"ES"}, nil, ""},
		{"Spain, and the males 35+ who trade there", []string{"ES"}, []string{"MALE"}, ""},
		// Peru has four letters, under the five a target needs.
		{"Perru and Chille", []string{"CL"}, nil, `Read "chille" as Chile.`},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			res := runFirst(t, tt.give)
			if res.Audience == nil {
				if tt.countries != nil || tt.genders != nil {
					t.Fatalf("no audience read (notes %q)", res.Notes)
				}
				return
			}
			if !slices.Equal(res.Audience.Geo.Countries, tt.countries) || !slices.Equal(res.Audience.Genders, tt.genders) {
				t.Errorf("countries %v genders %v, want %v %v", res.Audience.Geo.Countries, res.Audience.Genders, tt.countries, tt.genders)
			}
			hasTypoNote := slices.ContainsFunc(res.Notes, func(n string) bool { return len(n) > 5 && n[:5] == "Read " && n[len(n)-1] == '.' && n[5] == '"' })
			switch {
			case tt.note == "" && hasTypoNote:
				t.Errorf("notes %q, want no misspelling read", res.Notes)
			case tt.note != "" && !slices.Contains(res.Notes, tt.note):
				t.Errorf("notes %q, want %q", res.Notes, tt.note)
			case tt.note != "":
				// The misspelt word is a source, so it is not reported unread.
				word := strings.ToLower(strings.Split(tt.note, `"`)[1])
				lower := strings.ToLower(tt.give)
				if !slices.ContainsFunc(res.Sources, func(s agents.Source) bool { return lower[s.Span.Start:s.Span.End] == word }) {
					t.Errorf("sources %v cover no %q", res.Sources, word)
				}
			}
		})
	}
}
