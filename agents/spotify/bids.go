package spotify

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"

	"github.com/adplan/adplan/agents/market"
)

//go:embed default_bids.json
var defaultBidsJSON []byte

// defaultBids are the default bid caps of default_bids.json.
var defaultBids = mustDefaultBids(defaultBidsJSON)

type bidTable struct {
	USDCPMBid   float64 `json:"usd_cpm_bid"`
	VideoFactor float64 `json:"video_factor"`
	CPCFactor   float64 `json:"cpc_factor"`
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
	usdPerUnit, ok := market.Default().USDPerUnit(currency)
	if !ok {
		return 0, false
	}
	c := twoSignificant(defaultBids.USDCPMBid / usdPerUnit)
	switch {
	case strategy == bidCostPerResult:
		c *= defaultBids.CPCFactor // a click costs about the same whatever the format
	case format == formatVideo:
		c *= defaultBids.VideoFactor
	}
	return int64(math.Round(c * micro)), true
}

// twoSignificant rounds a bid to two significant figures, as a person would set it.
func twoSignificant(v float64) float64 {
	if v <= 0 {
		return v
	}
	mag := math.Pow(10, math.Floor(math.Log10(v))-1)
	return math.Round(v/mag) * mag
}
