package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/tmc/langchaingo/llms"
)

// NoteWriter asks a language model for a two-to-three sentence rationale of a plan (a
// planner.Noter) and
// keeps it only when every number it states appears in the plan (allowing the plan's
// own rounding and formatting: 5,000, 5000 and 5k; 0.25 as 25%); otherwise the note
// is dropped and counted. It never fails the plan: any error leaves the note empty.
type NoteWriter struct {
	llm *Client
}

// NoteWriter returns the note writer over this model, sharing its limits and metrics.
func (l *Client) NoteWriter() *NoteWriter { return &NoteWriter{llm: l} }

// NewNoteWriter returns a note writer over model with its own limits and metrics.
func NewNoteWriter(model llms.Model, timeout time.Duration) (*NoteWriter, error) {
	l, err := New(Options{Model: model, Timeout: timeout})
	if err != nil {
		return nil, err
	}
	return l.NoteWriter(), nil
}

// Metrics returns the counters the note writer updates.
func (w *NoteWriter) Metrics() *Metrics { return w.llm.metrics }

// noteMaxSentences and noteMaxChars bound a note.
const (
	noteMaxSentences = 3
	noteMaxChars     = 600
)

// Note asks the model for the plan's note; "" when it fails or its note is dropped.
func (w *NoteWriter) Note(ctx context.Context, plan agents.Plan) string {
	text, err := w.llm.complete(ctx, "note", noteData(plan))
	if err != nil {
		w.llm.fellBack(ctx, "note", err)
		return ""
	}
	note, err := CheckNote(text, plan)
	if err != nil {
		w.llm.metrics.NotesDropped.Add(1)
		w.llm.logger.LogAttrs(ctx, slog.LevelWarn, "plan note dropped", slog.String("reason", err.Error()))
		return ""
	}
	w.llm.metrics.Successes.Add(1)
	w.llm.metrics.NotesKept.Add(1)
	return note
}

// noteLine is a line item as the note prompt sees it.
type noteLine struct {
	Market      string   `json:"market"`
	Format      string   `json:"format"`
	Placements  []string `json:"placements"`
	Budget      float64  `json:"budget"`
	Share       float64  `json:"share"`
	Impressions float64  `json:"impressions_mid"`
	Reach       float64  `json:"reach_mid"`
	CPM         float64  `json:"cpm_mid"`
	Result      float64  `json:"result_mid"`
}

// noteData is the plan summary the note is written from: every number in it is in the plan.
func noteData(p agents.Plan) any {
	lines := make([]noteLine, len(p.LineItems))
	for i, li := range p.LineItems {
		lines[i] = noteLine{Market: li.Market, Format: li.Format, Placements: li.Placements,
			Budget: li.Budget, Share: li.Share, Impressions: li.Forecast.Impressions.Mid,
			Reach: li.Forecast.Reach.Mid, CPM: li.Forecast.CPM.Mid, Result: li.Forecast.Result.Mid}
	}
	return map[string]any{
		"objective":      p.Objective,
		"currency":       p.Currency,
		"budget":         p.Budget,
		"budget_type":    p.BudgetType,
		"flight":         p.Flight,
		"line_items":     lines,
		"result_metric":  p.Totals.Result.Metric,
		"totals":         map[string]float64{"impressions_mid": p.Totals.Impressions.Mid, "reach_mid": p.Totals.Reach.Mid, "frequency_mid": p.Totals.Frequency.Mid, "cpm_mid": p.Totals.CPM.Mid, "result_mid": p.Totals.Result.Mid},
		"evidence":       map[string]any{"similar_campaigns": p.Evidence.SimilarCampaigns, "history_size": p.Evidence.HistorySize, "matched_on": p.Evidence.MatchedOn},
		"assumptions":    p.Assumptions,
		"warnings":       p.Warnings,
		"line_item_size": len(p.LineItems),
	}
}

// noteNumberRE finds a number as notes write it: digits with thousands separators or
// a decimal part, then an optional scale (k, M, bn, thousand, million, billion) or %.
var noteNumberRE = regexp.MustCompile(`(?i)(\d[\d,]*(?:\.\d+)?)(\s*(?:%|percent\b|k\b|m\b|mn\b|bn\b|b\b|thousand\b|million\b|billion\b))?`)

// noteWordNumbers are the number words a note is checked for; "one" is left out, as
// it is as often a pronoun ("the one in Germany") as a count.
var noteWordNumbers = map[string]float64{
	"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "ninety": 90, "hundred": 100,
}

var noteFractionWords = map[string]bool{"quarter": true, "quarters": true, "third": true, "thirds": true, "fifths": true, "tenths": true}

// noteNumber is a number as a note states it.
type noteNumber struct {
	text    string
	value   float64
	unit    float64 // the precision it is written to: 5k → 1000, 2.5M → 100000, 12.30 → 0.01
	percent bool
}

// noteNumbers lists the numbers a note states.
func noteNumbers(note string) []noteNumber {
	var out []noteNumber
	for _, m := range noteNumberRE.FindAllStringSubmatch(note, -1) {
		digits := strings.ReplaceAll(m[1], ",", "")
		v, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			continue
		}
		unit := 1.0
		if i := strings.IndexByte(digits, '.'); i >= 0 {
			unit = math.Pow(10, -float64(len(digits)-i-1))
		}
		n := noteNumber{text: strings.TrimSpace(m[0]), value: v, unit: unit}
		scale := 1.0
		switch strings.ToLower(strings.TrimSpace(m[2])) {
		case "%", "percent":
			n.percent = true
		case "k", "thousand":
			scale = 1e3
		case "m", "mn", "million":
			scale = 1e6
		case "b", "bn", "billion":
			scale = 1e9
		}
		n.value *= scale
		n.unit *= scale
		out = append(out, n)
	}
	words := strings.FieldsFunc(strings.ToLower(note), func(r rune) bool {
		return !('a' <= r && r <= 'z' || r == '-')
	})
	for i, w := range words {
		v, ok := noteWordNumbers[w]
		if !ok || i+1 < len(words) && noteFractionWords[words[i+1]] {
			continue // "three quarters" is a share in words, not a count
		}
		out = append(out, noteNumber{text: w, value: v, unit: 1})
	}
	return out
}

// planNumbers collects every number the plan holds: plain values (amounts, counts,
// forecasts, days, the parts of dates, numbers inside its texts) and percentages
// (shares and caps, also summed by format and by market).
func planNumbers(p agents.Plan) (plain, percent []float64) {
	b, err := json.Marshal(p)
	if err == nil {
		var v any
		if json.Unmarshal(b, &v) == nil {
			collectNumbers(v, &plain, &percent)
		}
	}
	byFormat := map[string]float64{}
	byMarket := map[string]float64{}
	markets := map[string]bool{}
	formats := map[string]bool{}
	for _, li := range p.LineItems {
		percent = append(percent, li.Share*100)
		byFormat[li.Format] += li.Share
		byMarket[li.Market] += li.Share
		markets[li.Market] = true
		formats[li.Format] = true
	}
	for _, s := range byFormat {
		percent = append(percent, s*100)
	}
	for _, s := range byMarket {
		percent = append(percent, s*100)
	}
	if p.Brief.Goal != nil {
		for _, s := range p.Brief.Goal.MaxShare {
			percent = append(percent, s*100)
		}
	}
	percent = append(percent, 100)
	plain = append(plain, float64(len(p.LineItems)), float64(len(markets)), float64(len(formats)))
	return plain, percent
}

// textNumberRE finds numbers inside the plan's own texts ("30 days", "2026-11-23", "25%").
var textNumberRE = regexp.MustCompile(`\d[\d,]*(?:\.\d+)?%?`)

func collectNumbers(v any, plain, percent *[]float64) {
	switch x := v.(type) {
	case float64:
		*plain = append(*plain, x)
	case string:
		for _, m := range textNumberRE.FindAllString(x, -1) {
			pct := strings.HasSuffix(m, "%")
			f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSuffix(m, "%"), ",", ""), 64)
			if err != nil {
				continue
			}
			if pct {
				*percent = append(*percent, f)
			} else {
				*plain = append(*plain, f)
			}
		}
	case []any:
		for _, e := range x {
			collectNumbers(e, plain, percent)
		}
	case map[string]any:
		for _, e := range x {
			collectNumbers(e, plain, percent)
		}
	}
}

// noteMatches reports whether n, written to its precision, is one of values.
func noteMatches(n noteNumber, values []float64) bool {
	tol := n.unit/2 + 1e-9*math.Abs(n.value)
	for _, v := range values {
		if math.Abs(math.Abs(v)-n.value) <= tol {
			return true
		}
	}
	return false
}

var noteSentenceEnd = regexp.MustCompile(`[.!?]+(\s+|$)`)

// CheckNote validates a model's note against the plan it explains and returns it
// tidied: plain text of at most three sentences, every number in it found in the plan.
func CheckNote(text string, plan agents.Plan) (string, error) {
	note := strings.Join(strings.Fields(text), " ")
	switch {
	case note == "":
		return "", errors.New("the note is empty")
	case len(note) > noteMaxChars:
		return "", fmt.Errorf("the note is %d characters long, over %d", len(note), noteMaxChars)
	case strings.ContainsAny(note, "<>{}[]|`*#") || strings.Contains(strings.ToLower(note), "http"):
		return "", errors.New("the note holds markup, links or code")
	}
	if n := len(noteSentenceEnd.FindAllStringIndex(note, -1)); n > noteMaxSentences || n == 0 && len(note) > 200 {
		return "", fmt.Errorf("the note has %d sentences, over %d", n, noteMaxSentences)
	}
	plain, percent := planNumbers(plan)
	var missing []string
	for _, n := range noteNumbers(note) {
		values := plain
		if n.percent {
			values = percent
		}
		if !noteMatches(n, values) && !slices.Contains(missing, n.text) {
			missing = append(missing, n.text)
		}
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("the note states %s, which the plan does not hold", strings.Join(missing, ", "))
	}
	return note, nil
}
