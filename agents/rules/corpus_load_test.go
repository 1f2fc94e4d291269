package rules_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
)

// Loading the corpus strictly and validating every entry, so a typo in it is an
// error instead of a silently wrong expectation.

func loadCorpus(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s: data after the list", path)
	}
	return nil
}

var (
	corpusCurrencyRe = regexp.MustCompile(`^[A-Z]{3}$`)
	corpusCountryRe  = regexp.MustCompile(`^[A-Z]{2}$`)
)

func validateBriefs(briefs []corpusBrief) error {
	if len(briefs) == 0 {
		return errors.New("no briefs in the corpus")
	}
	seen := map[string]bool{}
	for _, b := range briefs {
		if b.ID == "" || seen[b.ID] {
			return fmt.Errorf("brief id %q is empty or used twice", b.ID)
		}
		seen[b.ID] = true
		if strings.TrimSpace(b.Text) == "" {
			return fmt.Errorf("%s: no text", b.ID)
		}
		if err := validateNow(b.Now); err != nil {
			return fmt.Errorf("%s: %w", b.ID, err)
		}
		if err := validateExpect(b.Expect, b.Ran); err != nil {
			return fmt.Errorf("%s: %w", b.ID, err)
		}
	}
	return nil
}

func validateConversations(convs []corpusConversation) error {
	if len(convs) == 0 {
		return errors.New("no conversations in the corpus")
	}
	seen := map[string]bool{}
	for _, c := range convs {
		if c.ID == "" || seen[c.ID] {
			return fmt.Errorf("conversation id %q is empty or used twice", c.ID)
		}
		seen[c.ID] = true
		if len(c.Turns) < 2 {
			return fmt.Errorf("%s: a conversation needs at least two turns", c.ID)
		}
		if err := validateNow(c.Now); err != nil {
			return fmt.Errorf("%s: %w", c.ID, err)
		}
		for i, turn := range c.Turns {
			if strings.TrimSpace(turn.Text) == "" {
				return fmt.Errorf("%s turn %d: no text", c.ID, i+1)
			}
			if err := validateExpect(turn.Expect, turn.Ran); err != nil {
				return fmt.Errorf("%s turn %d: %w", c.ID, i+1, err)
			}
		}
	}
	return nil
}

func validateNow(now string) error {
	if now == "" {
		return nil
	}
	if _, err := time.Parse(time.RFC3339, now); err != nil {
		return fmt.Errorf("now: %w", err)
	}
	return nil
}

// validateExpect catches values the Brief could never hold, so a typo in the corpus
// is not counted as a miss of the reader.
func validateExpect(e corpusExpect, ran *[]agents.Slot) error {
	if e.Goal == nil && e.Audience == nil && e.Budget == nil && e.Schedule == nil {
		return errors.New("expects nothing")
	}
	if g := e.Goal; g != nil {
		if g.Objective != nil && !slices.Contains(agents.Objectives, *g.Objective) {
			return fmt.Errorf("unknown objective %q", *g.Objective)
		}
		if g.Formats != nil {
			for _, f := range *g.Formats {
				if !slices.Contains(agents.Formats, f) {
					return fmt.Errorf("unknown format %q", f)
				}
			}
		}
		if g.MaxShare != nil {
			for f, s := range *g.MaxShare {
				if !slices.Contains(agents.Formats, f) || s <= 0 || s > 1 {
					return fmt.Errorf("bad max_share %s=%v", f, s)
				}
			}
		}
		if g.Channel != nil && !slices.Contains([]string{agents.ChannelDirect, agents.ChannelSelfServe, agents.ChannelProgrammatic}, *g.Channel) {
			return fmt.Errorf("unknown channel %q", *g.Channel)
		}
	}
	if a := e.Audience; a != nil {
		if a.AgeRanges != nil {
			for _, r := range *a.AgeRanges {
				if r.Min < 13 || r.Max > 99 || r.Min > r.Max {
					return fmt.Errorf("bad age range %d-%d", r.Min, r.Max)
				}
			}
		}
		if a.Genders != nil {
			for _, g := range *a.Genders {
				if g != agents.GenderMale && g != agents.GenderFemale && g != agents.GenderNonBinary {
					return fmt.Errorf("unknown gender %q", g)
				}
			}
		}
		if a.Geo != nil && a.Geo.Countries != nil {
			for _, c := range *a.Geo.Countries {
				if !corpusCountryRe.MatchString(c) {
					return fmt.Errorf("country %q is not an ISO alpha-2 code", c)
				}
			}
		}
	}
	if b := e.Budget; b != nil {
		if b.Amount != nil && *b.Amount <= 0 {
			return fmt.Errorf("budget amount %v", *b.Amount)
		}
		if b.Currency != nil && !corpusCurrencyRe.MatchString(*b.Currency) {
			return fmt.Errorf("currency %q is not an ISO 4217 code", *b.Currency)
		}
		if b.Type != nil && *b.Type != agents.BudgetLifetime && *b.Type != agents.BudgetDaily {
			return fmt.Errorf("unknown budget type %q", *b.Type)
		}
	}
	if s := e.Schedule; s != nil {
		var start, end agents.Date
		for _, d := range []struct {
			v   *string
			out *agents.Date
		}{{s.Start, &start}, {s.End, &end}} {
			if d.v == nil {
				continue
			}
			parsed, err := agents.ParseDate(*d.v)
			if err != nil {
				return err
			}
			*d.out = parsed
		}
		if !start.IsZero() && !end.IsZero() {
			if end.Before(start) {
				return fmt.Errorf("schedule ends %s before it starts %s", end, start)
			}
			if s.Days != nil && *s.Days != start.DaysUntil(end)+1 {
				return fmt.Errorf("schedule %s..%s is %d days, not %d", start, end, start.DaysUntil(end)+1, *s.Days)
			}
		}
	}
	if ran != nil {
		for _, s := range *ran {
			if !slices.Contains(agents.Slots, s) {
				return fmt.Errorf("unknown slot %q in ran", s)
			}
		}
	}
	return nil
}
