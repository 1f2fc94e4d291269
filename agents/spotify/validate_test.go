package spotify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// apiSpec finds Spotify's OpenAPI document: $ADPLAN_SHARED_DIR/spotify-ads-api, else
// ../shared/spotify-ads-api beside the repository root. A fresh clone has neither.
func apiSpec(t *testing.T) string {
	t.Helper()
	var path string
	if dir := os.Getenv("ADPLAN_SHARED_DIR"); dir != "" {
		path = filepath.Join(dir, "spotify-ads-api", "external-v3.yaml")
	} else {
		root, err := filepath.Abs(".")
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				t.Skip("skipping: no go.mod above the package, so no ../shared to find the Spotify Ads API document in")
			}
			root = parent
		}
		path = filepath.Join(root, "..", "shared", "spotify-ads-api", "external-v3.yaml")
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("skipping: the Spotify Ads API document is not at %s (set ADPLAN_SHARED_DIR to the shared folder to run these tests): %v", path, err)
	}
	return path
}

// apiValidator validates request bodies against createCampaign and createAdSet.
type apiValidator struct {
	bodies map[string]*openapi3.RequestBody // by operationId
	schema map[string]*openapi3.Schema      // the operation's application/json schema
}

var (
	validatorOnce sync.Once
	validatorVal  *apiValidator
	validatorErr  error
)

func newValidator(t *testing.T) *apiValidator {
	t.Helper()
	path := apiSpec(t)
	validatorOnce.Do(func() { validatorVal, validatorErr = loadValidator(path) })
	if validatorErr != nil {
		t.Fatal(validatorErr)
	}
	return validatorVal
}

func loadValidator(path string) (*apiValidator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", path, err)
	}
	// The document's own examples and defaults break their schemas in places neither
	// request body reaches (AggregateReportResponse's example, the ad "fields" parameter's
	// default), so checking the document skips examples and defaults; it still checks every
	// schema, pattern and reference. The bodies themselves are validated in full below.
	if err := doc.Validate(loader.Context, openapi3.SetRegexCompiler(compileRE2),
		openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation()); err != nil {
		return nil, fmt.Errorf("validating %s: %w", path, err)
	}
	v := &apiValidator{bodies: map[string]*openapi3.RequestBody{}, schema: map[string]*openapi3.Schema{}}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != "createCampaign" && op.OperationID != "createAdSet" {
				continue
			}
			rb := op.RequestBody.Value
			v.bodies[op.OperationID] = rb
			v.schema[op.OperationID] = rb.Content.Get("application/json").Schema.Value
		}
	}
	if len(v.bodies) != 2 {
		return nil, fmt.Errorf("%s: found %d of createCampaign and createAdSet", path, len(v.bodies))
	}
	return v, nil
}

// lookaround holds RE2 equivalents of the document's two patterns that use look-around,
// which Go's regexp cannot compile: Name's and BusinessName's (neither is reachable from
// the two request bodies, but checking the whole document compiles them).
var lookaround = map[string]string{
	`^(?!\s).+(?<!\s)$`: `^\S(?:.*\S)?$`, // no leading or trailing white space
	`^(?!\s*$).+`:       `^\s*\S`,        // not only white space
}

// compileRE2 compiles a pattern of the document with Go's regexp, translating the two
// look-around patterns; any other pattern it cannot compile is still an error.
func compileRE2(pattern string) (openapi3.RegexMatcher, error) {
	if re2, ok := lookaround[pattern]; ok {
		pattern = re2
	}
	return regexp.Compile(pattern)
}

// uuidFormat checks format: uuid. kin-openapi leaves formats it does not define unchecked
// and defines no uuid format, so without this campaign_id and mobile_app_id would accept
// any string.
var uuidFormat = openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122))

// validate checks body as operation's request body: decoded from JSON as the API would
// receive it, against the operation's schema (types, enums, required fields, bounds,
// patterns, date-time and uuid formats, readOnly fields), and then for properties the
// schema does not declare. The schemas allow additional properties, so kin-openapi alone
// would pass a misspelt field name; the API would ignore it silently.
func (v *apiValidator) validate(t *testing.T, operation string, body any) error {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/ad_accounts/x", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	err = openapi3filter.ValidateRequestBody(t.Context(), &openapi3filter.RequestValidationInput{
		Request: req,
		Options: &openapi3filter.Options{
			MultiError:              true,
			SkipSettingDefaults:     true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{uuidFormat},
		},
	}, v.bodies[operation])
	if err != nil {
		return err
	}
	var decoded any
	if err := json.Unmarshal(data, &decoded); err != nil {
		t.Fatal(err)
	}
	if extra := undeclared(v.schema[operation], decoded, ""); len(extra) > 0 {
		return fmt.Errorf("properties the schema does not declare: %s", strings.Join(extra, ", "))
	}
	return nil
}

// undeclared lists the object keys in value that schema (with its allOf parts) does not
// declare as properties, by JSON path.
func undeclared(schema *openapi3.Schema, value any, path string) []string {
	switch value := value.(type) {
	case map[string]any:
		props := properties(schema)
		var out []string
		for k, v := range value {
			p, ok := props[k]
			if !ok {
				out = append(out, path+"."+k)
				continue
			}
			out = append(out, undeclared(p, v, path+"."+k)...)
		}
		sort.Strings(out)
		return out
	case []any:
		items := arrayItems(schema)
		var out []string
		for i, v := range value {
			if items != nil {
				out = append(out, undeclared(items, v, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
		return out
	}
	return nil
}

func properties(s *openapi3.Schema) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	if s == nil {
		return out
	}
	for k, p := range s.Properties {
		out[k] = p.Value
	}
	for _, part := range s.AllOf {
		for k, p := range properties(part.Value) {
			out[k] = p
		}
	}
	return out
}

func arrayItems(s *openapi3.Schema) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if s.Items != nil {
		return s.Items.Value
	}
	for _, part := range s.AllOf {
		if it := arrayItems(part.Value); it != nil {
			return it
		}
	}
	return nil
}

// plan is one Build call.
type plan struct {
	name     string
	campaign CampaignSpec
	sets     []AdSetSpec
}

var markets = []struct{ country, currency string }{
	{"DE", "EUR"}, {"US", "USD"}, {"GB", "GBP"}, {"SE", "SEK"}, {"JP", "JPY"},
	{"BR", "BRL"}, {"MX", "MXN"}, {"AU", "AUD"}, {"FR", "EUR"}, {"IN", "INR"}, {"CA", "CAD"},
}

// variedPlans covers every objective with every format it allows, daily and lifetime
// budgets, eleven markets and currencies, bare and fully targeted ad sets.
func variedPlans() []plan {
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var plans []plan
	n := 0
	for _, objective := range objectiveNames() {
		rule := objectiveRules[objective]
		for _, format := range rule.formats {
			for _, targeted := range []bool{false, true} {
				m := markets[n%len(markets)]
				budgetType := []string{budgetLifetime, budgetDaily}[n%2]
				amount := int64(5000+1000*n) * micro
				if budgetType == budgetDaily {
					amount = int64(150+10*n) * micro
				}
				s := AdSetSpec{
					Name:        fmt.Sprintf("%s · %s · %s", m.country, format, objective),
					Market:      m.country,
					Format:      format,
					BudgetMicro: amount,
					Currency:    m.currency,
					BudgetType:  budgetType,
					Start:       start.AddDate(0, 0, n),
					End:         start.AddDate(0, 0, n+29),
				}
				if rule.onePhonePlatform {
					s.Platforms = []string{[]string{platformIOS, platformAndroid}[n%2]}
					if targeted {
						s.MobileAppID = "5bbc4fec-c9a5-4fc6-98f4-e950f40b74c7"
					}
				}
				if targeted {
					s.AgeRanges = []AgeRange{{18, 24}, {25, 34}}
					s.Genders = []string{"FEMALE", "NON_BINARY"}
					s.Genres = []string{"hip-hop", "rock", "jazz"}
					s.Interests = []string{"fitness", "travel"}
					s.Artists = []string{"Taylor Swift"}
					s.Regions = []string{"Bavaria"}
					s.Languages = []string{"de"}
					s.FrequencyCap = &FrequencyCap{MaxImpressions: 3, Period: 1, Unit: "DAY"}
					s.Category = "ADV_21_182"
					s.Pacing = []string{pacingEven, pacingASAP}[n%2]
					s.BidMicro = 18 * micro
					if !rule.onePhonePlatform && !rule.noDesktop {
						s.Platforms = []string{platformIOS, platformDesktop}
					}
					if rule.needsPodcast {
						s.Placements = []string{placementPodcast}
						s.PodcastShow = "4rOoJ6Egrf8K2IrywzwOMk"
					} else if !rule.musicOnly {
						s.Placements = []string{placementMusic, placementPodcast}
					}
					if objective == "CLICKS" && budgetType == budgetLifetime {
						s.BidStrategy, s.Pacing, s.BidMicro = bidCostPerResult, pacingEven, 1_500_000
					}
				}
				sets := []AdSetSpec{s}
				if n%3 == 0 { // a second market in the same currency
					s2 := s
					s2.Name += " (2)"
					s2.Market = map[string]string{"EUR": "AT", "USD": "PR", "GBP": "GB", "SEK": "SE", "JPY": "JP",
						"BRL": "BR", "MXN": "MX", "AUD": "NZ", "INR": "IN", "CAD": "CA"}[m.currency]
					s2.Languages = nil
					s2.Placements = nil
					if rule.onePhonePlatform {
						s2.Platforms = []string{platformAndroid}
					}
					sets = append(sets, s2)
				}
				plans = append(plans, plan{
					name:     fmt.Sprintf("%02d %s %s %s %s targeted=%v", n, objective, format, budgetType, m.country, targeted),
					campaign: CampaignSpec{Name: fmt.Sprintf("adplan %s %d", strings.ToLower(objective), n), Objective: objective, PurchaseOrder: []string{"", "PO-2026-11"}[n%2]},
					sets:     sets,
				})
				n++
			}
		}
	}
	return plans
}

func TestPayloadsValidateAgainstTheAdsAPI(t *testing.T) {
	v := newValidator(t)
	plans := variedPlans()
	if len(plans) < 30 {
		t.Fatalf("only %d plans; want at least 30", len(plans))
	}
	var campaigns, adSets int
	seen := map[string]bool{}
	for _, p := range plans {
		got, err := Build(p.campaign, p.sets)
		if err != nil {
			t.Errorf("%s: Build: %v", p.name, err)
			continue
		}
		if err := v.validate(t, "createCampaign", got.Campaign); err != nil {
			t.Errorf("%s: createCampaign body %v: %v", p.name, got.Campaign, err)
		}
		campaigns++
		if len(got.AdSets) != len(p.sets) {
			t.Errorf("%s: %d ad set bodies for %d specs", p.name, len(got.AdSets), len(p.sets))
		}
		for i, body := range got.AdSets {
			if err := v.validate(t, "createAdSet", body); err != nil {
				js, _ := json.Marshal(body)
				t.Errorf("%s: createAdSet body %d %s: %v", p.name, i, js, err)
			}
			adSets++
			seen[fmt.Sprint(got.Campaign["objective"], body["asset_format"], body["budget"].(map[string]any)["type"])] = true
		}
	}
	t.Logf("%d plans: %d createCampaign and %d createAdSet bodies validated against the Ads API document (%d objective/format/budget combinations)",
		len(plans), campaigns, adSets, len(seen))
}

// TestValidatorRejectsBrokenBodies proves the validation can fail: each body breaks one
// rule of the document and must be rejected.
func TestValidatorRejectsBrokenBodies(t *testing.T) {
	v := newValidator(t)
	good, err := Build(CampaignSpec{Name: "Broken bodies", Objective: "REACH"}, []AdSetSpec{{
		Name: "DE audio", Market: "DE", Format: "AUDIO", BudgetMicro: 5000 * micro, Currency: "EUR", BudgetType: "LIFETIME",
		Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC),
		AgeRanges: []AgeRange{{18, 24}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.validate(t, "createAdSet", good.AdSets[0]); err != nil {
		t.Fatalf("the unbroken ad set fails: %v", err)
	}
	if err := v.validate(t, "createCampaign", good.Campaign); err != nil {
		t.Fatalf("the unbroken campaign fails: %v", err)
	}
	tests := []struct {
		name      string
		want      string // where the error must point
		operation string
		breakIt   func(body map[string]any)
	}{
		{"campaign_id as a template, not a UUID", "/campaign_id", "createAdSet", func(b map[string]any) { b["campaign_id"] = "{{campaign.id}}" }},
		{"budget in major units as a string", "/budget/micro_amount", "createAdSet", func(b map[string]any) { b["budget"].(map[string]any)["micro_amount"] = "5000" }},
		{"no targets", "/targets", "createAdSet", func(b map[string]any) { delete(b, "targets") }},
		{"no bid_strategy", "/bid_strategy", "createAdSet", func(b map[string]any) { delete(b, "bid_strategy") }},
		{"age below 13", "/targets/age_ranges/0/min", "createAdSet", func(b map[string]any) {
			b["targets"].(map[string]any)["age_ranges"] = []map[string]any{{"min": 12, "max": 24}}
		}},
		{"geo_targets as an array", "/targets/geo_targets", "createAdSet", func(b map[string]any) {
			b["targets"].(map[string]any)["geo_targets"] = []map[string]any{{"country_code": "DE"}}
		}},
		{"date without time", "/start_time", "createAdSet", func(b map[string]any) { b["start_time"] = "2026-11-23" }},
		{"bid_strategy as an object", "/bid_strategy", "createAdSet", func(b map[string]any) { b["bid_strategy"] = map[string]any{"type": "MAX_BID"} }},
		{"unknown placement", "/targets/placements/0", "createAdSet", func(b map[string]any) { b["targets"].(map[string]any)["placements"] = []string{"RADIO"} }},
		{"misspelt field", ".frequency_cap", "createAdSet", func(b map[string]any) { b["frequency_cap"] = []any{} }},
		{"objective CONVERSIONS", "/objective", "createCampaign", func(b map[string]any) { b["objective"] = "CONVERSIONS" }},
		{"objective LEAD_GEN", "/objective", "createCampaign", func(b map[string]any) { b["objective"] = "LEAD_GEN" }},
		{"no objective", "/objective", "createCampaign", func(b map[string]any) { delete(b, "objective") }},
		{"name with a trailing space", "/name", "createCampaign", func(b map[string]any) { b["name"] = "Broken bodies " }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body map[string]any
			src := good.Campaign
			if tt.operation == "createAdSet" {
				src = good.AdSets[0]
			}
			data, _ := json.Marshal(src)
			if err := json.Unmarshal(data, &body); err != nil {
				t.Fatal(err)
			}
			tt.breakIt(body)
			err := v.validate(t, tt.operation, body)
			if err == nil {
				t.Fatalf("%s accepted a body with %s", tt.operation, tt.name)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("the error does not point at %s: %v", tt.want, err)
			}
		})
	}
}

func TestVariedPlansCoverEveryObjectiveAndFormat(t *testing.T) {
	covered := map[string][]string{}
	budgets := map[string]bool{}
	for _, p := range variedPlans() {
		o := p.campaign.Objective
		for _, s := range p.sets {
			if !slices.Contains(covered[o], s.Format) {
				covered[o] = append(covered[o], s.Format)
			}
			budgets[s.BudgetType] = true
		}
	}
	for o, r := range objectiveRules {
		for _, f := range r.formats {
			if !slices.Contains(covered[o], f) {
				t.Errorf("no plan for %s with %s", o, f)
			}
		}
	}
	if !budgets[budgetDaily] || !budgets[budgetLifetime] {
		t.Errorf("budget types covered: %v", budgets)
	}
}

// TestDocumentExampleValidates checks the validator against the document's own createAdSet
// example, so that it is not stricter than the API.
func TestDocumentExampleValidates(t *testing.T) {
	v := newValidator(t)
	example := v.bodies["createAdSet"].Content.Get("application/json").Example
	if example == nil {
		t.Skip("skipping: the document has no createAdSet example")
	}
	if err := v.validate(t, "createAdSet", example); err != nil {
		t.Errorf("the document's createAdSet example fails: %v", err)
	}
}
