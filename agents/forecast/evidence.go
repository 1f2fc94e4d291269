package forecast

import (
	"fmt"
	"math"
	"slices"
)

// Evidence says which past campaigns back a prediction and how they were chosen.
type Evidence struct {
	// Similar is how many past campaigns match on everything in MatchedOn.
	Similar int `json:"similar"`
	// MatchedOn lists the criteria they share with the query, e.g.
	// "objective=REACH", "market=DE", "budget band 1k–10k USD", "audience 18–24".
	MatchedOn []string `json:"matched_on"`
	// Widened lists, in order, what was relaxed because too few campaigns matched.
	Widened []string `json:"widened,omitempty"`
	// Match is MatchedOn as fields, for a reader that sums evidence over line
	// items; it is not part of the JSON (MatchedOn says the same).
	Match Match `json:"-"`
}

// Match is what similar campaigns were matched on; an empty field (0 for the
// ages) was not a criterion, or was widened away.
type Match struct {
	Objective string
	// Market is the market matched on; Region the region it was widened to.
	Market, Region    string
	Format, Placement string
	BudgetBand        string
	AgeMin, AgeMax    int
	// Gender is FEMALE or MALE when the query targets one gender.
	Gender string
}

// Budget bands are decades of US dollars.
var bandNames = []string{"<1k USD", "1k–10k USD", "10k–100k USD", "100k–1M USD", ">1M USD"}

func budgetBand(usd float64) int8 {
	if usd < 1000 {
		return 0
	}
	b := int8(math.Floor(math.Log10(usd))) - 2
	return min(b, int8(len(bandNames)-1))
}

// evKey selects a set of similar campaigns, packed into an integer so that a
// look-up hashes one word. Each field is an index + 1, or 0 for any: where is
// a market (1..) or a region (regionBase+1..).
type evKey uint64

const regionBase = 1 << 20

func packKey(objective, where, format, placement, band int) evKey {
	return evKey(objective) | evKey(where)<<8 | evKey(format)<<32 | evKey(placement)<<40 | evKey(band)<<48
}

// withGender narrows a key to the campaigns that targeted one gender (a
// genderCodes value); 0 leaves it as is.
func (k evKey) withGender(g int) evKey { return k | evKey(g)<<56 }

var (
	objectiveCodes = map[string]int{}
	formatCodes    = map[string]int{"AUDIO": 1, "VIDEO": 2, "IMAGE": 3}
	placementCodes = map[string]int{"MUSIC": 1, "PODCAST": 2}
	// genderCodes: campaigns targeting one gender; ALL is no gender criterion.
	genderCodes = map[string]int{"FEMALE": 1, "MALE": 2}
)

func init() {
	for i, o := range sortedStrings(resultMetrics) {
		objectiveCodes[o] = i + 1
	}
}

// ages holds the sorted lower and upper age bounds of a set of campaigns, so
// that how many overlap an age range is two binary searches.
type ages struct{ mins, maxs []uint8 }

func (a *ages) add(lo, hi int) {
	a.mins = append(a.mins, clampAge(lo))
	a.maxs = append(a.maxs, clampAge(hi))
}

func clampAge(v int) uint8 { return uint8(max(0, min(v, 255))) }

// overlapping counts the campaigns whose ages overlap [lo, hi]: all of them
// less those ending before lo and those starting after hi (disjoint cases).
func (a *ages) overlapping(lo, hi int) int {
	l, h := clampAge(lo), clampAge(hi)
	endBefore, _ := slices.BinarySearch(a.maxs, l) // maxs < lo
	startAfter := len(a.mins) - upperBound(a.mins, h)
	return len(a.mins) - endBefore - startAfter
}

func upperBound(s []uint8, v uint8) int {
	i, found := slices.BinarySearch(s, v)
	if found {
		for i < len(s) && s[i] == v {
			i++
		}
	}
	return i
}

type evidenceIndex struct {
	sets map[evKey]*ages
}

func newEvidenceIndex() *evidenceIndex { return &evidenceIndex{sets: map[evKey]*ages{}} }

// add files a campaign under every set it belongs to: each once for any gender
// and, when it targeted one gender, once for that gender. market and region are
// indexes (region -1 for none), band a budget band.
func (ix *evidenceIndex) add(objective string, market, region int32, format, placement string, band int8, gender string, ageMin, ageMax int) {
	ix.addGender(objective, market, region, format, placement, band, 0, ageMin, ageMax)
	if g := genderCodes[gender]; g != 0 {
		ix.addGender(objective, market, region, format, placement, band, g, ageMin, ageMax)
	}
}

func (ix *evidenceIndex) addGender(objective string, market, region int32, format, placement string, band int8, g int, ageMin, ageMax int) {
	o, f, p, b := objectiveCodes[objective], formatCodes[format], placementCodes[placement], int(band)+1
	wheres := [3]int{int(market) + 1, 0, -1}
	if region >= 0 {
		wheres[2] = regionBase + int(region) + 1
	}
	for wi, wh := range wheres {
		if wh < 0 {
			continue
		}
		for _, pl := range [2]int{p, 0} {
			ix.addTo(packKey(o, wh, f, pl, 0).withGender(g), ageMin, ageMax)
			if wi == 0 { // budget bands only matter before the market is widened
				ix.addTo(packKey(o, wh, f, pl, b).withGender(g), ageMin, ageMax)
			}
		}
	}
	ix.addTo(packKey(o, 0, 0, 0, 0).withGender(g), ageMin, ageMax)
}

func (ix *evidenceIndex) addTo(k evKey, lo, hi int) {
	a := ix.sets[k]
	if a == nil {
		a = &ages{}
		ix.sets[k] = a
	}
	a.add(lo, hi)
}

func (ix *evidenceIndex) finish() {
	for _, a := range ix.sets {
		slices.Sort(a.mins)
		slices.Sort(a.maxs)
	}
}

func (ix *evidenceIndex) count(k evKey, ageMin, ageMax int, byAge bool) int {
	a := ix.sets[k]
	if a == nil {
		return 0
	}
	if byAge {
		return a.overlapping(ageMin, ageMax)
	}
	return len(a.mins)
}

// evidence widens the match step by step until at least need campaigns fit:
// budget band → any, gender → any, ages → any, market → region, placement →
// any, region → all markets, format → any. market and region are indexes or -1.
func (ix *evidenceIndex) evidence(q *Query, market, region int32, regionName string, need int) Evidence {
	o, f, p := objectiveCodes[q.Objective], formatCodes[q.Format], placementCodes[q.Placement]
	band := budgetBand(q.BudgetUSD)
	where, b := int(market)+1, int(band)+1
	if market < 0 {
		where = -1 // an unseen market matches nothing until widened
	}
	byAge := q.AgeMin != 0 || q.AgeMax != 0 // no ages given: no age criterion
	g := genderCodes[q.Gender]              // ALL or none given: no gender criterion
	count := func() int {
		if where < 0 {
			return 0
		}
		return ix.count(packKey(o, where, f, p, b).withGender(g), q.AgeMin, q.AgeMax, byAge)
	}
	ev := Evidence{Widened: make([]string, 0, 7)}
	n := count()
	for step := -1; n < need && step < 6; step++ {
		var note string
		switch step {
		case -1:
			b, note = 0, "any budget band"
		case 0:
			if g == 0 {
				continue
			}
			g, note = 0, "any gender"
		case 1:
			if !byAge {
				continue
			}
			byAge, note = false, "any ages"
		case 2:
			if region < 0 {
				continue
			}
			where, note = regionBase+int(region)+1, "market → region "+regionName
		case 3:
			p, note = 0, "any placement"
		case 4:
			where = 0
			if region >= 0 {
				note = "region → all markets"
			} else {
				note = "market → all markets"
			}
		case 5:
			f, p, note = 0, 0, "any format"
		}
		ev.Widened = append(ev.Widened, note)
		n = count()
	}
	ev.Similar = n
	ev.MatchedOn = make([]string, 0, 7)
	ev.MatchedOn = append(ev.MatchedOn, "objective="+q.Objective)
	ev.Match.Objective = q.Objective
	switch {
	case where > 0 && where < regionBase:
		ev.MatchedOn = append(ev.MatchedOn, "market="+q.Market)
		ev.Match.Market = q.Market
	case where > regionBase:
		ev.MatchedOn = append(ev.MatchedOn, "region="+regionName)
		ev.Match.Region = regionName
	}
	if f != 0 {
		ev.MatchedOn = append(ev.MatchedOn, "format="+q.Format)
		ev.Match.Format = q.Format
	}
	if p != 0 {
		ev.MatchedOn = append(ev.MatchedOn, "placement="+q.Placement)
		ev.Match.Placement = q.Placement
	}
	if b != 0 {
		ev.MatchedOn = append(ev.MatchedOn, "budget band "+bandNames[band])
		ev.Match.BudgetBand = bandNames[band]
	}
	if byAge {
		ev.MatchedOn = append(ev.MatchedOn, fmt.Sprintf("audience %d–%d", q.AgeMin, q.AgeMax))
		ev.Match.AgeMin, ev.Match.AgeMax = q.AgeMin, q.AgeMax
	}
	if g != 0 {
		ev.MatchedOn = append(ev.MatchedOn, "gender="+q.Gender)
		ev.Match.Gender = q.Gender
	}
	if len(ev.Widened) == 0 {
		ev.Widened = nil
	}
	return ev
}
