package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/adplan/adplan/conversation/session"
)

type passage struct {
	Field      string
	Text       string
	Start, End int
}

// parse --json says where every field came from and which words it did not read,
// located in characters of the text as sent, and asks about a guessed currency.
func TestParseJSONSaysWhatItReadAndWhatNot(t *testing.T) {
	brief := "Awareness in Österreich with lookalike audiences, 5000 $ over 30 days"
	out, errOut, code := adplan(t, "", "parse", "--json", "--now", testNow, brief)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Language string
		Sources  []passage
		Unread   []passage
		Question *struct{ Field, Text string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	runes := []rune(brief)
	fields := map[string]string{}
	for _, s := range append(got.Sources, got.Unread...) {
		if s.Start < 0 || s.End > len(runes) || string(runes[s.Start:s.End]) != s.Text {
			t.Errorf("passage %+v does not locate its text in the brief", s)
		}
		fields[s.Field] += s.Text + " "
	}
	for field, want := range map[string]string{
		"goal.objective": "Awareness", "audience.geo.countries": "Österreich", "budget.amount": "5000", "schedule.days": "30 days",
	} {
		if !strings.Contains(fields[field], want) {
			t.Errorf("sources of %s = %q; want %q among them", field, fields[field], want)
		}
	}
	if len(got.Unread) != 1 || got.Unread[0].Text != "lookalike" {
		t.Errorf("unread %+v; want just \"lookalike\"", got.Unread)
	}
	if got.Language != "en" {
		t.Errorf("language %q, want en", got.Language)
	}
	if got.Question == nil || got.Question.Field != "budget.currency" {
		t.Errorf("question %+v; want one about the budget's currency", got.Question)
	}
}

func TestParseTextSaysWhatItDidNotUnderstand(t *testing.T) {
	out, errOut, code := adplan(t, "", "parse", "--now", testNow, "awareness in Germany with lookalike audiences, €5,000 over 30 days")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "I did not understand: 'lookalike'.") {
		t.Errorf("output does not name the word it did not read:\n%s", out)
	}
}

// chat asks about a guessed currency on the turn that guessed it, and not again.
func TestChatAsksAboutAGuessedCurrencyOnce(t *testing.T) {
	out, errOut, code := adplan(t, "awareness in Germany, 5000 $ over 30 days, lookalike\nmake it 6000\n", "chat", "--json", "--now", testNow)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var turns []session.Turn
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var turn session.Turn
		if err := json.Unmarshal([]byte(line), &turn); err != nil {
			t.Fatalf("line is not JSON: %v\n%s", err, line)
		}
		turns = append(turns, turn)
	}
	if len(turns) != 2 || turns[0].Question == nil || turns[1].Question != nil {
		t.Fatalf("questions per turn: %+v", turns)
	}
	if len(turns[0].Unread) != 1 || turns[0].Unread[0] != "lookalike" || len(turns[1].Unread) != 0 {
		t.Errorf("unread per turn: %q, %q", turns[0].Unread, turns[1].Unread)
	}
}

// A brief in another language is named as such, and what the rules can read of it is
// kept rather than refused.
func TestABriefInAnotherLanguageIsNamedAndReadWhereTheRulesCan(t *testing.T) {
	out, errOut, code := adplan(t, "", "parse", "--now", testNow, "Wir möchten die Bekanntheit der Marke steigern und die Jugend erreichen")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Objective      REACH", "This looks like German"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
