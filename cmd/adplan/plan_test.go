package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlanTextIsReadableAtAGlance(t *testing.T) {
	out, errOut, code := adplan(t, "", "plan", "--now", testNow, "grow brand awareness among 18-24 year olds in Germany and Austria with €5,000 over 30 days")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Plan: REACH, 5,000 EUR over 30 days", "ad set", "budget", "share", "reach", "freq", "CPM", "DE-audio-music", "AT-", "total", "5,000", "Evidence:"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan text lacks %q:\n%s", want, out)
		}
	}
}

func TestPlanJSONCarriesTheContract(t *testing.T) {
	out, errOut, code := adplan(t, "", "plan", "--json", "--now", testNow, "--channel", "direct", "app installs from iPhone users in the US, $40k, Q1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var p map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, k := range []string{"brief", "assumptions", "line_items", "totals", "evidence", "warnings", "spotify_ads_api"} {
		if _, ok := p[k]; !ok {
			t.Errorf("plan JSON lacks %q", k)
		}
	}
	if string(p["channel"]) != `"direct"` {
		t.Errorf("channel = %s, want direct", p["channel"])
	}
	var api struct {
		Campaign map[string]any   `json:"campaign"`
		AdSets   []map[string]any `json:"ad_sets"`
	}
	if err := json.Unmarshal(p["spotify_ads_api"], &api); err != nil || api.Campaign["objective"] != "APP_INSTALLS" || len(api.AdSets) == 0 {
		t.Errorf("spotify_ads_api = %s (%v)", p["spotify_ads_api"], err)
	}
}

func TestPlanJSONLPlansEveryLine(t *testing.T) {
	in := "awareness in France, €10,000, 4 weeks\n\nhello there\nclicks in Japan, ¥2,000,000, 30 days\n"
	out, errOut, code := adplan(t, in, "plan", "--jsonl", "--now", testNow)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line is not JSON: %v", err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("%d output lines for 3 briefs", len(lines))
	}
	if lines[0]["currency"] != "EUR" || lines[2]["currency"] != "JPY" {
		t.Errorf("currencies %v, %v", lines[0]["currency"], lines[2]["currency"])
	}
	if lines[1]["line"] != float64(3) || !strings.Contains(lines[1]["error"].(string), "nothing") {
		t.Errorf("the unreadable brief gave %v; want its line number and why", lines[1])
	}
}

func TestPlanRefusesANegativeBudget(t *testing.T) {
	_, errOut, code := adplan(t, "", "plan", "--now", testNow, "reach in France with -500 euros")
	if code != 1 || !strings.Contains(errOut, "budget") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestBadHistoryFileStopsStartUpWithTheLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.csv")
	csv := "id,market,objective,format,placement,age_min,age_max,gender,platform,audience_size,start,days,spend_usd,impressions,reach,clicks,video_completions,podcast_streams,installs,leads,conversions\n" +
		"c1,DE,REACH,AUDIO,MUSIC,18,24,ALL,ALL,1000000,2025-01-01,30,5000,300000,150000,0,0,0,0,0,0\n" +
		"c2,DE,REACH,AUDIO,MUSIC,18,24,ALL,ALL,1000000,2025-01-01,30,abc,300000,150000,0,0,0,0,0,0\n"
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := adplan(t, "", "plan", "--history-path", path, "reach in Germany, €5,000")
	if code != 2 || !strings.Contains(errOut, "line 3") || !strings.Contains(errOut, "planner.history_path") {
		t.Errorf("exit %d, stderr %q; want exit 2 naming the key and line 3", code, errOut)
	}
}

func TestBenchReportsLatencyAndThroughput(t *testing.T) {
	out, errOut, code := adplan(t, "", "bench", "--n", "60", "--json", "--now", testNow)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r benchReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Plans != 60 || r.Briefs < 20 || r.HistorySize < 50_000 || r.PlanP50MS <= 0 || r.PlanP99MS < r.PlanP50MS || r.PlansPerSecond <= 0 || r.StartupMS <= 0 {
		t.Errorf("bench report %+v", r)
	}
}
