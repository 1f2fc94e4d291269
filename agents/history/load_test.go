package history

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents/market"
)

func TestWriteLoadRoundTrip(t *testing.T) {
	facts := market.Default()
	want := Generate(200, 7, facts)
	var buf bytes.Buffer
	if err := Write(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := Load(&buf, facts)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d campaigns, wrote %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("campaign %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestLoadFile(t *testing.T) {
	facts := market.Default()
	want := Generate(50, 1, facts)
	dir := t.TempDir()
	var plain, zipped bytes.Buffer
	if err := Write(&plain, want); err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(&zipped)
	zw.Write(plain.Bytes())
	zw.Close()
	for name, data := range map[string][]byte{"h.csv": plain.Bytes(), "h.csv.gz": zipped.Bytes()} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := LoadFile(path, facts)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("LoadFile(%s): %d campaigns, %v", name, len(got), err)
		}
	}
	if _, err := LoadFile(filepath.Join(dir, "none.csv"), facts); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("market,objective\nUS,REACH\n"), 0o644)
	if _, err := LoadFile(bad, facts); err == nil || !strings.Contains(err.Error(), "bad.csv: line 1: missing columns") {
		t.Errorf("bad file: %v", err)
	}
}

// A user's export: columns in another order, lower case values, an unknown column,
// optional columns left out, spend in euros.
func TestLoadExport(t *testing.T) {
	facts := market.Default()
	in := "Reach,impressions,Market,objective,format,placement,start,days,spend,currency,notes,clicks\n" +
		"900,1000,de,reach,audio,music,2025-03-01,30,100,EUR,hello,12\n" +
		"50,100,US,CLICKS,VIDEO,PODCAST,2025-03-01T00:00:00Z,7,100,usd,,\n"
	cs, err := Load(strings.NewReader(in), facts)
	if err != nil {
		t.Fatal(err)
	}
	eur, _ := facts.USDPerUnit("EUR")
	c := cs[0]
	want := Campaign{
		ID: "line-2", Market: "DE", Objective: "REACH", Format: "AUDIO", Placement: "MUSIC",
		AgeMin: 13, AgeMax: 99, Gender: "ALL", Platform: "ALL",
		AudienceSize: facts.AudienceSize("DE", market.Targeting{}), // rounded below
		Start:        time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Days: 30,
		SpendUSD: 100 * eur, Impressions: 1000, Reach: 900, Clicks: 12,
	}
	want.AudienceSize = float64(int64(want.AudienceSize + 0.5))
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	if cs[1].SpendUSD != 100 || cs[1].Clicks != 0 || cs[1].ID != "line-3" {
		t.Errorf("second row %+v", cs[1])
	}
	pod := facts.AudienceSize("US", market.Targeting{Placements: []string{"PODCAST"}})
	if d := cs[1].AudienceSize - pod; d > 1 || d < -1 {
		t.Errorf("podcast audience %v, want %v", cs[1].AudienceSize, pod)
	}
}

func TestLoadErrors(t *testing.T) {
	const header = "id,market,objective,format,placement,age_min,age_max,gender,platform,audience_size,start,days,spend_usd,impressions,reach,clicks,video_completions,podcast_streams,installs,leads,conversions\n"
	const good = "a,US,REACH,AUDIO,MUSIC,18,34,ALL,ALL,1000000,2025-01-01,30,1000,50000,20000,100,0,0,0,0,0\n"
	row := func(field, value string) string {
		rec := strings.Split(strings.TrimSuffix(good, "\n"), ",")
		for i, c := range Columns {
			if c == field {
				rec[i] = value
			}
		}
		return strings.Join(rec, ",") + "\n"
	}
	tests := []struct {
		name     string
		give     string
		wantLine int
		wantErr  string
	}{
		{"empty file", "", 1, "empty file: no header"},
		{"missing columns", "id,market,objective\n" + good, 1, `missing columns "format", "placement", "start", "days", "impressions", "reach", "spend_usd"`},
		{"missing one column", strings.Replace(header, ",reach,", ",rich,", 1), 1, `missing column "reach"`},
		{"duplicate column", "market," + header, 1, `column "market" appears twice`},
		{"spend_usd with currency", strings.TrimSuffix(header, "\n") + ",currency\n", 1, `"spend_usd" is in US dollars`},
		{"spend not a number", header + good + good + row("spend_usd", "abc"), 4, `spend_usd "abc" is not a number`},
		{"unknown market", header + row("market", "XX"), 2, `market "XX" is not a known market`},
		{"unknown objective", header + good + row("objective", "FAME"), 3, `objective "FAME" is not one of REACH, EVEN_IMPRESSION_DELIVERY`},
		{"unknown format", header + row("format", "HOLOGRAM"), 2, `format "HOLOGRAM" is not one of AUDIO, VIDEO, IMAGE`},
		{"unknown placement", header + row("placement", "RADIO"), 2, `placement "RADIO" is not one of MUSIC, PODCAST`},
		{"unknown gender", header + row("gender", "X"), 2, `gender "X" is not one of`},
		{"unknown platform", header + row("platform", "TV"), 2, `platform "TV" is not one of`},
		{"reach above impressions", header + row("reach", "60000"), 2, "reach 60000 is more than impressions 50000"},
		{"clicks above impressions", header + row("clicks", "60000"), 2, "clicks 60000 is more than impressions 50000"},
		{"negative spend", header + row("spend_usd", "-5"), 2, "spend_usd -5 is negative"},
		{"negative clicks", header + row("clicks", "-1"), 2, "clicks -1 is negative"},
		{"NaN impressions", header + row("impressions", "NaN"), 2, `impressions "NaN" is not a number`},
		{"zero days", header + row("days", "0"), 2, "days 0 is less than 1"},
		{"fractional days", header + row("days", "1.5"), 2, `days "1.5" is not a whole number`},
		{"empty days", header + row("days", ""), 2, "days is empty"},
		{"empty market", header + row("market", ""), 2, `market "" is not a known market`},
		{"empty reach", header + row("reach", ""), 2, "reach is empty"},
		{"bad date", header + row("start", "01/02/2025"), 2, `start "01/02/2025" is not a date (YYYY-MM-DD)`},
		{"ages reversed", header + row("age_min", "40"), 2, "ages 40-34 are not a range within 13-99"},
		{"too young", header + row("age_min", "10"), 2, "ages 10-34 are not a range within 13-99"},
		{"wrong field count", header + good + "a,US\n", 3, "wrong number of fields"},
		{"bad quote", header + good + good + `a,"US` + "\n", 4, `extraneous or missing " in quoted-field`},
		{"unknown currency", "market,objective,format,placement,start,days,spend,currency,impressions,reach\nUS,REACH,AUDIO,MUSIC,2025-01-01,3,10,XYZ,100,10\n", 2, `currency "XYZ" is not a known currency`},
		{"empty currency", "market,objective,format,placement,start,days,spend,currency,impressions,reach\nUS,REACH,AUDIO,MUSIC,2025-01-01,3,10,,100,10\n", 2, "currency is empty"},
		{"line numbers count quoted newlines", header + `"multi` + "\n" + `line",` + strings.SplitN(good, ",", 2)[1] + row("days", "x"), 4, `days "x" is not a whole number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.give), market.Default())
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %v, want a LineError", err)
			}
			if le.Line != tt.wantLine || !strings.Contains(le.Error(), tt.wantErr) {
				t.Errorf("error %q, want line %d: %q", err, tt.wantLine, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Errorf("error %q does not start with the line", err)
			}
		})
	}
}

func FuzzLoad(f *testing.F) {
	var buf bytes.Buffer
	Write(&buf, Generate(3, 1, market.Default()))
	f.Add(buf.String())
	f.Add("market,objective,format,placement,start,days,spend,currency,impressions,reach\nUS,REACH,AUDIO,MUSIC,2025-01-01,3,10,EUR,100,10\n")
	f.Add("")
	f.Add("\ufeffmarket\n\"")
	facts := market.Default()
	f.Fuzz(func(t *testing.T, in string) {
		cs, err := Load(strings.NewReader(in), facts)
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.Reach > c.Impressions || c.Days < 1 || c.SpendUSD < 0 || c.AgeMin > c.AgeMax {
				t.Fatalf("loaded an invalid campaign %+v", c)
			}
		}
	})
}
