package numbers

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/adplan/adplan/agents/internal/datafile"
)

//go:embed data/number_words.json
var numberWordsJSON []byte

// wordTables is data/number_words.json.
type wordTables struct {
	Comment []string           `json:"_comment"`
	Units   map[string]float64 `json:"units"`
	Scales  map[string]float64 `json:"scales"`
}

// tables loads the number words once. The file is part of the program, so a malformed
// one is a build defect and panics.
var tables = sync.OnceValue(func() *wordTables { return loadWordTables(numberWordsJSON) })

func loadWordTables(b []byte) *wordTables {
	var t wordTables
	datafile.MustDecode("data/number_words.json", b, &t)
	if len(t.Units) == 0 || len(t.Scales) == 0 {
		panic("reading data/number_words.json: no units or no scales")
	}
	for w := range t.Units {
		if _, ok := t.Scales[w]; ok {
			panic(fmt.Sprintf("reading data/number_words.json: %q is both a unit and a scale", w))
		}
	}
	return &t
}

// Units are the number words that count ("five", "twenty"), with their values. Other
// packages index them directly, so they are filled when the package starts.
var Units = tables().Units

// Scales are the number words that multiply ("thousand", "lakh"), with their factors.
var Scales = tables().Scales
