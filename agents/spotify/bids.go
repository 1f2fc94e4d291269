package spotify

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
)

//go:embed default_bids.json
var defaultBidsJSON []byte

// defaultBids are the default bid caps of default_bids.json.
var defaultBids = mustDefaultBids(defaultBidsJSON)

type bidTable struct {
	VideoFactor float64            `json:"video_factor"`
	CPCFactor   float64            `json:"cpc_factor"`
	CPMBid      map[string]float64 `json:"cpm_bid"`
}

func mustDefaultBids(data []byte) bidTable {
	var t bidTable
	if err := json.Unmarshal(data, &t); err != nil {
		panic(fmt.Sprintf("spotify: reading default_bids.json: %v", err))
	}
	return t
}

// DefaultBidMicro returns the bid Build uses when an ad set gives none, in micro units of
// currency: a CPM cap for MAX_BID (higher for VIDEO), a target cost per click for
// COST_PER_RESULT. ok is false for a currency the table lacks; such ad sets need a BidMicro.
func DefaultBidMicro(currency, format, strategy string) (bid int64, ok bool) {
	c, ok := defaultBids.CPMBid[currency]
	if !ok {
		return 0, false
	}
	switch {
	case strategy == bidCostPerResult:
		c *= defaultBids.CPCFactor // a click costs about the same whatever the format
	case format == formatVideo:
		c *= defaultBids.VideoFactor
	}
	return int64(math.Round(c * micro)), true
}
