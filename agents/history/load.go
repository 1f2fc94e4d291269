package history

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/adplan/adplan/agents/market"
)

// LineError is a problem with one line of a history file. Line 1 is the header.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// The values the history's enumerated columns take, as the Spotify Ads API spells them.
var (
	objectives = []string{
		"REACH", "EVEN_IMPRESSION_DELIVERY", "CLICKS", "WEBSITE_VISITS", "VIDEO_VIEWS",
		"CONVERSIONS", "LEAD_GEN", "PODCAST_STREAMS", "APP_INSTALLS",
	}
	formats    = []string{"AUDIO", "VIDEO", "IMAGE"}
	placements = []string{"MUSIC", "PODCAST"}
	genders    = []string{"ALL", "FEMALE", "MALE", "NON_BINARY"}
	platforms  = []string{"ALL", "IOS", "ANDROID", "DESKTOP"}
)

// requiredColumns must be in every history file's header; the others may be left
// out (see README.md for their defaults). Spend comes as spend_usd or as spend with
// a currency column.
var requiredColumns = []string{"market", "objective", "format", "placement", "start", "days", "impressions", "reach"}

// dateLayout is how start dates are written; RFC 3339 timestamps are read too.
const dateLayout = "2006-01-02"

// LoadFile loads a history file (see Load), gunzipping it when its name ends in .gz.
func LoadFile(path string, facts *market.Facts) ([]Campaign, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReaderSize(f, 1<<16)
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	cs, err := Load(r, facts)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return cs, nil
}

// Load reads past campaigns from CSV with a header line (README.md documents the
// columns). Columns may come in any order and unknown ones are ignored; a missing
// required column, or any bad row, stops loading with a *LineError naming the line
// and the problem. Markets are checked against facts, and spend given in another
// currency (a spend and a currency column) is converted to US dollars with its
// reference rates.
func Load(r io.Reader, facts *market.Facts) ([]Campaign, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &LineError{Line: 1, Err: errors.New("empty file: no header")}
	}
	if err != nil {
		return nil, csvError(err)
	}
	p, err := newRowParser(header, facts)
	if err != nil {
		return nil, &LineError{Line: 1, Err: err}
	}
	var cs []Campaign
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		c, err := p.parse(rec, line)
		if err != nil {
			return nil, &LineError{Line: line, Err: err}
		}
		cs = append(cs, c)
	}
	return slices.Clip(cs), nil
}

// csvError turns the csv package's syntax errors into LineErrors.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &LineError{Line: pe.Line, Err: pe.Err}
	}
	return err
}

// rowParser reads rows by the column positions its header gave.
type rowParser struct {
	facts *market.Facts
	col   map[string]int // column name → index
	// spendCol is spend_usd's or spend's index; currency, when >= 0, gives spend's currency.
	spendCol, currencyCol int
	spendName             string
}

func newRowParser(header []string, facts *market.Facts) (*rowParser, error) {
	p := &rowParser{facts: facts, col: map[string]int{}, currencyCol: -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark from a spreadsheet export
		}
		if h == "" {
			continue
		}
		if _, dup := p.col[h]; dup {
			return nil, fmt.Errorf("column %q appears twice", h)
		}
		p.col[h] = i
	}
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := p.col[c]; !ok {
			missing = append(missing, strconv.Quote(c))
		}
	}
	usd, hasUSD := p.col["spend_usd"]
	local, hasLocal := p.col["spend"]
	cur, hasCur := p.col["currency"]
	switch {
	case hasUSD && hasLocal:
		return nil, errors.New(`both "spend_usd" and "spend" columns: keep one`)
	case hasUSD && hasCur:
		return nil, errors.New(`"spend_usd" is in US dollars: name the column "spend" when a "currency" column gives its currency`)
	case hasUSD:
		p.spendCol, p.spendName = usd, "spend_usd"
	case hasLocal:
		p.spendCol, p.spendName = local, "spend"
		if hasCur {
			p.currencyCol = cur
		}
	default:
		missing = append(missing, `"spend_usd"`)
	}
	if len(missing) > 0 {
		s := ""
		if len(missing) > 1 {
			s = "s"
		}
		return nil, fmt.Errorf("missing column%s %s", s, strings.Join(missing, ", "))
	}
	return p, nil
}

// cell returns the trimmed value of the named column, "" when the file has no such
// column.
func (p *rowParser) cell(rec []string, name string) string {
	i, ok := p.col[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// parse reads one row; line names it when the row has no id. It stops at the
// first problem.
func (p *rowParser) parse(rec []string, line int) (Campaign, error) {
	var c Campaign
	if c.ID = p.cell(rec, "id"); c.ID == "" {
		c.ID = "line-" + strconv.Itoa(line)
	} else {
		c.ID = strings.Clone(c.ID) // not to pin the whole line in memory
	}
	if err := p.readSegment(rec, &c); err != nil {
		return c, err
	}
	if err := p.readAges(rec, &c); err != nil {
		return c, err
	}
	if err := p.readFlight(rec, &c); err != nil {
		return c, err
	}
	if err := p.readSpend(rec, &c); err != nil {
		return c, err
	}
	if err := p.readDelivery(rec, &c); err != nil {
		return c, err
	}
	if err := p.readAudienceSize(rec, &c); err != nil {
		return c, err
	}
	return c, nil
}

// readSegment reads the market, checked against the market facts, and the
// enumerated columns: objective, format and placement, which every row needs, and
// gender and platform, which default to ALL.
func (p *rowParser) readSegment(rec []string, c *Campaign) error {
	code := strings.ToUpper(p.cell(rec, "market"))
	m, ok := p.facts.Market(code)
	if !ok {
		return fmt.Errorf("market %q is not a known market", p.cell(rec, "market"))
	}
	c.Market = m.Code
	var err error
	if c.Objective, err = p.enum(rec, "objective", objectives, ""); err != nil {
		return err
	}
	if c.Format, err = p.enum(rec, "format", formats, ""); err != nil {
		return err
	}
	if c.Placement, err = p.enum(rec, "placement", placements, ""); err != nil {
		return err
	}
	if c.Gender, err = p.enum(rec, "gender", genders, "ALL"); err != nil {
		return err
	}
	if c.Platform, err = p.enum(rec, "platform", platforms, "ALL"); err != nil {
		return err
	}
	return nil
}

// readAges reads the targeted age range, by default everyone the API targets (13-99).
func (p *rowParser) readAges(rec []string, c *Campaign) error {
	var err error
	if c.AgeMin, err = p.integer(rec, "age_min", 13); err != nil {
		return err
	}
	if c.AgeMax, err = p.integer(rec, "age_max", 99); err != nil {
		return err
	}
	if c.AgeMin < 13 || c.AgeMax > 99 || c.AgeMin > c.AgeMax {
		return fmt.Errorf("ages %d-%d are not a range within 13-99", c.AgeMin, c.AgeMax)
	}
	return nil
}

// readFlight reads the start, a date or an RFC 3339 timestamp, and the days.
func (p *rowParser) readFlight(rec []string, c *Campaign) error {
	start := p.cell(rec, "start")
	if start == "" {
		return errors.New("start is empty")
	}
	var err error
	if c.Start, err = time.Parse(dateLayout, start); err != nil {
		if c.Start, err = time.Parse(time.RFC3339, start); err != nil {
			return fmt.Errorf("start %q is not a date (YYYY-MM-DD)", start)
		}
	}
	if c.Days, err = p.integer(rec, "days", -1); err != nil {
		return err
	}
	if c.Days < 1 {
		return fmt.Errorf("days %d is less than 1", c.Days)
	}
	return nil
}

// readSpend reads the spend, converting it to US dollars at the reference rates
// when a currency column gives its currency.
func (p *rowParser) readSpend(rec []string, c *Campaign) error {
	var err error
	if c.SpendUSD, _, err = p.number(rec, p.spendName, true); err != nil {
		return err
	}
	if p.currencyCol < 0 {
		return nil
	}
	cur := strings.ToUpper(p.cell(rec, "currency"))
	if cur == "" {
		return errors.New("currency is empty")
	}
	if c.SpendUSD, err = p.facts.Convert(c.SpendUSD, cur, "USD"); err != nil {
		return fmt.Errorf("currency %q is not a known currency", p.cell(rec, "currency"))
	}
	return nil
}

// readDelivery reads the impressions, reach and results, which default to 0, and
// checks that none of reach, clicks and video completions exceeds the impressions.
func (p *rowParser) readDelivery(rec []string, c *Campaign) error {
	var err error
	if c.Impressions, _, err = p.number(rec, "impressions", true); err != nil {
		return err
	}
	if c.Reach, _, err = p.number(rec, "reach", true); err != nil {
		return err
	}
	if c.Reach > c.Impressions {
		return fmt.Errorf("reach %s is more than impressions %s", num(c.Reach), num(c.Impressions))
	}
	for _, r := range []struct {
		name string
		dst  *float64
	}{
		{"clicks", &c.Clicks}, {"video_completions", &c.VideoCompletions},
		{"podcast_streams", &c.PodcastStreams}, {"installs", &c.Installs},
		{"leads", &c.Leads}, {"conversions", &c.Conversions},
	} {
		if *r.dst, _, err = p.number(rec, r.name, false); err != nil {
			return err
		}
	}
	if c.Clicks > c.Impressions {
		return fmt.Errorf("clicks %s is more than impressions %s", num(c.Clicks), num(c.Impressions))
	}
	if c.VideoCompletions > c.Impressions {
		return fmt.Errorf("video_completions %s is more than impressions %s", num(c.VideoCompletions), num(c.Impressions))
	}
	return nil
}

// readAudienceSize reads the audience the campaign booked or, where the file does
// not give it, works out what its targeting reaches in the market from the market
// tables. It runs last: it needs the market, ages, gender, platform and placement.
func (p *rowParser) readAudienceSize(rec []string, c *Campaign) error {
	var given bool
	var err error
	if c.AudienceSize, given, err = p.number(rec, "audience_size", false); err != nil {
		return err
	}
	if given {
		return nil
	}
	t := market.Targeting{AgeRanges: []market.AgeRange{{Min: c.AgeMin, Max: c.AgeMax}}}
	if c.Gender != "ALL" {
		t.Genders = []string{c.Gender}
	}
	if c.Platform != "ALL" {
		t.Platforms = []string{c.Platform}
	}
	t.Placements = []string{c.Placement}
	c.AudienceSize = math.Round(p.facts.AudienceSize(c.Market, t))
	return nil
}

// enum reads a column that takes one of a list of values (case-insensitive),
// returning the list's own string; an empty cell gives def, or is an error when
// def is "".
func (p *rowParser) enum(rec []string, name string, values []string, def string) (string, error) {
	v := p.cell(rec, name)
	if v == "" {
		if def == "" {
			return "", fmt.Errorf("%s is empty", name)
		}
		return def, nil
	}
	for _, x := range values {
		if strings.EqualFold(v, x) {
			return x, nil
		}
	}
	return "", fmt.Errorf("%s %q is not one of %s", name, v, strings.Join(values, ", "))
}

// integer reads a whole-number column; an empty cell gives def, or is an error
// when def is negative.
func (p *rowParser) integer(rec []string, name string, def int) (int, error) {
	v := p.cell(rec, name)
	if v == "" {
		if def < 0 {
			return 0, fmt.Errorf("%s is empty", name)
		}
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a whole number", name, v)
	}
	return n, nil
}

// number reads a non-negative number column. An empty cell (or no such column)
// gives ok false, and is an error when the column is required.
func (p *rowParser) number(rec []string, name string, required bool) (x float64, ok bool, err error) {
	v := p.cell(rec, name)
	if v == "" {
		if required {
			return 0, false, fmt.Errorf("%s is empty", name)
		}
		return 0, false, nil
	}
	x, err = strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false, fmt.Errorf("%s %q is not a number", name, v)
	}
	if x < 0 {
		return 0, false, fmt.Errorf("%s %s is negative", name, v)
	}
	return x, true, nil
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
