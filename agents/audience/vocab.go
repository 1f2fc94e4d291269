package audience

import "strings"

// The tables' vocabulary by name, for checking what a language model answers.

// audienceVocab lists the canonical names the audience tables know.
type audienceVocab struct {
	genres, interests []string
	aliases           map[string]string // "genre:hip hop" → "hip-hop"
	languages         map[string]bool
}

// canonical maps a name or alias of kind ("genre", "interest") to the tables' own name.
func (v *audienceVocab) canonical(kind, s string) (string, bool) {
	name, ok := v.aliases[kind+":"+strings.ToLower(strings.TrimSpace(s))]
	return name, ok
}

func (v *audienceVocab) add(genres genreFile, interests interestFile, nats nationalityFile) {
	v.aliases, v.languages = map[string]string{}, map[string]bool{"en": true}
	for _, g := range genres.Genres {
		v.genres = append(v.genres, g.Name)
		for _, a := range append(append([]string{g.Name}, g.Aliases...), g.CueAliases...) {
			v.aliases["genre:"+strings.ToLower(a)] = g.Name
		}
	}
	for _, it := range interests.Interests {
		v.interests = append(v.interests, it.Name)
		for _, a := range append(append([]string{it.Name}, it.Aliases...), it.CueAliases...) {
			v.aliases["interest:"+strings.ToLower(a)] = it.Name
		}
	}
	for _, n := range nats.Nationalities {
		if n.Language != "" {
			v.languages[n.Language] = true
		}
	}
}

// Vocabulary is what the audience tables know by name: genres, interests, languages,
// and the regions and cities they place in a country. A model's reading is checked
// against exactly this, so it cannot name what the rules would not.
type Vocabulary struct {
	vocab *audienceVocab
	lex   *lexicon
}

// Vocab returns the tables' vocabulary. The tables are embedded; if a phrase table were
// broken, the audience tests fail first, and Vocab knows English and nothing else (a
// broken words file panics instead, see defaultWords).
func Vocab() Vocabulary {
	lex, err := audienceLex()
	if err != nil {
		return Vocabulary{vocab: &audienceVocab{aliases: map[string]string{}, languages: map[string]bool{"en": true}}}
	}
	return Vocabulary{vocab: &lex.vocab, lex: lex}
}

// Genres lists every genre by its canonical name.
func (v Vocabulary) Genres() []string { return v.vocab.genres }

// Interests lists every interest by its canonical name.
func (v Vocabulary) Interests() []string { return v.vocab.interests }

// Canonical maps a name or alias of kind ("genre", "interest") to the tables' own name.
func (v Vocabulary) Canonical(kind, name string) (string, bool) { return v.vocab.canonical(kind, name) }

// KnowsLanguage reports whether code is an ISO 639-1 language the tables know.
func (v Vocabulary) KnowsLanguage(code string) bool { return v.vocab.languages[code] }

// RegionCountry is the country (ISO 3166-1 alpha-2) of a region the tables know.
func (v Vocabulary) RegionCountry(name string) (string, bool) {
	if v.lex == nil {
		return "", false
	}
	c, ok := v.lex.regionCountry[name]
	return c, ok
}

// CityCountry is the country (ISO 3166-1 alpha-2) of a city the tables know.
func (v Vocabulary) CityCountry(name string) (string, bool) {
	if v.lex == nil {
		return "", false
	}
	c, ok := v.lex.cityCountry[name]
	return c, ok
}
