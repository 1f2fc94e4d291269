package market

import (
	"math"
	"strings"
	"testing"
)

func TestDataSanity(t *testing.T) {
	f, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ms := f.Markets()
	if len(ms) < 40 {
		t.Errorf("%d markets, want at least 40", len(ms))
	}
	for _, code := range []string{"US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "AT", "CH", "SE", "NO", "DK",
		"FI", "IE", "PL", "PT", "BR", "MX", "AR", "CO", "CL", "PE", "CA", "AU", "NZ", "JP", "IN", "ID", "PH",
		"SG", "MY", "TH", "VN", "ZA", "NG", "KE", "AE", "SA", "TR", "IL"} {
		if _, ok := f.Market(code); !ok {
			t.Errorf("market %s missing", code)
		}
	}
	total := 0.0
	for i, m := range ms {
		if i > 0 && ms[i-1].Code >= m.Code {
			t.Errorf("markets not sorted: %s before %s", ms[i-1].Code, m.Code)
		}
		total += m.Listeners
		sum := 0.0
		for _, a := range m.Ages {
			sum += a.Share
		}
		if math.Abs(sum-1) > 0.01 {
			t.Errorf("%s: age shares sum to %v", m.Code, sum)
		}
		sum = 0
		for _, s := range m.Platforms {
			sum += s
		}
		if math.Abs(sum-1) > 0.01 {
			t.Errorf("%s: platform shares sum to %v", m.Code, sum)
		}
		if g := m.FemaleShare + m.MaleShare + m.NonBinaryShare; math.Abs(g-1) > 0.01 {
			t.Errorf("%s: gender shares sum to %v", m.Code, g)
		}
		if _, ok := f.USDPerUnit(m.Currency); !ok {
			t.Errorf("%s: no rate for its currency %s", m.Code, m.Currency)
		}
		if m.PodcastShare <= 0 || m.PodcastShare >= 1 {
			t.Errorf("%s: podcast share %v", m.Code, m.PodcastShare)
		}
		for _, l := range m.Languages {
			if len(l) != 2 || strings.ToLower(l) != l {
				t.Errorf("%s: language %q is not ISO 639-1", m.Code, l)
			}
		}
		if m.Name == "" || m.Region == "" {
			t.Errorf("%s: no name or region", m.Code)
		}
	}
	// Spotify reported 446M ad-supported monthly listeners (Q3 2025); the markets
	// listed hold most of them, never more.
	if total < 300e6 || total > 446e6 {
		t.Errorf("markets hold %.0fM ad-supported listeners, want 300M..446M", total/1e6)
	}
}

func TestDefault(t *testing.T) {
	if first, second := Default(), Default(); first != second {
		t.Error("Default loads more than once")
	}
}

func TestAudienceSize(t *testing.T) {
	f := Default()
	us, _ := f.Market("US")
	de, _ := f.Market("DE")
	band := func(m Market, label string) float64 {
		for _, a := range m.Ages {
			if a.Label == label {
				return a.Share
			}
		}
		t.Fatalf("no band %s", label)
		return 0
	}
	tests := []struct {
		name string
		give string
		tg   Targeting
		want float64
	}{
		{"everyone", "US", Targeting{}, us.Listeners},
		{"lower case code", "us", Targeting{}, us.Listeners},
		{"unknown market", "XX", Targeting{}, 0},
		{"US 18-24 women", "US", Targeting{AgeRanges: []AgeRange{{18, 24}}, Genders: []string{"FEMALE"}},
			us.Listeners * band(us, "18-24") * us.FemaleShare},
		{"all genders listed", "US", Targeting{Genders: []string{"FEMALE", "MALE", "NON_BINARY"}}, us.Listeners},
		{"men", "DE", Targeting{Genders: []string{"MALE"}}, de.Listeners * de.MaleShare},
		{"half a band", "DE", Targeting{AgeRanges: []AgeRange{{25, 29}}}, de.Listeners * band(de, "25-34") / 2},
		{"two bands and a bit", "DE", Targeting{AgeRanges: []AgeRange{{18, 34}, {35, 36}}},
			de.Listeners * (band(de, "18-24") + band(de, "25-34") + band(de, "35-44")*0.2)},
		{"overlapping ranges count once", "DE", Targeting{AgeRanges: []AgeRange{{18, 24}, {20, 24}}},
			de.Listeners * band(de, "18-24")},
		{"adults", "US", Targeting{AgeRanges: []AgeRange{{18, 99}}}, us.Listeners * (1 - band(us, "13-17"))},
		{"open band 55-99", "US", Targeting{AgeRanges: []AgeRange{{55, 99}}}, us.Listeners * band(us, "55+")},
		{"65+ is 55% of 55+", "US", Targeting{AgeRanges: []AgeRange{{65, 99}}}, us.Listeners * band(us, "55+") * 0.55},
		{"under 13 reaches nobody", "US", Targeting{AgeRanges: []AgeRange{{5, 12}}}, 0},
		{"iOS", "US", Targeting{Platforms: []string{"IOS"}}, us.Listeners * us.Platforms["IOS"]},
		{"mobile", "US", Targeting{Platforms: []string{"IOS", "ANDROID"}},
			us.Listeners * (us.Platforms["IOS"] + us.Platforms["ANDROID"])},
		{"podcast", "US", Targeting{Placements: []string{"PODCAST"}}, us.Listeners * us.PodcastShare},
		{"music and podcast", "US", Targeting{Placements: []string{"MUSIC", "PODCAST"}}, us.Listeners},
		{"music", "US", Targeting{Placements: []string{"MUSIC"}}, us.Listeners},
		{"unknown gender", "US", Targeting{Genders: []string{"ROBOT"}}, 0},
		{"everything", "DE", Targeting{AgeRanges: []AgeRange{{18, 24}}, Genders: []string{"FEMALE"},
			Platforms: []string{"ANDROID"}, Placements: []string{"PODCAST"}},
			de.Listeners * band(de, "18-24") * de.FemaleShare * de.Platforms["ANDROID"] * de.PodcastShare},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.AudienceSize(tt.give, tt.tg)
			if math.Abs(got-tt.want) > 1e-6*math.Max(1, tt.want) {
				t.Errorf("AudienceSize(%s, %+v) = %.0f, want %.0f", tt.give, tt.tg, got, tt.want)
			}
		})
	}
	// US 18-24 women are a few million people.
	if got := f.AudienceSize("US", Targeting{AgeRanges: []AgeRange{{18, 24}}, Genders: []string{"FEMALE"}}); got < 2e6 || got > 15e6 {
		t.Errorf("US 18-24 women: %.0f, want a few million", got)
	}
}

func TestConvert(t *testing.T) {
	f := Default()
	eur, _ := f.USDPerUnit("EUR")
	jpy, _ := f.USDPerUnit("JPY")
	tests := []struct {
		amount   float64
		from, to string
		want     float64
		wantErr  string
	}{
		{100, "USD", "USD", 100, ""},
		{100, "EUR", "USD", 100 * eur, ""},
		{100, "usd", "eur", 100 / eur, ""},
		{5000, "EUR", "JPY", 5000 * eur / jpy, ""},
		{5000, "EUR", "EUR", 5000, ""},
		{1, "XYZ", "USD", 0, `no exchange rate for "XYZ"`},
		{1, "USD", "", 0, `no exchange rate for ""`},
	}
	for _, tt := range tests {
		got, err := f.Convert(tt.amount, tt.from, tt.to)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Convert(%v, %s, %s) error %v, want %q", tt.amount, tt.from, tt.to, err, tt.wantErr)
			}
			continue
		}
		if err != nil || math.Abs(got-tt.want) > 1e-9*tt.want {
			t.Errorf("Convert(%v, %s, %s) = %v, %v, want %v", tt.amount, tt.from, tt.to, got, err, tt.want)
		}
	}
	if r, ok := f.USDPerUnit("USD"); !ok || r != 1 {
		t.Errorf("USD rate %v %v", r, ok)
	}
	if f.RatesAsOf() == "" {
		t.Error("no date for the rates")
	}
	// The rates that moved from agents/data/budget_usd_rates.json: more than 100.
	if len(f.usdPerUnit) < 100 {
		t.Errorf("only %d rates", len(f.usdPerUnit))
	}
}

func TestChannel(t *testing.T) {
	f := Default()
	tests := []struct {
		give    string
		want    string
		wantErr string
	}{
		{"", "self-serve", ""},
		{"self-serve", "self-serve", ""},
		{"Self_Serve", "self-serve", ""},
		{"selfserve", "self-serve", ""},
		{"DIRECT", "direct", ""},
		{"programmatic", "programmatic", ""},
		{"barter", "", `unknown channel "barter": use one of direct, self-serve, programmatic`},
	}
	for _, tt := range tests {
		c, err := f.Channel(tt.give)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Channel(%q) error %v, want %q", tt.give, err, tt.wantErr)
			}
			continue
		}
		if err != nil || c.Name != tt.want {
			t.Errorf("Channel(%q) = %q, %v, want %q", tt.give, c.Name, err, tt.want)
		}
	}
	direct, _ := f.Channel("direct")
	self, _ := f.Channel("self-serve")
	prog, _ := f.Channel("programmatic")
	if !(direct.CPMMultiplier > self.CPMMultiplier && self.CPMMultiplier > prog.CPMMultiplier) {
		t.Errorf("CPM multipliers direct %v, self-serve %v, programmatic %v: want direct > self-serve > programmatic",
			direct.CPMMultiplier, self.CPMMultiplier, prog.CPMMultiplier)
	}
	if self.MinAdSetUSD != 250 || self.CPMMultiplier != 1 {
		t.Errorf("self-serve: min ad set %v, multiplier %v", self.MinAdSetUSD, self.CPMMultiplier)
	}
	if !direct.AllowsFormat("image") || prog.AllowsFormat("IMAGE") || !prog.AllowsObjective("REACH") || prog.AllowsObjective("APP_INSTALLS") {
		t.Error("format or objective lists wrong")
	}
	for _, c := range f.Channels() {
		if c.Notes == "" || c.MinCampaignUSD < c.MinAdSetUSD || c.MaxAdSets < 1 {
			t.Errorf("channel %s: %+v", c.Name, c)
		}
	}
	if f.DefaultChannel() != "self-serve" {
		t.Errorf("default channel %q", f.DefaultChannel())
	}
}
