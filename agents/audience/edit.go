package audience

import (
	"fmt"
	"slices"

	"github.com/adplan/adplan/agents"
	"github.com/biter777/countries"
)

// Edits of the audience's lists, and the notes they owe the user.

// The closed lists, in the order a complement is written in ("not on desktop" is iOS
// and Android).
var (
	genders    = []string{agents.GenderFemale, agents.GenderMale, agents.GenderNonBinary}
	platforms  = []string{agents.PlatformIOS, agents.PlatformAndroid, agents.PlatformDesktop}
	placements = []string{agents.PlacementMusic, agents.PlacementPodcast}
)

// removeCountry drops a country and the regions and cities in it.
func (r *revision) removeCountry(code string) {
	g := &r.aud.Geo
	if !slices.Contains(g.Countries, code) {
		if !r.followUp {
			return // a first brief's "not Denmark" has nothing to take back
		}
		r.note(fmt.Sprintf("%s is not in the audience, so there is nothing to remove.", audienceCountryName(code)), 0.9)
		return
	}
	g.Countries = slices.DeleteFunc(g.Countries, func(c string) bool { return c == code })
	g.Regions = slices.DeleteFunc(g.Regions, func(n string) bool { return r.lex.regionCountry[n] == code })
	g.Cities = slices.DeleteFunc(g.Cities, func(n string) bool { return r.lex.cityCountry[n] == code })
}

// removePlace drops a region or city. Spotify targets places but cannot carve one out
// of a country, so removing a place that was never targeted on its own only says so.
func (r *revision) removePlace(list *[]string, name, code string) {
	if slices.Contains(*list, name) {
		*list = slices.DeleteFunc(*list, func(n string) bool { return n == name })
		if slices.Contains(r.aud.Geo.Countries, code) {
			r.note(fmt.Sprintf("Removed %s; %s stays targeted as a whole unless you drop it too.", name, audienceCountryName(code)), 0.9)
		}
		return
	}
	if slices.Contains(r.aud.Geo.Countries, code) {
		r.note(fmt.Sprintf("Cannot exclude %s alone: ads target places, not exceptions, so all of %s stays targeted.", name, audienceCountryName(code)), 0.7)
		return
	}
	r.note(fmt.Sprintf("%s is not in the audience, so there is nothing to remove.", name), 0.9)
}

// countryNames are the names a note uses where the library's reads awkwardly.
var countryNames = map[string]string{
	"GB": "the UK", "US": "the US", "NL": "the Netherlands", "AE": "the UAE", "PH": "the Philippines",
	"CZ": "Czechia", "KR": "South Korea", "RU": "Russia",
}

func audienceCountryName(code string) string {
	if n, ok := countryNames[code]; ok {
		return n
	}
	if c := countries.ByName(code); c.IsValid() {
		return cleanName(c.String())
	}
	return code
}

func (r *revision) editOpen(list *[]string, v string, add bool) {
	if add {
		*list = Append(*list, v)
		return
	}
	if !slices.Contains(*list, v) {
		if r.followUp {
			r.note(fmt.Sprintf("%s is not in the audience, so there is nothing to remove.", v), 0.9)
		}
		return
	}
	*list = slices.DeleteFunc(*list, func(s string) bool { return s == v })
}

// editClosed edits a list whose every value is known, where empty means all of them:
// removing one from an empty list leaves the others.
func (r *revision) editClosed(list *[]string, all []string, v string, add bool) {
	if add {
		*list = Append(*list, v)
		return
	}
	if len(*list) == 0 {
		for _, a := range all {
			if a != v {
				*list = append(*list, a)
			}
		}
		return
	}
	*list = slices.DeleteFunc(*list, func(s string) bool { return s == v })
	if len(*list) == 0 {
		r.emptied = append(r.emptied, audienceEmptied{list: list, value: v})
	}
}

// audienceEmptied records a closed list a removal emptied, which lifts its restriction
// unless the message goes on to name something else.
type audienceEmptied struct {
	list  *[]string
	value string
}

// audienceWords names the enum values in notes.
var audienceWords = map[string]string{
	agents.GenderFemale: "women", agents.GenderMale: "men", agents.GenderNonBinary: "non-binary people",
	agents.PlatformIOS: "iOS", agents.PlatformAndroid: "Android", agents.PlatformDesktop: "desktop",
	agents.PlacementMusic: "music", agents.PlacementPodcast: "podcasts",
}
