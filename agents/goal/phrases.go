package goal

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/adplan/adplan/agents"
)

//go:embed data/goal_phrases.json
var phrasesJSON []byte

type goalTable struct {
	// byFirst holds the phrases by their first word, longest first.
	byFirst map[string][]phrase
	// oneWord are the phrases of one word that name an objective, which a misspelling
	// may be read as ("awarness").
	oneWord []string
	// oneWordObjective is the objective of each of oneWord.
	oneWordObjective []string
}

type phrase struct {
	words []string
	group *goalGroup
}

type goalGroup struct {
	objective  agents.Objective // "" for phrases that only block shorter ones
	strength   int
	endStrong  bool
	confidence float64
	note       string
	near       []goalNear
	// nearMessage makes near words count anywhere in the message, not only in the
	// match's sentence.
	nearMessage bool
}

type goalNear struct {
	objective agents.Objective
	strength  int // 0 keeps the group's strength
	words     map[string]bool
}

type tableFile struct {
	Groups []struct {
		Objective  agents.Objective `json:"objective"`
		Strength   string           `json:"strength"`
		EndStrong  bool             `json:"end_strong"`
		Confidence float64          `json:"confidence"`
		Note       string           `json:"note"`
		Phrases    []string         `json:"phrases"`
		NearScope  string           `json:"near_scope"`
		Near       []struct {
			Objective agents.Objective `json:"objective"`
			Strength  string           `json:"strength"`
			Words     []string         `json:"words"`
		} `json:"near"`
	} `json:"groups"`
}

// defaultTable loads the embedded table on first use; it is compiled into the binary
// and checked by the tests, so a failure here is a build defect, not an input problem.
var defaultTable = sync.OnceValue(func() *goalTable {
	t, err := loadTable(phrasesJSON)
	if err != nil {
		panic(err)
	}
	return t
})

func loadTable(data []byte) (*goalTable, error) {
	var f tableFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("reading goal phrase table: %w", err)
	}
	t := &goalTable{byFirst: map[string][]phrase{}}
	seen := map[string]bool{}
	for i, g := range f.Groups {
		if g.Objective != "" && !slices.Contains(agents.Objectives, g.Objective) {
			return nil, fmt.Errorf("loading goal phrase group %d: unknown objective %q", i, g.Objective)
		}
		strength, err := parseStrength(g.Strength, g.Objective != "")
		if err != nil {
			return nil, fmt.Errorf("loading goal phrase group %d: %w", i, err)
		}
		if g.Confidence < 0 || g.Confidence > 1 {
			return nil, fmt.Errorf("loading goal phrase group %d: confidence %v outside 0..1", i, g.Confidence)
		}
		group := &goalGroup{objective: g.Objective, strength: strength, endStrong: g.EndStrong,
			confidence: g.Confidence, note: g.Note}
		switch g.NearScope {
		case "", "sentence":
		case "message":
			group.nearMessage = true
		default:
			return nil, fmt.Errorf("loading goal phrase group %d: near_scope %q is neither sentence nor message", i, g.NearScope)
		}
		for _, n := range g.Near {
			if !slices.Contains(agents.Objectives, n.Objective) {
				return nil, fmt.Errorf("loading goal phrase group %d: unknown near objective %q", i, n.Objective)
			}
			ns := 0
			if n.Strength != "" {
				if ns, err = parseStrength(n.Strength, true); err != nil {
					return nil, fmt.Errorf("loading goal phrase group %d: %w", i, err)
				}
			}
			words := map[string]bool{}
			for _, w := range n.Words {
				words[w] = true
			}
			group.near = append(group.near, goalNear{objective: n.Objective, strength: ns, words: words})
		}
		if len(g.Phrases) == 0 {
			return nil, fmt.Errorf("loading goal phrase group %d: no phrases", i)
		}
		for _, p := range g.Phrases {
			words := tokenize(agents.Normalize(p))
			key := strings.Join(words, " ")
			if len(words) == 0 || slices.ContainsFunc(words, isMark) {
				return nil, fmt.Errorf("loading goal phrase %q: not a run of words", p)
			}
			if seen[key] {
				return nil, fmt.Errorf("loading goal phrase %q: listed twice", p)
			}
			seen[key] = true
			t.byFirst[words[0]] = append(t.byFirst[words[0]], phrase{words: words, group: group})
			if len(words) == 1 && g.Objective != "" {
				t.oneWord = append(t.oneWord, words[0])
				t.oneWordObjective = append(t.oneWordObjective, string(g.Objective))
			}
		}
	}
	for _, ps := range t.byFirst {
		slices.SortStableFunc(ps, func(a, b phrase) int { return len(b.words) - len(a.words) })
	}
	return t, nil
}

func parseStrength(s string, needed bool) (int, error) {
	switch s {
	case "weak":
		return weak, nil
	case "normal":
		return normal, nil
	case "":
		if !needed {
			return 0, nil
		}
	}
	return 0, fmt.Errorf("strength %q is neither weak nor normal", s)
}

// matchPhrases finds objective phrases, the longest one starting leftmost first.
func matchPhrases(toks []string, t *goalTable) []match {
	var out []match
	for i := 0; i < len(toks); {
		var hit *phrase
		for k, p := range t.byFirst[toks[i]] {
			if len(p.words) <= len(toks)-i && slices.Equal(toks[i:i+len(p.words)], p.words) {
				hit = &t.byFirst[toks[i]][k]
				break
			}
		}
		if hit == nil {
			i++
			continue
		}
		end := i + len(hit.words)
		if hit.group.objective != "" {
			out = append(out, match{start: i, end: end, group: hit.group,
				objective: hit.group.objective, base: hit.group.strength})
		}
		i = end
	}
	return out
}
