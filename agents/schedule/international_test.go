package schedule

import (
	"context"
	"slices"
	"testing"

	"github.com/adplan/adplan/agents"
)

// Dates as planners around the world write them: a bare month closing a list,
// month names and lengths in other languages, day-first dotted dates, calendar
// weeks. Each brief is read by a coordinator with the schedule specialist alone, so
// the words it leaves unread are exactly those the schedule does not use: every word
// a rule reads is covered, and no other.
func TestScheduleSpecialistInternational(t *testing.T) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: []agents.Specialist{New()}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		give   string
		want   *agents.Schedule
		unread []string
	}{
		// A month standing alone as the last item of a list, or between list marks.
		{give: "Spotify audio, Canada, C$12k, Mar", want: dates(t, "2027-03-01", "2027-03-31"), unread: []string{"audio", "Canada", "C$12k"}},
		{give: "awareness | Sweden | 90k SEK | apr. | audio only", want: dates(t, "2027-04-01", "2027-04-30"), unread: []string{"awareness", "Sweden", "90k SEK", "audio"}},
		{give: "Portugal 6k€ installs Jun 🚀", want: dates(t, "2027-06-01", "2027-06-30"), unread: []string{"Portugal 6k€ installs"}},
		{give: "Chile, traffic, May", want: dates(t, "2027-05-01", "2027-05-31"), unread: []string{"Chile", "traffic"}},
		// Other languages: months, lengths, number words and the words around them.
		{give: "campaña de alcance en Argentina durante dos semanas desde el 3 de marzo", want: dates(t, "2027-03-03", "2027-03-16"), unread: []string{"alcance", "Argentina"}},
		{give: "Kampagne in Österreich, drei Wochen ab 15. März", want: dates(t, "2027-03-15", "2027-04-04"), unread: []string{"Österreich"}},
		{give: "lancement en juin, pendant un mois", want: dates(t, "2027-06-01", "2027-06-30"), unread: []string{"lancement"}},
		{give: "promozione dal 5 al 25 maggio", want: dates(t, "2027-05-05", "2027-05-25"), unread: []string{"promozione"}},
		{give: "campanha de 60 dias a partir de 2 de janeiro", want: dates(t, "2027-01-02", "2027-03-02")},
		{give: "campagne van maart tot mei", want: dates(t, "2027-03-01", "2027-05-31")},
		{give: "Festivalsaison von Juni bis August", want: dates(t, "2027-06-01", "2027-08-31"), unread: []string{"Festivalsaison"}},
		{give: "oferta hasta el 15 de enero", want: dates(t, "2026-11-23", "2027-01-15"), unread: []string{"oferta"}},
		// German ordinal days, the dot after each day of a range.
		{give: "Aktion 2.–8. März", want: dates(t, "2027-03-02", "2027-03-08"), unread: []string{"Aktion"}},
		{give: "Laufzeit 10. bis 24. Juni", want: dates(t, "2027-06-10", "2027-06-24"), unread: []string{"Laufzeit"}},
		// Day-first dotted dates, with the year on one end or on none.
		{give: "Flight 02.02.–28.02.2027, Schweiz", want: dates(t, "2027-02-02", "2027-02-28"), unread: []string{"Schweiz"}},
		{give: "Start 12.01., 3 Wochen", want: dates(t, "2027-01-12", "2027-02-01")},
		// Calendar weeks (ISO 8601, Monday to Sunday).
		{give: "burst in wk 12, UK", want: dates(t, "2027-03-22", "2027-03-28"), unread: []string{"UK"}},
		{give: "KW 14-17 Radio-Ersatz", want: dates(t, "2027-04-05", "2027-05-02"), unread: []string{"Radio-Ersatz"}},
		{give: "weeks 5 to 8 of 2027", want: dates(t, "2027-02-01", "2027-02-28")},
		{give: "w/c 1 Feb for three weeks", want: dates(t, "2027-02-01", "2027-02-21")},
		{give: "week commencing 15 March", want: dates(t, "2027-03-15", "2027-03-21")},
		// Nordic week numbers: Norwegian "uke", Danish "uge", Swedish "vecka" and "v.".
		{give: "Norge, uke 12", want: dates(t, "2027-03-22", "2027-03-28"), unread: []string{"Norge"}},
		{give: "uge 10-12", want: dates(t, "2027-03-08", "2027-03-28")},
		{give: "vecka 12", want: dates(t, "2027-03-22", "2027-03-28")},
		{give: "v. 12–15", want: dates(t, "2027-03-22", "2027-04-18")},
		{give: "v 6-9", want: dates(t, "2027-02-08", "2027-03-07")},
		{give: "KW12", want: dates(t, "2027-03-22", "2027-03-28")},
		{give: "KW 10 bis KW 13", want: dates(t, "2027-03-08", "2027-04-04")},
		{give: "week 10 t/m 13", want: dates(t, "2027-03-08", "2027-04-04")},
		{give: "1 t/m 28 februari", want: dates(t, "2027-02-01", "2027-02-28")},
		// Month abbreviations of other languages, with a dot or a year.
		{give: "del 3 de ene al 28 de feb", want: dates(t, "2027-01-03", "2027-02-28")},
		{give: "dic 2026", want: dates(t, "2026-12-01", "2026-12-31")},
		{give: "du 1. févr. au 15 mars", want: dates(t, "2027-02-01", "2027-03-15")},
		{give: "1. Mär bis 30. Apr", want: dates(t, "2027-03-01", "2027-04-30")},
		{give: "dal 3 mag al 20 giu", want: dates(t, "2027-05-03", "2027-06-20")},
		{give: "10 out a 30 nov 2027", want: dates(t, "2027-10-10", "2027-11-30")},
		{give: "okt 2027", want: dates(t, "2027-10-01", "2027-10-31")},
		{give: "Brasil, 50 mil, fev", want: dates(t, "2027-02-01", "2027-02-28"), unread: []string{"Brasil", "50 mil"}},
		// Misspelt month names, each read with a note.
		{give: "Italy, febuary", want: dates(t, "2027-02-01", "2027-02-28"), unread: []string{"Italy"}},
		{give: "Feburary 3 to Decmber 1, 2027", want: dates(t, "2027-02-03", "2027-12-01")},
		{give: "setembre 2027", want: dates(t, "2027-09-01", "2027-09-30")},
		// Tight dotted and slash ranges, the year written on the end only, and arrows.
		{give: "1.02–28.02.2027", want: dates(t, "2027-02-01", "2027-02-28")},
		{give: "1.3.–30.4.", want: dates(t, "2027-03-01", "2027-04-30")},
		{give: "01/03-30/04", want: dates(t, "2027-03-01", "2027-04-30")},
		{give: "Flight: 08/02–04/04/27, France", want: dates(t, "2027-02-08", "2027-04-04"), unread: []string{"France"}},
		{give: "1 Mar → 30 Apr", want: dates(t, "2027-03-01", "2027-04-30")},
		{give: "1 Mar -> 30 Apr", want: dates(t, "2027-03-01", "2027-04-30")},
		{give: "Black Friday → Cyber Monday", want: dates(t, "2026-11-27", "2026-11-30")},
		// A month taken off one end of a quarter, half or year; two months joined by
		// "+" or "&"; a period said again beside the flight's own dates is read too.
		{give: "Q1 minus March", want: dates(t, "2027-01-01", "2027-02-28")},
		{give: "Q1 but skip January", want: dates(t, "2027-02-01", "2027-03-31")},
		{give: "H2 2027 except December", want: dates(t, "2027-07-01", "2027-11-30")},
		{give: "Q2 sin abril", want: dates(t, "2027-05-01", "2027-06-30")},
		{give: "Q1 excl. March", want: dates(t, "2027-01-01", "2027-02-28")},
		{give: "in 2027 without January", want: dates(t, "2027-02-01", "2027-12-31")},
		{give: "Feb + Mar", want: dates(t, "2027-02-01", "2027-03-31")},
		{give: "Feb & Mar", want: dates(t, "2027-02-01", "2027-03-31")},
		{give: "March, April and May", want: dates(t, "2027-03-01", "2027-05-31")},
		{give: "Jan & Feb & Mar", want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "marzo, abril y mayo", want: dates(t, "2027-03-01", "2027-05-31")},
		{give: "Nov, Dec and Jan", want: dates(t, "2026-11-23", "2027-01-31")},
		{give: "Q1 but skip January, so Feb + Mar only", want: dates(t, "2027-02-01", "2027-03-31")},
		{give: "summer 2027 (June–August)", want: dates(t, "2027-06-01", "2027-08-31")},
		// Halves of a month, and "between" with only the end's month.
		{give: "the first half of April", want: dates(t, "2027-04-01", "2027-04-15")},
		{give: "second half of Jan 2027", want: dates(t, "2027-01-16", "2027-01-31")},
		{give: "between the 3rd and the 20th of January", want: dates(t, "2027-01-03", "2027-01-20")},
		// Holidays whose day differs by market, and seasons by hemisphere.
		{give: "Mothering Sunday gifting, England", want: dates(t, "2027-02-22", "2027-03-07"), unread: []string{"gifting", "England"}},
		{give: "Mother's Day push for Mexico", want: dates(t, "2027-04-27", "2027-05-10"), unread: []string{"Mexico"}},
		{give: "Father's Day, Australia", want: dates(t, "2027-08-23", "2027-09-05"), unread: []string{"Australia"}},
		{give: "Greek Easter 2027", want: dates(t, "2027-04-19", "2027-05-02"), unread: []string{"Greek"}},
		{give: "from Good Friday to Easter Monday 2027", want: dates(t, "2027-03-26", "2027-03-29")},
		{give: "Ramadan 2028 in Egypt", want: dates(t, "2028-01-28", "2028-02-26"), unread: []string{"Egypt"}},
		{give: "Deepavali, Singapore", want: dates(t, "2027-10-16", "2027-10-29"), unread: []string{"Singapore"}},
		{give: "CNY 2028 Malaysia", want: dates(t, "2028-01-13", "2028-01-26"), unread: []string{"Malaysia"}},
		{give: "winter in New Zealand", want: dates(t, "2027-06-01", "2027-08-31"), unread: []string{"Zealand"}},
		{give: "winter sale in Canada", want: dates(t, "2026-12-01", "2027-02-28"), unread: []string{"sale", "Canada"}},
		{give: "from Boxing Day for 3 weeks", want: dates(t, "2026-12-26", "2027-01-15")},
		{give: "Boxing Day sale, Canada", want: dates(t, "2026-12-26", "2026-12-31"), unread: []string{"sale", "Canada"}},
		{give: "until Boxing Day", want: dates(t, "2026-11-23", "2026-12-26")},
		{give: "Santo Stefano 2027", want: dates(t, "2027-12-26", "2027-12-31")},
		{give: "back to school, South Africa", want: dates(t, "2027-01-05", "2027-02-10"), unread: []string{"South Africa"}},
		// A writer taking back a date or a length keeps the one said last.
		{give: "kick off 2 March, sorry I mean 9 March, 3 weeks", want: dates(t, "2027-03-09", "2027-03-29")},
		{give: "six weeks, no wait, eight weeks", want: dates(t, "2026-11-23", "2027-01-17")},
		{give: "go live May 3 (not April 26)", want: scheduleFrom(t, "2027-05-03")},
		{give: "Q2 2028... actually Q3", want: dates(t, "2028-07-01", "2028-09-30")},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			r, err := c.Read(context.Background(), agents.Brief{}, tt.give, false, testNow)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !scheduleSame(r.Brief.Schedule, tt.want) {
				t.Errorf("schedule = %s, want %s (notes %q)", scheduleString(r.Brief.Schedule), scheduleString(tt.want), r.Notes)
			}
			if got := r.UnreadText(); !slices.Equal(got, tt.unread) {
				t.Errorf("unread = %q, want %q", got, tt.unread)
			}
		})
	}
}

// Words that look like dates in one language and are something else in a brief stay
// what they are.
func TestScheduleSpecialistInternationalNotDates(t *testing.T) {
	for _, give := range []string{
		"thanks, Jan",
		"Mars bars in the UK",
		"we may add Italy",
		"v2 of the creative",
		"week 3 of the campaign is the peak",
		"$400 per 2 weeks cap",
		"reconocimiento de marca",
		"Mars Wrigley brand lift",
		"no video please",
		"10 out of 10 creatives",
		"gen Z fans, 18-24 gen z",
		"launched 2 weeks ago",
		"OTT and CTV in Italy",
		"3 set of banners",
		"v2 creative",
		"Jaguar launch in Augusta",
	} {
		m := agents.NewMessage(give, testNow)
		r, err := New().Run(context.Background(), agents.Request{Message: m, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		if r.Schedule != nil {
			t.Errorf("%q read as a flight %s", give, scheduleString(r.Schedule))
		}
	}
}

// Follow-ups to a flight of whole months keep its end when only the start changes,
// and "into" a month moves the end.
func TestScheduleSpecialistFollowUpInternational(t *testing.T) {
	january := dates(t, "2027-01-01", "2027-01-31")
	december := dates(t, "2026-12-01", "2026-12-31")
	thirty := dates(t, "2026-11-30", "2026-12-29")
	for _, tt := range []struct {
		give          string
		current, want *agents.Schedule
	}{
		{give: "start on the 11th instead", current: january, want: dates(t, "2027-01-11", "2027-01-31")},
		{give: "actually start Jan 18", current: january, want: dates(t, "2027-01-18", "2027-01-31")},
		{give: "push the start to Jan 18", current: january, want: dates(t, "2027-01-18", "2027-02-17")},
		{give: "start on the 3rd", current: thirty, want: dates(t, "2026-12-03", "2027-01-01")},
		{give: "extend into January", current: december, want: dates(t, "2026-12-01", "2027-01-31")},
		{give: "in Feb", current: january, want: dates(t, "2027-02-01", "2027-02-28")},
		{give: "make it März", current: january, want: dates(t, "2027-03-01", "2027-03-31")},
		// A month added to a flight of months: the flight runs from the first to the last.
		{give: "April too", current: dates(t, "2027-03-01", "2027-03-31"), want: dates(t, "2027-03-01", "2027-04-30")},
		{give: "add March", current: dates(t, "2027-04-01", "2027-04-30"), want: dates(t, "2027-03-01", "2027-04-30")},
		{give: "also January", current: december, want: dates(t, "2026-12-01", "2027-01-31")},
		{give: "Feb as well", current: january, want: dates(t, "2027-01-01", "2027-02-28")},
		{give: "agrega febrero", current: january, want: dates(t, "2027-01-01", "2027-02-28")},
		{give: "include April and May", current: dates(t, "2027-03-01", "2027-03-31"), want: dates(t, "2027-03-01", "2027-05-31")},
		{give: "March too", current: dates(t, "2027-04-01", "2027-06-30"), want: dates(t, "2027-03-01", "2027-06-30")},
		// A new start that keeps the end where it was.
		{give: "start Dec 8, same end", current: dates(t, "2026-12-01", "2027-01-20"), want: dates(t, "2026-12-08", "2027-01-20")},
		{give: "empezamos el 8 de diciembre, mismo final", current: december, want: dates(t, "2026-12-08", "2026-12-31")},
		{give: "start on the 5th, keep the end date", current: thirty, want: dates(t, "2026-12-05", "2026-12-29")},
	} {
		t.Run(tt.give, func(t *testing.T) {
			cur := *tt.current
			req := agents.Request{Message: agents.NewMessage(tt.give, testNow), FollowUp: true, Now: testNow, Current: agents.Brief{Schedule: &cur}}
			r, err := New().Run(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if !scheduleSame(r.Schedule, tt.want) {
				t.Errorf("on %s: %s, want %s (notes %q)", scheduleString(tt.current), scheduleString(r.Schedule), scheduleString(tt.want), r.Notes)
			}
		})
	}
}

// A misspelt month name is read as the month, and a note says so; a word that is
// a month name's neighbour but a name of its own stays unread.
func TestScheduleSpecialistMonthTypos(t *testing.T) {
	for _, tt := range []struct {
		give, note string
		want       *agents.Schedule
	}{
		{give: "awarness campain in Itlay, febuary", note: `Read "febuary" as February.`, want: dates(t, "2027-02-01", "2027-02-28")},
		{give: "Decmber 2026", note: `Read "decmber" as December.`, want: dates(t, "2026-12-01", "2026-12-31")},
		{give: "launch Octobr 5", note: `Read "octobr" as October.`, want: scheduleFrom(t, "2027-10-05")},
		{give: "Javier and Maggie, Augusta", want: nil},
	} {
		t.Run(tt.give, func(t *testing.T) {
			m := agents.NewMessage(tt.give, testNow)
			r, err := New().Run(context.Background(), agents.Request{Message: m, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if !scheduleSame(r.Schedule, tt.want) {
				t.Errorf("schedule = %s, want %s (notes %q)", scheduleString(r.Schedule), scheduleString(tt.want), r.Notes)
			}
			checkNotes(t, r.Notes, tt.note)
		})
	}
}

// A month cannot be taken out of the middle of a flight, and a month added after a
// gap makes the flight run through the gap: each says so in a note.
func TestScheduleSpecialistBreaksNoted(t *testing.T) {
	for _, tt := range []struct {
		give, note string
		current    *agents.Schedule
		want       *agents.Schedule
	}{
		{give: "Q1 but not February", note: "cannot be taken out of its middle", want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "June too", note: "runs without a break from 2027-03-01 to 2027-06-30", current: dates(t, "2027-03-01", "2027-03-31"), want: dates(t, "2027-03-01", "2027-06-30")},
	} {
		t.Run(tt.give, func(t *testing.T) {
			req := agents.Request{Message: agents.NewMessage(tt.give, testNow), Now: testNow}
			if tt.current != nil {
				cur := *tt.current
				req.FollowUp, req.Current = true, agents.Brief{Schedule: &cur}
			}
			r, err := New().Run(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if !scheduleSame(r.Schedule, tt.want) {
				t.Errorf("schedule = %s, want %s (notes %q)", scheduleString(r.Schedule), scheduleString(tt.want), r.Notes)
			}
			checkNotes(t, r.Notes, tt.note)
		})
	}
}
