package history

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"sync"

	"github.com/adplan/adplan/agents/market"
)

//go:generate go run ./internal/gen -o data/campaigns.csv.gz

// defaultCSV is the default data set: synthetic campaigns written by Generate
// (go generate rewrites it; README.md describes it).
//
//go:embed data/campaigns.csv.gz
var defaultCSV []byte

var defaultCampaigns = sync.OnceValues(func() ([]Campaign, error) {
	zr, err := gzip.NewReader(bytes.NewReader(defaultCSV))
	if err != nil {
		return nil, fmt.Errorf("reading the default history: %w", err)
	}
	cs, err := Load(zr, market.Default())
	if err != nil {
		return nil, fmt.Errorf("reading the default history: %w", err)
	}
	return cs, nil
})

// Default returns the embedded default data set, loaded on first use against the
// default market facts. The slice is shared by every caller: read it, never
// modify it.
func Default() ([]Campaign, error) { return defaultCampaigns() }
