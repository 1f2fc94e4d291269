package spotify

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	nov23 = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	dec22 = time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC)
)

// audioSet is a valid REACH ad set to vary.
func audioSet() AdSetSpec {
	return AdSetSpec{
		Name: "DE audio", Market: "DE", Format: "AUDIO", BudgetMicro: 5000 * micro, Currency: "EUR",
		BudgetType: "LIFETIME", Start: nov23, End: dec22,
	}
}

func with(f func(*AdSetSpec)) AdSetSpec {
	s := audioSet()
	f(&s)
	return s
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name      string
		objective string
		sets      []AdSetSpec
		want      []string // each must appear in the error
	}{
		{"VIDEO_VIEWS with audio", "VIDEO_VIEWS", []AdSetSpec{audioSet()},
			[]string{`ad set 1 "DE audio"`, "asset_format", "VIDEO_VIEWS allows VIDEO only, got AUDIO"}},
		{"VIDEO_VIEWS with image", "VIDEO_VIEWS", []AdSetSpec{with(func(s *AdSetSpec) { s.Format = "IMAGE" })},
			[]string{"VIDEO_VIEWS allows VIDEO only, got IMAGE"}},
		{"VIDEO_VIEWS on podcasts", "VIDEO_VIEWS", []AdSetSpec{with(func(s *AdSetSpec) {
			s.Format, s.Placements = "VIDEO", []string{"MUSIC", "PODCAST"}
		})}, []string{"targets.placements", "MUSIC only"}},
		{"VIDEO_VIEWS on desktop", "VIDEO_VIEWS", []AdSetSpec{with(func(s *AdSetSpec) {
			s.Format, s.Platforms = "VIDEO", []string{"DESKTOP", "IOS"}
		})}, []string{"targets.platforms", "does not run on DESKTOP"}},
		{"APP_INSTALLS on no platform", "APP_INSTALLS", []AdSetSpec{audioSet()},
			[]string{"targets.platforms", "exactly one of IOS or ANDROID"}},
		{"APP_INSTALLS on two platforms", "APP_INSTALLS", []AdSetSpec{with(func(s *AdSetSpec) { s.Platforms = []string{"IOS", "ANDROID"} })},
			[]string{"exactly one of IOS or ANDROID", "[IOS ANDROID]"}},
		{"APP_INSTALLS on desktop", "APP_INSTALLS", []AdSetSpec{with(func(s *AdSetSpec) { s.Platforms = []string{"DESKTOP"} })},
			[]string{"exactly one of IOS or ANDROID (no DESKTOP)"}},
		{"PODCAST_STREAMS on music", "PODCAST_STREAMS", []AdSetSpec{with(func(s *AdSetSpec) { s.Placements = []string{"MUSIC"} })},
			[]string{"PODCAST_STREAMS needs the PODCAST placement"}},
		{"PODCAST_STREAMS with video", "PODCAST_STREAMS", []AdSetSpec{with(func(s *AdSetSpec) { s.Format = "VIDEO" })},
			[]string{"PODCAST_STREAMS allows AUDIO only"}},
		{"LEAD_GEN with video", "LEAD_GEN", []AdSetSpec{with(func(s *AdSetSpec) { s.Format = "VIDEO" })},
			[]string{"LEAD_GEN allows AUDIO only"}},
		{"REACH with image", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Format = "IMAGE" })},
			[]string{"REACH allows AUDIO or VIDEO only, got IMAGE"}},
		{"campaign below the minimum", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.BudgetMicro = 249_990_000 })},
			[]string{"campaign: budget", "249.99 EUR is below the minimum of 250 EUR"}},
		{"daily budget below the minimum over its days", "REACH", []AdSetSpec{with(func(s *AdSetSpec) {
			s.BudgetType, s.BudgetMicro, s.End = "DAILY", 8*micro, nov23.AddDate(0, 0, 29)
		})}, []string{"240.00 EUR is below the minimum"}},
		{"ad set below the channel minimum", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.MinBudgetMicro = 6000 * micro })},
			[]string{"budget.micro_amount", "5000.00 EUR over the flight is below the minimum of 6000.00 EUR"}},
		{"zero budget", "REACH", []AdSetSpec{audioSet(), with(func(s *AdSetSpec) { s.Name, s.BudgetMicro = "FR audio", 0 })},
			[]string{`ad set 2 "FR audio"`, "budget must be positive"}},
		{"age under 13", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.AgeRanges = []AgeRange{{12, 17}} })},
			[]string{"targets.age_ranges", "12-17 is outside the API's 13-99"}},
		{"age over 99", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.AgeRanges = []AgeRange{{45, 100}} })},
			[]string{"45-100 is outside"}},
		{"age range reversed", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.AgeRanges = []AgeRange{{34, 25}} })},
			[]string{"34-25", "reversed"}},
		{"alcohol advertised to minors", "REACH", []AdSetSpec{with(func(s *AdSetSpec) {
			s.Category, s.AgeRanges = "ADV_15_139", []AgeRange{{16, 24}}
		})}, []string{"category ADV_15_139 needs ages 18 and over"}},
		{"end before start", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.End = nov23.AddDate(0, 0, -1) })},
			[]string{"end_time", "end 2026-11-22 is before start 2026-11-23"}},
		{"lifetime without an end", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.End = time.Time{} })},
			[]string{"a LIFETIME budget needs an end date"}},
		{"no start", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Start = time.Time{} })},
			[]string{"start_time", "no start date"}},
		{"two currencies", "REACH", []AdSetSpec{audioSet(), with(func(s *AdSetSpec) { s.Name, s.Market, s.Currency = "GB audio", "GB", "GBP" })},
			[]string{`ad set 2 "GB audio"`, "currency GBP differs from EUR"}},
		{"UK is not a country code", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Market = "UK" })},
			[]string{"country_code", `"UK" is not an ISO 3166-1 alpha-2`}},
		{"unknown objective", "AWARENESS", []AdSetSpec{audioSet()},
			[]string{"campaign: objective", `unknown objective "AWARENESS"`}},
		{"ad set objective differs", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Objective = "CLICKS" })},
			[]string{"CLICKS differs from the campaign's REACH"}},
		{"cost per result outside CLICKS", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.BidStrategy = "COST_PER_RESULT" })},
			[]string{"bid_strategy", "REACH allows MAX_BID only"}},
		{"cost per result with a daily budget", "CLICKS", []AdSetSpec{with(func(s *AdSetSpec) {
			s.BidStrategy, s.BudgetType, s.BudgetMicro = "COST_PER_RESULT", "DAILY", 200*micro
		})}, []string{"COST_PER_RESULT needs a LIFETIME budget and PACING_EVEN, got DAILY and PACING_EVEN"}},
		{"cost per result with ASAP pacing", "CLICKS", []AdSetSpec{with(func(s *AdSetSpec) {
			s.BidStrategy, s.Pacing = "COST_PER_RESULT", "PACING_ASAP"
		})}, []string{"got LIFETIME and PACING_ASAP"}},
		{"autobid", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.BidStrategy = "AUTOBID" })},
			[]string{"REACH allows MAX_BID only, got AUTOBID"}},
		{"frequency above the daily maximum", "REACH", []AdSetSpec{with(func(s *AdSetSpec) {
			s.FrequencyCap = &FrequencyCap{MaxImpressions: 6, Period: 1, Unit: "DAY"}
		})}, []string{"frequency_caps", "above the API's maximum of 5 per DAY"}},
		{"frequency per fortnight", "REACH", []AdSetSpec{with(func(s *AdSetSpec) {
			s.FrequencyCap = &FrequencyCap{MaxImpressions: 3, Period: 1, Unit: "FORTNIGHT"}
		})}, []string{`unknown unit "FORTNIGHT"`}},
		{"currency without a default bid", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Currency = "XAU" })},
			[]string{"no default bid for XAU: give the ad set a BidMicro"}},
		{"unknown format", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Format = "CATALOG" })},
			[]string{`unknown format "CATALOG"`}},
		{"unknown gender", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Genders = []string{"OTHER"} })},
			[]string{`unknown gender "OTHER"`}},
		{"language not ISO 639-1", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Languages = []string{"deu"} })},
			[]string{`"deu" is not an ISO 639-1`}},
		{"bad category", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Category = "music" })},
			[]string{`"music" is not a category code`}},
		{"one-letter name", "REACH", []AdSetSpec{with(func(s *AdSetSpec) { s.Name = " x " })},
			[]string{"name", "at least 2 characters"}},
		{"no ad sets", "REACH", nil, []string{"no ad sets"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Build(CampaignSpec{Name: "Errors", Objective: tt.objective}, tt.sets)
			if err == nil {
				t.Fatalf("Build succeeded: %+v", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			var se *SpecError
			if !errors.As(err, &se) {
				t.Errorf("error %v is not a *SpecError", err)
			}
			if got.Campaign != nil || got.AdSets != nil {
				t.Errorf("Build returned bodies with its error: %+v", got)
			}
		})
	}
}

func TestBuildReportsEveryProblem(t *testing.T) {
	_, err := Build(CampaignSpec{Name: "x", Objective: "VIDEO_VIEWS", PurchaseOrder: strings.Repeat("9", 46)}, []AdSetSpec{
		with(func(s *AdSetSpec) { s.AgeRanges = []AgeRange{{10, 20}} }),
	})
	for _, w := range []string{"campaign: name", "campaign: purchase_order", "asset_format", "targets.age_ranges"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not report %s", err, w)
		}
	}
}

func TestBuildReachBody(t *testing.T) {
	s := with(func(s *AdSetSpec) {
		s.Name = "  DE   audio\n18-24 "
		s.Placements = []string{"music", "PODCAST", "MUSIC"}
		s.Platforms = []string{"IOS"}
		s.AgeRanges = []AgeRange{{18, 24}, {18, 24}, {35, 99}}
		s.Genders = []string{"FEMALE"}
		s.Languages = []string{"DE"}
		s.FrequencyCap = &FrequencyCap{MaxImpressions: 10, Period: 2, Unit: "week"}
		s.Start = time.Date(2026, 11, 23, 15, 30, 0, 0, time.FixedZone("CET", 3600))
		s.End = time.Date(2026, 12, 22, 1, 0, 0, 0, time.FixedZone("CET", 3600))
		s.BidMicro = 12_500_000
	})
	got, err := Build(CampaignSpec{Name: " Winter reach ", Objective: "REACH", PurchaseOrder: "PO-7"}, []AdSetSpec{s})
	if err != nil {
		t.Fatal(err)
	}
	wantCampaign := `{"delivery_goal_group":"AWARENESS","name":"Winter reach","objective":"REACH","purchase_order":"PO-7"}`
	if js, _ := json.Marshal(got.Campaign); string(js) != wantCampaign {
		t.Errorf("campaign\n got %s\nwant %s", js, wantCampaign)
	}
	wantAdSet := `{"asset_format":"AUDIO","bid_micro_amount":12500000,"bid_strategy":"MAX_BID",` +
		`"budget":{"micro_amount":5000000000,"type":"LIFETIME"},"campaign_id":"00000000-0000-0000-0000-000000000000",` +
		`"delivery_goal":"REACH","end_time":"2026-12-22T23:59:59Z",` +
		`"frequency_caps":[{"frequency_period":2,"frequency_unit":"WEEK","max_impressions":10}],` +
		`"name":"DE audio 18-24","pacing":"PACING_EVEN","start_time":"2026-11-23T00:00:00Z",` +
		`"targets":{"age_ranges":[{"max":24,"min":18},{"max":99,"min":35}],"genders":["FEMALE"],` +
		`"geo_targets":{"country_code":"DE"},"language":"de","placements":["MUSIC","PODCAST"],"platforms":["IOS"]}}`
	if js, _ := json.Marshal(got.AdSets[0]); string(js) != wantAdSet {
		t.Errorf("ad set\n got %s\nwant %s", js, wantAdSet)
	}
	if got.CampaignIDPlaceholder != CampaignIDPlaceholder || len(got.Unresolved) != 0 || len(got.Notes) != 0 {
		t.Errorf("placeholder %q, unresolved %v, notes %v", got.CampaignIDPlaceholder, got.Unresolved, got.Notes)
	}
}

func TestBuildObjectiveMapping(t *testing.T) {
	tests := []struct {
		give                         string
		objective, group, goal, note string
	}{
		{"REACH", "REACH", "AWARENESS", "REACH", ""},
		{"EVEN_IMPRESSION_DELIVERY", "EVEN_IMPRESSION_DELIVERY", "AWARENESS", "IMPRESSIONS", ""},
		{"VIDEO_VIEWS", "VIDEO_VIEWS", "AWARENESS", "VIDEO_VIEWS", ""},
		{"CLICKS", "CLICKS", "WEBSITE_TRAFFIC", "CLICKS", ""},
		{"WEBSITE_VISITS", "WEBSITE_VISITS", "WEBSITE_TRAFFIC", "PAGE_VIEWS", ""},
		{"CONVERSIONS", "WEBSITE_VISITS", "WEBSITE_TRAFFIC", "PAGE_VIEWS", "no conversions objective"},
		{"lead_gen", "WEBSITE_VISITS", "LEAD_GEN", "LEADS", "not as a campaign objective"},
		{"PODCAST_STREAMS", "PODCAST_STREAMS", "ENGAGEMENT_ON_SPOTIFY", "STREAMS", ""},
		{"APP_INSTALLS", "APP_INSTALLS", "APP_PROMOTION", "APP_INSTALLS", ""},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			s := audioSet()
			switch tt.give {
			case "VIDEO_VIEWS":
				s.Format = "VIDEO"
			case "APP_INSTALLS":
				s.Platforms = []string{"ANDROID"}
			}
			got, err := Build(CampaignSpec{Name: "Mapping", Objective: tt.give}, []AdSetSpec{s})
			if err != nil {
				t.Fatal(err)
			}
			if got.Campaign["objective"] != tt.objective || got.Campaign["delivery_goal_group"] != tt.group || got.AdSets[0]["delivery_goal"] != tt.goal {
				t.Errorf("got objective %v, group %v, goal %v", got.Campaign["objective"], got.Campaign["delivery_goal_group"], got.AdSets[0]["delivery_goal"])
			}
			if tt.note != "" && (len(got.Notes) == 0 || !strings.Contains(got.Notes[0], tt.note)) {
				t.Errorf("notes %v do not explain the mapping (%q)", got.Notes, tt.note)
			}
		})
	}
}

func TestBuildObjectiveSpecifics(t *testing.T) {
	t.Run("VIDEO_VIEWS defaults to music on phones, opt-in", func(t *testing.T) {
		got, err := Build(CampaignSpec{Name: "Views", Objective: "VIDEO_VIEWS"}, []AdSetSpec{with(func(s *AdSetSpec) { s.Format = "VIDEO" })})
		if err != nil {
			t.Fatal(err)
		}
		targets := got.AdSets[0]["targets"].(map[string]any)
		if !reflect.DeepEqual(targets["placements"], []string{"MUSIC"}) || !reflect.DeepEqual(targets["platforms"], []string{"ANDROID", "IOS"}) ||
			!reflect.DeepEqual(got.AdSets[0]["video_delivery_formats"], []string{"OPT_IN"}) {
			t.Errorf("got %v, video_delivery_formats %v", targets, got.AdSets[0]["video_delivery_formats"])
		}
	})
	t.Run("CLICKS video is in-stream and may bid per click", func(t *testing.T) {
		got, err := Build(CampaignSpec{Name: "Clicks", Objective: "CLICKS"}, []AdSetSpec{with(func(s *AdSetSpec) {
			s.Format, s.BidStrategy = "VIDEO", "COST_PER_RESULT"
		})})
		if err != nil {
			t.Fatal(err)
		}
		a := got.AdSets[0]
		if a["bid_strategy"] != "COST_PER_RESULT" || a["bid_micro_amount"] != int64(1_320_000) || !reflect.DeepEqual(a["video_delivery_formats"], []string{"IN_STREAM"}) {
			t.Errorf("got %v %v %v", a["bid_strategy"], a["bid_micro_amount"], a["video_delivery_formats"])
		}
	})
	t.Run("APP_INSTALLS takes a UUID app id, reports anything else", func(t *testing.T) {
		sets := []AdSetSpec{
			with(func(s *AdSetSpec) {
				s.Platforms, s.MobileAppID = []string{"IOS"}, "5BBC4FEC-C9A5-4FC6-98F4-E950F40B74C7"
			}),
			with(func(s *AdSetSpec) {
				s.Name, s.Platforms, s.MobileAppID = "DE android", []string{"ANDROID"}, "com.example.app"
			}),
			with(func(s *AdSetSpec) { s.Name, s.Platforms = "DE android 2", []string{"android"} }),
		}
		got, err := Build(CampaignSpec{Name: "Installs", Objective: "APP_INSTALLS"}, sets)
		if err != nil {
			t.Fatal(err)
		}
		if got.AdSets[0]["mobile_app_id"] != "5bbc4fec-c9a5-4fc6-98f4-e950f40b74c7" {
			t.Errorf("mobile_app_id %v", got.AdSets[0]["mobile_app_id"])
		}
		for i := 1; i < 3; i++ {
			if _, ok := got.AdSets[i]["mobile_app_id"]; ok {
				t.Errorf("ad set %d has a mobile_app_id: %v", i, got.AdSets[i]["mobile_app_id"])
			}
		}
		want := []Unresolved{
			{AdSet: "DE android", AdSetIndex: 1, Field: "mobile_app_id", Names: []string{"com.example.app"}, Lookup: lookupApps},
			{AdSet: "DE android 2", AdSetIndex: 2, Field: "mobile_app_id", Names: []string{"the android app to install"}, Lookup: lookupApps},
		}
		for i := range got.Unresolved {
			got.Unresolved[i].Note = ""
		}
		if !reflect.DeepEqual(got.Unresolved, want) {
			t.Errorf("unresolved\n got %+v\nwant %+v", got.Unresolved, want)
		}
	})
	t.Run("PODCAST_STREAMS promotes the show", func(t *testing.T) {
		got, err := Build(CampaignSpec{Name: "Streams", Objective: "PODCAST_STREAMS"}, []AdSetSpec{
			with(func(s *AdSetSpec) { s.PodcastShow = "4rOoJ6Egrf8K2IrywzwOMk" }),
			with(func(s *AdSetSpec) { s.Name, s.PodcastShow = "DE show by name", "Fest & Flauschig" }),
		})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"promotion_goal": "PODCAST_PROMO", "promotion_target_id": "4rOoJ6Egrf8K2IrywzwOMk"}
		if !reflect.DeepEqual(got.AdSets[0]["promotion"], want) || got.AdSets[1]["promotion"] != nil {
			t.Errorf("promotion %v / %v", got.AdSets[0]["promotion"], got.AdSets[1]["promotion"])
		}
		if !reflect.DeepEqual(got.AdSets[0]["targets"].(map[string]any)["placements"], []string{"PODCAST"}) {
			t.Errorf("placements %v", got.AdSets[0]["targets"])
		}
		if len(got.Unresolved) != 1 || got.Unresolved[0].Field != "promotion.promotion_target_id" || got.Unresolved[0].Names[0] != "Fest & Flauschig" {
			t.Errorf("unresolved %+v", got.Unresolved)
		}
	})
	t.Run("CONVERSIONS reports the dataset", func(t *testing.T) {
		got, err := Build(CampaignSpec{Name: "Conversions", Objective: "CONVERSIONS"}, []AdSetSpec{audioSet()})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Unresolved) != 1 || got.Unresolved[0].Field != "dataset_id" || got.Unresolved[0].Lookup != lookupDatasets {
			t.Errorf("unresolved %+v", got.Unresolved)
		}
	})
}

func TestBuildUnresolvedTargeting(t *testing.T) {
	sets := []AdSetSpec{
		with(func(s *AdSetSpec) {
			s.Genres = []string{"hip-hop", "Rock", "rock", "jazz", "k-pop"}
			s.Interests = []string{"fitness", "true crime"}
			s.Artists = []string{"Peter Fox"}
			s.Regions = []string{"Bavaria"}
			s.Cities = []string{"Munich"}
			s.Languages = []string{"de", "en"}
		}),
		with(func(s *AdSetSpec) {
			s.Name = "DE podcasts"
			s.Placements = []string{"PODCAST"}
			s.Interests = []string{"fitness", "Health & Wellness", "Food and Drink", "movies & tv", "true crime", "video-gaming"}
		}),
	}
	got, err := Build(CampaignSpec{Name: "Targeting", Objective: "EVEN_IMPRESSION_DELIVERY"}, sets)
	if err != nil {
		t.Fatal(err)
	}
	t0 := got.AdSets[0]["targets"].(map[string]any)
	if !reflect.DeepEqual(t0["genre_ids"], []string{"rock", "jazz"}) {
		t.Errorf("genre_ids %v", t0["genre_ids"])
	}
	if _, ok := t0["language"]; ok {
		t.Errorf("two languages, yet language %v", t0["language"])
	}
	if _, ok := t0["podcast_episode_topic_ids"]; ok {
		t.Errorf("music and podcasts, yet topics %v", t0["podcast_episode_topic_ids"])
	}
	t1 := got.AdSets[1]["targets"].(map[string]any)
	wantTopics := []string{"healthy-living", "food-and-drink", "movies", "television", "video-gaming"}
	if !reflect.DeepEqual(t1["podcast_episode_topic_ids"], wantTopics) {
		t.Errorf("topics %v, want %v", t1["podcast_episode_topic_ids"], wantTopics)
	}
	type key struct {
		set   int
		field string
	}
	gotNames := map[key][]string{}
	for _, u := range got.Unresolved {
		if u.Lookup == "" || u.AdSet != sets[u.AdSetIndex].Name {
			t.Errorf("unresolved %+v lacks its look-up or ad set", u)
		}
		gotNames[key{u.AdSetIndex, u.Field}] = u.Names
	}
	wantNames := map[key][]string{
		{0, "targets.genre_ids"}:              {"hip-hop", "k-pop"},
		{0, "targets.interest_ids"}:           {"fitness", "true crime"},
		{0, "targets.artist_ids"}:             {"Peter Fox"},
		{0, "targets.geo_targets.region_ids"}: {"Bavaria"},
		{0, "targets.geo_targets.city_ids"}:   {"Munich"},
		{0, "targets.language"}:               {"de", "en"},
		{1, "targets.interest_ids"}:           {"true crime"},
	}
	if !reflect.DeepEqual(gotNames, wantNames) {
		t.Errorf("unresolved\n got %v\nwant %v", gotNames, wantNames)
	}
	if js, _ := json.Marshal(got); strings.Contains(string(js), "{{") {
		t.Errorf("payloads hold a template: %s", js)
	}
}

func TestBuildDailyBudgetWithoutEnd(t *testing.T) {
	got, err := Build(CampaignSpec{Name: "Always on", Objective: "REACH"}, []AdSetSpec{with(func(s *AdSetSpec) {
		s.BudgetType, s.BudgetMicro, s.End = "DAILY", 300*micro, time.Time{}
	})})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.AdSets[0]["end_time"]; ok {
		t.Errorf("end_time %v for an open-ended daily budget", got.AdSets[0]["end_time"])
	}
}

func TestDefaultBids(t *testing.T) {
	tests := []struct {
		currency, format, strategy string
		want                       int64
	}{
		{"USD", "AUDIO", bidMax, 25_000_000},
		{"USD", "VIDEO", bidMax, 35_000_000},
		{"EUR", "IMAGE", bidMax, 22_000_000},
		{"USD", "AUDIO", bidCostPerResult, 1_500_000},
		{"USD", "VIDEO", bidCostPerResult, 1_500_000},
		{"JPY", "AUDIO", bidMax, 3_800_000_000},
	}
	for _, tt := range tests {
		if got, ok := DefaultBidMicro(tt.currency, tt.format, tt.strategy); !ok || got != tt.want {
			t.Errorf("DefaultBidMicro(%s, %s, %s) = %d, %v; want %d", tt.currency, tt.format, tt.strategy, got, ok, tt.want)
		}
	}
	if _, ok := DefaultBidMicro("XAU", "AUDIO", bidMax); ok {
		t.Error("a default bid for gold")
	}
}

func TestAllowedFormats(t *testing.T) {
	if got := AllowedFormats("VIDEO_VIEWS"); !reflect.DeepEqual(got, []string{"VIDEO"}) {
		t.Errorf("VIDEO_VIEWS: %v", got)
	}
	if got := AllowedFormats("NOPE"); got != nil {
		t.Errorf("NOPE: %v", got)
	}
}
