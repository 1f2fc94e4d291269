package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

const testNow = "2026-11-22T10:00:00Z"

// adplan runs the command line in-process, isolated from the user's settings.
func adplan(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Chdir(t.TempDir())
	t.Setenv("HOME", t.TempDir())
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestParseJSONContract(t *testing.T) {
	out, errOut, code := adplan(t, "", "parse", "--json", "--now", testNow,
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Goal     struct{ Objective string }
		Audience struct {
			AgeRanges []struct{ Min, Max int } `json:"age_ranges"`
			Geo       struct{ Countries []string }
		}
		Budget struct {
			Amount   float64
			Currency string
			Type     string
		}
		Schedule struct {
			Start, End string
			Days       int
		}
		Ran      []string
		Warnings []string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	if got.Goal.Objective != "REACH" || len(got.Audience.AgeRanges) != 1 || got.Audience.AgeRanges[0].Min != 18 ||
		got.Audience.AgeRanges[0].Max != 24 || !slices.Equal(got.Audience.Geo.Countries, []string{"DE"}) ||
		got.Budget.Amount != 5000 || got.Budget.Currency != "EUR" || got.Budget.Type != "LIFETIME" ||
		got.Schedule.Start != "2026-11-23" || got.Schedule.End != "2026-12-22" || got.Schedule.Days != 30 {
		t.Errorf("parse --json = %s", out)
	}
	if len(got.Warnings) != 0 || len(got.Ran) != 4 {
		t.Errorf("warnings %v, ran %v; want none and all four", got.Warnings, got.Ran)
	}
}

func TestParseLeavesUnstatedSlotsNull(t *testing.T) {
	out, _, code := adplan(t, "", "parse", "--json", "--now", testNow, "$5,000")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, slot := range []string{"goal", "audience", "schedule"} {
		if string(got[slot]) != "null" {
			t.Errorf("%s = %s, want null: the brief does not state it", slot, got[slot])
		}
	}
}

func TestParseReadsStandardInput(t *testing.T) {
	out, errOut, code := adplan(t, "audio only, $200 a day, starting next Monday\n", "parse", "--now", testNow, "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"AUDIO", "200 USD a day", "2026-11-23"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestParseFlagsBadBudgets(t *testing.T) {
	out, _, code := adplan(t, "", "parse", "--json", "--now", testNow, "reach in France with -500 euros")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got struct{ Warnings []string }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Warnings) == 0 {
		t.Errorf("a negative budget was accepted silently: %s", out)
	}
}

func TestBadInputGetsAClearErrorAndNonZeroExit(t *testing.T) {
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"empty text", "", []string{"parse", ""}, 1, "empty"},
		{"empty stdin", "", []string{"parse", "-"}, 1, "empty"},
		{"100 KB", strings.Repeat("grow awareness in Germany ", 4000), []string{"parse", "-"}, 1, "too long"},
		{"binary junk", "\x00\x01\x02\x7f\x03\x04\x05\x06\x07\x08", []string{"parse", "-"}, 1, "not readable text"},
		{"invalid UTF-8", "\xff\xfe\xfd budget", []string{"parse", "-"}, 1, "UTF-8"},
		{"a script adplan cannot read", "", []string{"parse", "ブランドの認知度を高めたい"}, 1, "a language other than English"},
		{"small talk", "", []string{"parse", "hello, how are you?"}, 1, "nothing in the message"},
		{"no text", "", []string{"parse"}, 2, "parse needs the brief"},
		{"bad --now", "", []string{"parse", "--now", "yesterday-ish", "5k"}, 2, "--now"},
		{"unknown command", "", []string{"plna"}, 2, "unknown command"},
		{"unknown flag", "", []string{"parse", "--jsn", "5k"}, 2, "unknown flag"},
		{"bad setting", "", []string{"parse", "--default-currency", "DOLLARS", "5k"}, 2, "default_currency"},
		{"chat takes no args", "", []string{"chat", "hello"}, 2, "standard input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := adplan(t, tt.stdin, tt.args...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.wantCode, tt.wantErr)
			}
		})
	}
}

func TestChatJSONRunsOnlyTheAffectedSpecialists(t *testing.T) {
	in := strings.Join([]string{
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
		"extend to 60 days",
		"",
		"this is not a brief",
		"make it 8k",
		"what about 90 days and 15k?",
	}, "\n")
	out, errOut, code := adplan(t, in, "chat", "--json", "--now", testNow)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type turn struct {
		Turn int
		Ran  []string
		Plan *struct {
			Budget    float64
			Currency  string
			LineItems []struct{ BudgetMicro int64 } `json:"line_items"`
			Flight    struct{ Days int }
		}
		PlanChanges []struct{ What, From, To, Why, Summary string } `json:"plan_changes"`
		Version     int
		Error       string
		Brief       struct {
			Budget   struct{ Amount float64 }
			Schedule struct {
				Start string
				Days  int
			}
		}
		Changes []struct{ Field, From, To string }
	}
	var turns []turn
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var tr turn
		if err := json.Unmarshal(sc.Bytes(), &tr); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		turns = append(turns, tr)
	}
	if len(turns) != 5 {
		t.Fatalf("%d JSON lines for 5 messages:\n%s", len(turns), out)
	}
	wantRan := [][]string{{"goal", "audience", "budget", "schedule"}, {"schedule"}, {}, {"budget"}, {"budget", "schedule"}}
	wantDays := []int{30, 60, 60, 60, 90}
	wantBudget := []float64{5000, 5000, 5000, 8000, 15000}
	for i, tr := range turns {
		if tr.Turn != i+1 || !slices.Equal(tr.Ran, wantRan[i]) || tr.Brief.Schedule.Days != wantDays[i] ||
			tr.Brief.Budget.Amount != wantBudget[i] || tr.Brief.Schedule.Start != "2026-11-23" {
			t.Errorf("turn %d = %+v; want ran %v, %d days, budget %v, start kept", i+1, tr, wantRan[i], wantDays[i], wantBudget[i])
		}
		if tr.Plan == nil || tr.Plan.Budget != wantBudget[i] || tr.Plan.Currency != "EUR" || tr.Plan.Flight.Days != wantDays[i] || len(tr.Plan.LineItems) == 0 {
			t.Errorf("turn %d plan = %+v; want the brief's %v EUR over %d days in line items", i+1, tr.Plan, wantBudget[i], wantDays[i])
		}
	}
	if turns[2].Error == "" || turns[2].Version != 2 {
		t.Errorf("an unreadable follow-up should report an error and keep version 2: %+v", turns[2])
	}
	if c := turns[1].Changes; len(c) != 2 || c[0].Field != "schedule.end" || c[1].To != "60 days" {
		t.Errorf("turn 2 changes = %+v, want the end and the length", c)
	}
	var summaries []string
	for _, c := range turns[3].PlanChanges {
		summaries = append(summaries, c.Summary)
		if c.What == "reach" && !strings.Contains(c.Why, "budget 5,000 EUR → 8,000 EUR") {
			t.Errorf("turn 4: reach moved with why %q; want the budget change named", c.Why)
		}
	}
	if pc := strings.Join(summaries, "; "); !strings.Contains(pc, "budget 5,000 EUR → 8,000 EUR") || !strings.Contains(pc, "reach +") {
		t.Errorf("turn 4 plan changes = %q; want the budget and how reach moved", pc)
	}
}

func TestChatTextShowsWhatChanged(t *testing.T) {
	out, errOut, code := adplan(t, "awareness in Germany with €5,000 over 30 days\nextend to 60 days\n", "chat", "--now", testNow)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Brief v1", "Brief v2 (read by schedule)", "changed: Flight length: 30 days → 60 days"} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
}

func TestChatFailsWhenNothingCouldBeRead(t *testing.T) {
	_, errOut, code := adplan(t, "hello\nhow are you\n", "chat", "--json")
	if code != 1 || !strings.Contains(errOut, "no message could be read") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestHelpExplainsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"parse", "--help"}, {"chat", "--help"}} {
		out, _, code := adplan(t, "", args...)
		if code != 0 || !strings.Contains(out, "Usage:") || !strings.Contains(out, "--now") {
			t.Errorf("adplan %v: exit %d\n%s", args, code, out)
		}
	}
	out, _, _ := adplan(t, "", "--help")
	for _, want := range []string{"parse", "chat", "--default-currency", "ADPLAN_DEFAULT_CURRENCY"} {
		if !strings.Contains(out, want) {
			t.Errorf("adplan --help lacks %q", want)
		}
	}
}
