package audience

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/geo"
	"github.com/biter777/countries"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Geography: country names, ISO codes, capitals and subdivision names come from
// github.com/biter777/countries. Only what the library lacks is hand-typed in
// data/audience_geo.json, and the aliases of countries ("the States", "Holland") are
// agents/geo's, shared with the budget and the schedule: market groups
// (DACH, Nordics, EU5, LATAM), big cities that are not capitals, English exonyms of
// regions ("Bayern" is "Bavaria") and which subdivisions count as regions.

type geoFile struct {
	SkipCountries    []string `json:"skip_countries"`
	SkipCountryNames []string `json:"skip_country_names"`
	// AbbreviatedPrefixes maps a word starting country names to its abbreviation.
	AbbreviatedPrefixes map[string]string `json:"abbreviated_prefixes"`
	CueRequired         []string          `json:"cue_required"`
	CodeAllowlist       []string          `json:"code_allowlist"`
	SpecialCodes        map[string]struct {
		Country string `json:"country"`
		City    string `json:"city"`
		// ListOnly marks a code that is also an abbreviation ("ROI"): it counts only
		// inside a list of places ("UK & ROI").
		ListOnly bool `json:"list_only"`
	} `json:"special_codes"`
	Groups         []geoPlace          `json:"groups"`
	Broad          []string            `json:"broad"`
	SkipCapitals   []string            `json:"skip_capitals"`
	CapitalAliases map[string][]string `json:"capital_aliases"`
	Cities         []geoPlace          `json:"cities"`
	RegionTypes    map[string][]string `json:"region_types"`
	RegionSkip     []string            `json:"region_skip"`
	RegionExonyms  map[string]string   `json:"region_exonyms"`
	RegionNotes    map[string]string   `json:"region_notes"`
	RegionAliases  map[string][]string `json:"region_aliases"`
	ExtraRegions   []geoPlace          `json:"extra_regions"`
	ForeignNames   struct {
		Languages []string `json:"languages"`
		Skip      []string `json:"skip"`
	} `json:"foreign_names"`
}

// geoPlace is a hand-typed city, region or group of countries.
type geoPlace struct {
	Name      string   `json:"name"`
	Country   string   `json:"country"`
	Countries []string `json:"countries"`
	Aliases   []string `json:"aliases"`
}

// geoBuilder adds place phrases, giving a phrase that is also an ordinary
// word ("Jordan", "Chad") an entry that needs a place word or a list around it.
type geoBuilder struct {
	lex   *lexicon
	geo   *geoFile
	needs map[string]bool
	// all are the library's countries that are markets, countryName their names.
	all         []countries.CountryCode
	countryName map[string]string
}

func (b *geoBuilder) add(key string, facts []fact) {
	e := &audienceEntry{facts: facts}
	// The lexicon also files key without diacritics, so a key needs a cue when either
	// spelling does: "Pará" is also "para", Spanish and Portuguese for "for".
	if k := audienceKey(key); b.needs[k] || b.needs[fold(k)] {
		e.need = needPlace
	}
	b.lex.add(key, e)
}

// addTypoTarget lets a misspelling of a country's English name or alias be read as
// the country ("germnay").
func (b *geoBuilder) addTypoTarget(key, a2 string) {
	var need audienceNeed
	if k := audienceKey(key); b.needs[k] || b.needs[fold(k)] {
		need = needPlace
	}
	b.lex.addTypoTarget(key, b.countryName[a2], need)
}

func (b *geoBuilder) knows(a2 string) bool {
	_, ok := b.countryName[a2]
	return ok
}

func countryFacts(a2 string) []fact {
	return []fact{{kind: factCountry, codes: []string{a2}}}
}

// audienceKey is key as the lexicon spells it: normalised tokens joined by spaces.
func audienceKey(key string) string {
	toks := tokenize(agents.Normalize(key), nil)
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.s
	}
	return strings.Join(parts, " ")
}

// addGeo adds every place phrase. The first phrase to claim a key keeps it, so the
// order of the steps is their priority.
func (lex *lexicon) addGeo(geo *geoFile) error {
	b := &geoBuilder{lex: lex, geo: geo, needs: set(geo.CueRequired), countryName: map[string]string{}}
	skip := set(geo.SkipCountries)
	for _, c := range countries.All() {
		a2 := c.Alpha2()
		if skip[strings.ToLower(a2)] || len(a2) != 2 {
			continue
		}
		b.all = append(b.all, c)
		b.countryName[a2] = cleanName(c.String())
	}
	for _, step := range []func() error{
		// Cities first: a city that is also a region ("Hamburg", "São Paulo") or gives
		// its name to one ("New York") is read as the city.
		b.addCities, b.addCountries, b.addGroups, b.addCapitals, b.addRegions, b.addForeignNames, b.addCodes,
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// addCities adds the hand-typed cities.
func (b *geoBuilder) addCities() error {
	for _, c := range b.geo.Cities {
		if !b.knows(c.Country) {
			return fmt.Errorf("reading audience cities: %s has unknown country %q", c.Name, c.Country)
		}
		facts := []fact{{kind: factCity, value: c.Name, codes: []string{c.Country}}}
		b.add(c.Name, facts)
		for _, a := range c.Aliases {
			b.add(a, facts)
		}
		b.lex.cityCountry[c.Name] = c.Country
		b.lex.cityCount++
	}
	return nil
}

// addCountries adds the aliases of countries agents/geo knows, then the library's names
// with their abbreviated forms ("St Lucia").
func (b *geoBuilder) addCountries() error {
	for _, n := range geo.Names() {
		// Dotted abbreviations ("u.s") are read as codes (special_codes): this
		// tokenizer drops the dots, and "us" is a word.
		if n.Kind != geo.Alias || strings.Contains(n.Text, ".") {
			continue
		}
		if !b.knows(n.Country) {
			return fmt.Errorf("reading the aliases of agents/geo: %q names %q, not a market", n.Text, n.Country)
		}
		b.add(n.Text, countryFacts(n.Country))
		b.addTypoTarget(n.Text, n.Country)
	}
	skipNames := set(b.geo.SkipCountryNames)
	prefixes := slices.Sorted(maps.Keys(b.geo.AbbreviatedPrefixes))
	for _, c := range b.all {
		a2 := c.Alpha2()
		name := b.countryName[a2]
		if skipNames[audienceKey(name)] {
			continue
		}
		b.add(name, countryFacts(a2))
		b.addTypoTarget(name, a2)
		for _, prefix := range prefixes {
			if rest, ok := strings.CutPrefix(name, prefix+" "); ok {
				b.add(b.geo.AbbreviatedPrefixes[prefix]+" "+rest, countryFacts(a2))
			}
		}
	}
	return nil
}

// shortForeignName is the longest one-word foreign name that needs a place word
// before it: short words are likelier to be words of another language ("inde").
const shortForeignName = 4

// addForeignNames adds the names of countries in the languages of foreign_names, from
// CLDR: "Deutschland", "España", "Estados Unidos". They come after every English
// phrase, so an English reading is never overridden.
func (b *geoBuilder) addForeignNames() error {
	skip := set(b.geo.ForeignNames.Skip)
	for _, l := range b.geo.ForeignNames.Languages {
		tag, err := language.Parse(l)
		if err != nil {
			return fmt.Errorf("reading audience foreign_names: language %q: %w", l, err)
		}
		names := display.Regions(tag)
		for _, c := range b.all {
			a2 := c.Alpha2()
			region, err := language.ParseRegion(a2)
			if err != nil {
				continue
			}
			name := names.Name(region)
			key := audienceKey(name)
			if name == "" || skip[key] || skip[fold(key)] || key == audienceKey(b.countryName[a2]) {
				continue
			}
			e := &audienceEntry{facts: countryFacts(a2)}
			// "Perú" is the English name with an accent; "Inde" is another word.
			if !strings.Contains(key, " ") && utf8.RuneCountInString(key) <= shortForeignName &&
				fold(key) != fold(audienceKey(b.countryName[a2])) {
				e.need = needPlace
			}
			b.lex.add(name, e)
		}
	}
	return nil
}

// addGroups adds market groups (DACH, Nordics) and areas too broad to be one.
func (b *geoBuilder) addGroups() error {
	for _, g := range b.geo.Groups {
		for _, a2 := range g.Countries {
			if !b.knows(a2) {
				return fmt.Errorf("reading audience group %s: unknown country %q", g.Name, a2)
			}
		}
		facts := []fact{{kind: factCountry, value: g.Name, codes: g.Countries}}
		for _, a := range g.Aliases {
			b.add(a, facts)
		}
	}
	for _, a := range b.geo.Broad {
		b.add(a, []fact{{kind: factBroad, value: a}})
	}
	return nil
}

// addCapitals adds the library's capitals, unless the capital is the country
// ("Singapore") or a word that a brief means as something else (skip_capitals).
func (b *geoBuilder) addCapitals() error {
	skipCaps := set(b.geo.SkipCapitals)
	for _, c := range b.all {
		capital := c.Capital()
		if !capital.IsValid() {
			continue
		}
		name := cleanName(capital.String())
		a2 := c.Alpha2()
		if name == "" || skipCaps[audienceKey(name)] || audienceKey(name) == audienceKey(b.countryName[a2]) ||
			b.lex.namesCountry(name, a2) {
			continue // a city-state: "Singapore", "Vatican City", "Macao"
		}
		facts := []fact{{kind: factCity, value: name, codes: []string{a2}}}
		b.add(name, facts)
		for _, a := range b.geo.CapitalAliases[name] {
			b.add(a, facts)
		}
		if _, ok := b.lex.cityCountry[name]; !ok {
			b.lex.cityCountry[name] = a2
		}
		b.lex.capitalCount++
	}
	return nil
}

// addRegions adds the library's first-level subdivisions of the countries listed in
// region_types, under their English names, then the hand-typed extra regions.
func (b *geoBuilder) addRegions() error {
	regionSkip := set(b.geo.RegionSkip)
	for a2, types := range b.geo.RegionTypes {
		c := countries.ByName(a2)
		if !c.IsValid() || c.Alpha2() != a2 {
			return fmt.Errorf("reading audience region types: unknown country %q", a2)
		}
		wanted := map[countries.SubdivisionTypeCode]bool{}
		for _, t := range types {
			wanted[countries.SubdivisionTypeCode(t)] = true
		}
		for _, s := range c.Subdivisions() {
			if !wanted[s.SubdivisionType()] {
				continue
			}
			local := cleanSubdivision(s.String())
			if local == "" || regionSkip[audienceKey(local)] {
				continue
			}
			english := local
			if ex, ok := b.geo.RegionExonyms[local]; ok {
				english = ex
			}
			b.addRegion(english, a2, []string{local})
			b.addSubdivisionCode(string(s), english, a2)
		}
	}
	for _, r := range b.geo.ExtraRegions {
		b.addRegion(r.Name, r.Country, r.Aliases)
	}
	return nil
}

// addSubdivisionCode files the code of a region ("TX" of "US-TX", "VIC" of "AU-VIC"),
// which reads as the region only where the message names its country (see
// resolveStateCodes).
func (b *geoBuilder) addSubdivisionCode(code, name, a2 string) {
	short, ok := strings.CutPrefix(code, a2+"-")
	if !ok || len(short) < 2 || len(short) > 3 {
		return
	}
	for i := 0; i < len(short); i++ {
		if !asciiLetter(short[i]) {
			return
		}
	}
	short = strings.ToLower(short)
	b.lex.subdivisionCodes[short] = append(b.lex.subdivisionCodes[short],
		fact{kind: factRegion, value: name, codes: []string{a2}})
}

func (b *geoBuilder) addRegion(name, a2 string, aliases []string) {
	facts := []fact{{kind: factRegion, value: name, codes: []string{a2}}}
	b.add(name, facts)
	for _, a := range aliases {
		b.add(a, facts)
	}
	for _, a := range b.geo.RegionAliases[name] {
		b.add(a, facts)
	}
	if _, ok := b.lex.regionCountry[name]; !ok {
		b.lex.regionCountry[name] = a2
	}
}

// addCodes adds ISO codes, read from capitals only: "DE", "UK"; codes that are also
// words or abbreviations ("IT", "IN", "TV") count only inside a list of places.
func (b *geoBuilder) addCodes() error {
	allow := map[string]bool{}
	for _, a := range b.geo.CodeAllowlist {
		allow[strings.ToLower(a)] = true
	}
	for _, c := range b.all {
		lower := strings.ToLower(c.Alpha2())
		e := &audienceEntry{facts: countryFacts(c.Alpha2())}
		if !allow[lower] {
			e.need = needList
		}
		b.lex.codeEntries[lower] = e
	}
	for code, sc := range b.geo.SpecialCodes {
		var facts []fact
		switch {
		case sc.City != "":
			a2, ok := b.lex.cityCountry[sc.City]
			if !ok {
				return fmt.Errorf("reading audience special code %s: unknown city %q", code, sc.City)
			}
			facts = []fact{{kind: factCity, value: sc.City, codes: []string{a2}}}
		case sc.Country != "":
			facts = countryFacts(sc.Country)
		}
		e := &audienceEntry{facts: facts}
		if sc.ListOnly {
			e.need = needList
		}
		lower := strings.ToLower(code)
		b.lex.codeEntries[lower] = e
		b.lex.dottedEntries[lower] = e
	}
	return nil
}

// cleanName drops the library's parenthesised qualifiers: "Iran (Islamic
// Republic of)" is "Iran".
func cleanName(name string) string {
	for {
		open := strings.IndexByte(name, '(')
		if open < 0 {
			break
		}
		end := strings.IndexByte(name[open:], ')')
		if end < 0 {
			name = name[:open]
			break
		}
		name = name[:open] + name[open+end+1:]
	}
	return strings.Join(strings.Fields(name), " ")
}

// cleanSubdivision keeps the first name of a subdivision the library names
// several ways: "Navarra, Comunidad Foral de / Nafarroako Foru Komunitatea" is
// "Navarra", "Wales; Cymru" is "Wales".
func cleanSubdivision(name string) string {
	for _, sep := range []string{" / ", ";", ", "} {
		if i := strings.Index(name, sep); i >= 0 {
			name = name[:i]
		}
	}
	return strings.TrimSpace(name)
}

// namesCountry reports whether key is already read as the country a2 alone.
func (lex *lexicon) namesCountry(key, a2 string) bool {
	toks := tokenize(agents.Normalize(key), nil)
	e, end := lex.longest(toks, 0)
	return e != nil && end == len(toks) && e.facts[0].kind == factCountry &&
		len(e.facts[0].codes) == 1 && e.facts[0].codes[0] == a2
}
