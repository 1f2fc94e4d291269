package calendar

import (
	"fmt"
	"testing"

	"github.com/adplan/adplan/agents"
)

func TestScheduleHolidayDay(t *testing.T) {
	tests := []struct {
		give   Holiday
		year   int
		market string
		south  bool
		want   string
	}{
		{give: BlackFriday, year: 2026, want: "2026-11-27"},
		// November 2024 and 2030 start on a Friday: Black Friday is the fifth Friday,
		// the day after the fourth Thursday.
		{give: BlackFriday, year: 2024, want: "2024-11-29"},
		{give: BlackFriday, year: 2030, want: "2030-11-29"},
		{give: CyberMonday, year: 2026, want: "2026-11-30"},
		{give: Thanksgiving, year: 2026, want: "2026-11-26"},
		{give: Christmas, year: 2026, want: "2026-12-25"},
		{give: Valentines, year: 2027, want: "2027-02-14"},
		{give: MothersDay, year: 2027, want: "2027-05-09"},
		{give: FathersDay, year: 2027, want: "2027-06-20"},
		// The days that differ by market.
		{give: MothersDay, year: 2027, market: "GB", want: "2027-03-07"}, // Mothering Sunday, three weeks before Easter
		{give: MothersDay, year: 2027, market: "US", want: "2027-05-09"},
		{give: MothersDay, year: 2027, market: "MX", want: "2027-05-10"},
		{give: MothersDay, year: 2027, market: "FR", want: "2027-05-30"},
		{give: FathersDay, year: 2027, market: "AU", want: "2027-09-05"},
		{give: FathersDay, year: 2027, market: "DE", want: "2027-05-06"}, // Ascension Day
		{give: FathersDay, year: 2027, market: "IT", want: "2027-03-19"},
		{give: Thanksgiving, year: 2027, market: "CA", want: "2027-10-11"},
		{give: Easter, year: 2027, want: "2027-03-28"},
		{give: Easter, year: 2027, market: "GR", want: "2027-05-02"}, // Orthodox Easter
		{give: EasterMonday, year: 2027, market: "IE", want: "2027-03-29"},
		{give: GoodFriday, year: 2028, market: "ES", want: "2028-04-14"},
		// The Islamic calendar: 1 Ramadan 1448 and 1 Shawwal (Eid al-Fitr).
		{give: Ramadan, year: 2027, market: "SA", want: "2027-02-08"},
		{give: EidAlFitr, year: 2026, want: "2026-03-20"},
		{give: EidAlAdha, year: 2026, want: "2026-05-27"},
		{give: Diwali, year: 2027, market: "IN", want: "2027-10-29"},
		{give: LunarNewYear, year: 2028, want: "2028-01-26"},
		// A season's first day, by hemisphere.
		{give: Summer, year: 2026, market: "AU", south: true, want: "2026-12-01"},
		{give: Summer, year: 2027, market: "DE", want: "2027-06-01"},
		{give: BackToSchool, year: 2027, market: "NZ", south: true, want: "2027-01-05"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d %s", tt.give, tt.year, tt.market), func(t *testing.T) {
			got, ok := Day(tt.give, tt.year, tt.market, tt.south)
			if !ok || got.String() != tt.want {
				t.Errorf("Day(%s, %d, %q) = %s, %v; want %s", tt.give, tt.year, tt.market, got, ok, tt.want)
			}
		})
	}
	// Diwali and Lunar New Year come from a table; past it they cannot be placed.
	if d, ok := Day(Diwali, 2040, "IN", false); ok {
		t.Errorf("Diwali 2040 placed on %s, past the table", d)
	}
}

// The tabular Islamic calendar keeps Ramadan 29 or 30 days, eleven days earlier each
// year, and two Ramadans may start in one Gregorian year (2030).
func TestScheduleIslamicCalendar(t *testing.T) {
	for y := 1440; y < 1470; y++ {
		start, end := islamicPeriod(Ramadan, y)
		if n := start.DaysUntil(end) + 1; n != 29 && n != 30 {
			t.Errorf("Ramadan %d runs %d days", y, n)
		}
		next, _ := islamicPeriod(Ramadan, y+1)
		if gap := start.DaysUntil(next); gap != 354 && gap != 355 {
			t.Errorf("Ramadan %d to %d: %d days", y, y+1, gap)
		}
	}
	dec30 := agents.NewDate(2030, 12, 1)
	if start, _, ok := IslamicNext(Ramadan, dec30); !ok || start.Time().Year() != 2030 || start.Time().Month() != 12 {
		t.Errorf("the Ramadan after %s starts %s, want late December 2030", dec30, start)
	}
}

// The movable-holiday table loads: every holiday it names exists, every rule is whole.
func TestMovableTableLoads(t *testing.T) {
	m := movable()
	if len(m.days) == 0 || len(m.periods) == 0 {
		t.Fatalf("movable.json gave %d day rules and %d periods", len(m.days), len(m.periods))
	}
	if !DependsOnMarket(MothersDay) {
		t.Error("Mother's Day does not depend on the market (the UK's is Mothering Sunday)")
	}
}
