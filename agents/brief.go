// Package agents holds the decision engine: the Brief a message is read into, the
// specialists that each read one slot of it, and the coordinator that decides which
// of them a message needs and runs those in parallel.
package agents

import (
	"encoding/json"
	"fmt"
	"time"
)

// Objective is a Spotify Ads API v3 campaign objective.
type Objective string

// The Spotify Ads API v3 campaign objectives.
const (
	ObjectiveReach                  Objective = "REACH"
	ObjectiveEvenImpressionDelivery Objective = "EVEN_IMPRESSION_DELIVERY"
	ObjectiveClicks                 Objective = "CLICKS"
	ObjectiveWebsiteVisits          Objective = "WEBSITE_VISITS"
	ObjectiveVideoViews             Objective = "VIDEO_VIEWS"
	ObjectiveConversions            Objective = "CONVERSIONS"
	ObjectiveLeadGen                Objective = "LEAD_GEN"
	ObjectivePodcastStreams         Objective = "PODCAST_STREAMS"
	ObjectiveAppInstalls            Objective = "APP_INSTALLS"
)

// Objectives lists every objective the Spotify Ads API accepts, in a stable order.
var Objectives = []Objective{
	ObjectiveReach, ObjectiveEvenImpressionDelivery, ObjectiveClicks, ObjectiveWebsiteVisits,
	ObjectiveVideoViews, ObjectiveConversions, ObjectiveLeadGen, ObjectivePodcastStreams,
	ObjectiveAppInstalls,
}

// Asset formats, genders, platforms, placements and budget types as the Spotify Ads API spells them.
const (
	FormatAudio = "AUDIO"
	FormatVideo = "VIDEO"
	FormatImage = "IMAGE"

	GenderMale      = "MALE"
	GenderFemale    = "FEMALE"
	GenderNonBinary = "NON_BINARY"

	PlatformAndroid = "ANDROID"
	PlatformDesktop = "DESKTOP"
	PlatformIOS     = "IOS"

	PlacementMusic   = "MUSIC"
	PlacementPodcast = "PODCAST"

	BudgetLifetime = "LIFETIME"
	BudgetDaily    = "DAILY"
)

// Formats lists the asset formats in a stable order.
var Formats = []string{FormatAudio, FormatVideo, FormatImage}

// Brief is what a conversation has said about a campaign so far. A nil slot means
// nothing has been said about it; nothing here is invented (defaults and
// assumptions belong to the planner, which labels them).
type Brief struct {
	Goal     *Goal     `json:"goal"`
	Audience *Audience `json:"audience"`
	Budget   *Budget   `json:"budget"`
	Schedule *Schedule `json:"schedule"`
}

// Goal is what the advertiser wants and which formats they allow.
type Goal struct {
	// Objective is empty when the brief limits formats but names no goal.
	Objective Objective `json:"objective"`
	// Formats lists the allowed asset formats when the brief restricts them; empty means any.
	Formats []string `json:"formats"`
	// MaxShare caps a format's share of the budget, 0..1 ("keep video under 20%").
	MaxShare map[string]float64 `json:"max_share"`
	// Channel is the buying channel the brief names ("through our Spotify rep" is
	// direct, "PMP" programmatic): ChannelDirect, ChannelSelfServe or
	// ChannelProgrammatic; "" when it names none and the configured one applies.
	Channel string `json:"channel,omitempty"`
}

// The buying channels, as the planner's channel policies are named.
const (
	ChannelDirect       = "direct"
	ChannelSelfServe    = "self-serve"
	ChannelProgrammatic = "programmatic"
)

// AgeRange is an inclusive age range; an open range ("45+") has Max 99.
type AgeRange struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Geo is where the campaign runs. Countries are ISO 3166-1 alpha-2 codes; a region or
// city named in the brief also puts its country in Countries.
type Geo struct {
	Countries []string `json:"countries"`
	Regions   []string `json:"regions"`
	Cities    []string `json:"cities"`
}

// Audience is who the campaign reaches.
type Audience struct {
	AgeRanges  []AgeRange `json:"age_ranges"`
	Genders    []string   `json:"genders"`
	Geo        Geo        `json:"geo"`
	Genres     []string   `json:"genres"`
	Interests  []string   `json:"interests"`
	Platforms  []string   `json:"platforms"`
	Placements []string   `json:"placements"`
	Languages  []string   `json:"languages"`
}

// Budget is how much the advertiser spends. Amount is in major units of Currency.
type Budget struct {
	Amount float64 `json:"amount"`
	// Currency is an ISO 4217 code; it may be resolved from the market after the
	// specialists ran (see CurrencyHint).
	Currency string `json:"currency"`
	// Type is LIFETIME or DAILY.
	Type string `json:"type"`
	// Min is the lower bound of a range ("between 8 and 10k"); Amount is its upper bound.
	Min float64 `json:"min,omitempty"`
	// CurrencyHint records what the text wrote when it did not name one currency
	// outright: "$", "kr", "peso", ... or "" when nothing was written. It is kept so
	// the currency can be worked out again when the market changes.
	CurrencyHint string `json:"currency_hint,omitempty"`
	// CurrencySource says where Currency came from: "written", "market" or "default".
	CurrencySource string `json:"currency_source,omitempty"`
}

// Schedule is the flight. End is inclusive and Days = End - Start + 1 when both are known.
type Schedule struct {
	Start Date `json:"start"`
	End   Date `json:"end"`
	Days  int  `json:"days"`
}

// MarshalJSON writes days as null when the flight length is unknown.
func (s Schedule) MarshalJSON() ([]byte, error) {
	type plain struct {
		Start Date `json:"start"`
		End   Date `json:"end"`
		Days  *int `json:"days"`
	}
	p := plain{Start: s.Start, End: s.End}
	if s.Days > 0 {
		p.Days = &s.Days
	}
	return json.Marshal(p)
}

// UnmarshalJSON accepts what MarshalJSON writes.
func (s *Schedule) UnmarshalJSON(b []byte) error {
	var p struct {
		Start Date `json:"start"`
		End   Date `json:"end"`
		Days  *int `json:"days"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	s.Start, s.End, s.Days = p.Start, p.End, 0
	if p.Days != nil {
		s.Days = *p.Days
	}
	return nil
}

// Date is a calendar day with no time of day. The zero Date means "not stated" and is
// written as JSON null.
type Date struct {
	t time.Time
}

const dateLayout = "2006-01-02"

// NewDate returns the calendar day of y-m-d (normalising overflow as time.Date does).
func NewDate(y int, m time.Month, d int) Date {
	return Date{t: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar day t falls on in t's own location.
func DateOf(t time.Time) Date {
	return NewDate(t.Year(), t.Month(), t.Day())
}

// ParseDate reads a YYYY-MM-DD day.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("parsing date %q: %w", s, err)
	}
	return Date{t: t}, nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return d.t }

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return Date{t: d.t.AddDate(0, 0, n)} }

// DaysUntil returns the number of days from d to e (e - d); 0 when either is unset.
func (d Date) DaysUntil(e Date) int {
	if d.IsZero() || e.IsZero() {
		return 0
	}
	return int(e.t.Sub(d.t).Hours()/24 + 0.5)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// String is YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// NewSchedule builds a schedule from a start and an inclusive end, filling Days.
func NewSchedule(start, end Date) Schedule {
	s := Schedule{Start: start, End: end}
	if !start.IsZero() && !end.IsZero() {
		s.Days = start.DaysUntil(end) + 1
	}
	return s
}

// ScheduleFor builds a schedule of days days from start.
func ScheduleFor(start Date, days int) Schedule {
	return Schedule{Start: start, End: start.AddDays(days - 1), Days: days}
}

// Clone returns a deep copy, so a revision never aliases the version it revises.
func (b Brief) Clone() Brief {
	var c Brief
	if b.Goal != nil {
		g := *b.Goal
		g.Formats = cloneStrings(g.Formats)
		if g.MaxShare != nil {
			g.MaxShare = make(map[string]float64, len(b.Goal.MaxShare))
			for k, v := range b.Goal.MaxShare {
				g.MaxShare[k] = v
			}
		}
		c.Goal = &g
	}
	if b.Audience != nil {
		a := b.Audience.Clone()
		c.Audience = &a
	}
	if b.Budget != nil {
		bu := *b.Budget
		c.Budget = &bu
	}
	if b.Schedule != nil {
		s := *b.Schedule
		c.Schedule = &s
	}
	return c
}

// Clone returns a deep copy of the audience.
func (a Audience) Clone() Audience {
	c := a
	c.AgeRanges = append([]AgeRange(nil), a.AgeRanges...)
	c.Genders = cloneStrings(a.Genders)
	c.Geo = Geo{
		Countries: cloneStrings(a.Geo.Countries),
		Regions:   cloneStrings(a.Geo.Regions),
		Cities:    cloneStrings(a.Geo.Cities),
	}
	c.Genres = cloneStrings(a.Genres)
	c.Interests = cloneStrings(a.Interests)
	c.Platforms = cloneStrings(a.Platforms)
	c.Placements = cloneStrings(a.Placements)
	c.Languages = cloneStrings(a.Languages)
	return c
}

// IsEmpty reports whether the brief says nothing at all.
func (b Brief) IsEmpty() bool {
	return b.Goal == nil && b.Audience == nil && b.Budget == nil && b.Schedule == nil
}

// IsEmpty reports whether the goal names no objective, limits no format and names
// no buying channel.
func (g Goal) IsEmpty() bool {
	return g.Objective == "" && len(g.Formats) == 0 && len(g.MaxShare) == 0 && g.Channel == ""
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}
