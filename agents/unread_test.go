package agents

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// find returns the span of the first occurrence of word in m.Lower.
func find(t *testing.T, m Message, word string) Span {
	t.Helper()
	i := strings.Index(m.Lower, word)
	if i < 0 {
		t.Fatalf("%q not in %q", word, m.Lower)
	}
	return Span{i, i + len(word)}
}

func TestQuoteGivesTheWordsAsWritten(t *testing.T) {
	m := NewMessage("  Reach   A25–54 in\u00a0DEUTSCHLAND — “ASAP”, €5.000", time.Time{})
	for lower, want := range map[string]string{
		"reach":          "Reach",
		"a25-54":         "A25–54",
		"deutschland":    "DEUTSCHLAND",
		"in deutschland": "in\u00a0DEUTSCHLAND",
		"\"asap\"":       "“ASAP”",
		"€5.000":         "€5.000",
	} {
		if got := m.Quote(find(t, m, lower)); got != want {
			t.Errorf("Quote(%q) = %q, want %q", lower, got, want)
		}
	}
}

func TestUnreadNamesTheWordsNoSourceCovers(t *testing.T) {
	m := NewMessage("Awareness for Acme Sneakers with A25-54 in Germany, 5k over 30 days please", time.Time{})
	var sources []Source
	for _, w := range []string{"awareness", "germany", "5k", "30 days", "over"} {
		s := find(t, m, w)
		sources = append(sources, Source{Field: "x", Span: s})
	}
	r := Reading{Message: m, Unread: unreadSpans(m.Lower, sources)}
	if got, want := r.UnreadText(), []string{"Acme Sneakers", "A25-54"}; !slices.Equal(got, want) {
		t.Fatalf("unread %q, want %q", got, want)
	}
}

func TestUnreadIsEmptyWhenEveryContentWordIsRead(t *testing.T) {
	m := NewMessage("We want to reach people in Spain with a campaign, please.", time.Time{})
	if got := unreadSpans(m.Lower, []Source{{Span: find(t, m, "spain")}}); len(got) != 0 {
		t.Fatalf("unread %v in %q", got, m.Lower)
	}
}

func TestUnreadKeepsUnreadNumbersAndSigns(t *testing.T) {
	m := NewMessage("Germany, 5000 €", time.Time{})
	r := Reading{Message: m, Unread: unreadSpans(m.Lower, []Source{{Span: find(t, m, "germany")}})}
	if got, want := r.UnreadText(), []string{"5000 €"}; !slices.Equal(got, want) {
		t.Fatalf("unread %q, want %q", got, want)
	}
}

func TestDetectLanguage(t *testing.T) {
	for text, want := range map[string]string{
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days":    "en",
		"Queremos dar a conocer la marca entre jóvenes de 18 a 24 en México, 200 mil pesos": "es",
		"Queremos divulgar a marca para jovens em São Paulo com R$ 25 mil, não mais":        "pt",
		"Wir möchten unsere Marke bekannter machen, 5.000 € für vier Wochen und mehr":       "de",
		"Nous voulons faire connaître notre marque auprès des 18-24 ans avec 5 000 €":       "fr",
		"5000": "",
		"Awareness in Germany with lookalike audiences, €5,000 über 30 days": "en",
		"Kampagne in München für Männer":                                     "de",
		"広告キャンペーンを日本で展開したい":                                                  "und",
	} {
		if got := DetectLanguage(Normalize(text)); got != want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", text, got, want)
		}
	}
}

// Passages count characters, not bytes, in the message as sent: "Ä" and "€" are one
// each, and the offsets find the words in the original text.
func TestPassagesLocateWordsInTheMessageAsSent(t *testing.T) {
	m := NewMessage("  Ärger?  Reach A25–54 in ÖSTERREICH, €5.000", time.Time{})
	sources := []Source{
		{Field: "audience.geo.countries", Span: find(t, m, "österreich")},
		{Field: "budget.amount", Span: find(t, m, "€5.000")},
		{Field: "budget.currency", Span: find(t, m, "€")},
		{Field: "", Span: find(t, m, "reach")},
		{Field: "budget.amount", Span: find(t, m, "€5.000")},
	}
	r := Reading{Message: m, Sources: sources, Unread: unreadSpans(m.Lower, sources)}
	runes := []rune(m.Text)
	got := append(r.SourcePassages(), r.UnreadPassages()...)
	want := []string{"ÖSTERREICH", "€5.000", "€", "Ärger", "A25–54"}
	if len(got) != len(want) {
		t.Fatalf("passages %+v, want %q", got, want)
	}
	for i, p := range got {
		if p.Text != want[i] || string(runes[p.Start:p.End]) != want[i] {
			t.Errorf("passage %d = %+v (text at its offsets %q), want %q", i, p, string(runes[p.Start:p.End]), want[i])
		}
	}
}

// Field labels of a planner's one-line brief and "only" in the languages briefs arrive
// in carry no field by themselves: with their values read, nothing is unread.
func TestUnreadSkipsFieldLabelsAndOnly(t *testing.T) {
	for text, read := range map[string][]string{
		"RFP. Obj: reach | Mkt: Chile | Demo: A18-34 | Formats: audio": {"reach", "chile", "a18-34", "audio"},
		"Ziel: Umsatz, nur Bayern":                                     {"umsatz", "bayern"},
		"objetivo: alcance, público 18-24, solo Lima":                  {"alcance", "18-24", "lima"},
		"objectif : couverture, Bretagne seulement":                    {"couverture", "bretagne"},
		"objetivo: vendas, apenas Porto":                               {"vendas", "porto"},
	} {
		m := NewMessage(text, time.Time{})
		var sources []Source
		for _, w := range read {
			sources = append(sources, Source{Field: "x", Span: find(t, m, w)})
		}
		r := Reading{Message: m, Unread: unreadSpans(m.Lower, sources)}
		if got := r.UnreadText(); len(got) != 0 {
			t.Errorf("%q: unread %q, want none", text, got)
		}
	}
}
