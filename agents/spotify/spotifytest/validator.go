// Package spotifytest validates request bodies against Spotify's Ads API OpenAPI
// document (shared/spotify-ads-api/external-v3.yaml), for the tests of every package
// that emits them.
package spotifytest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/adplan/adplan/agents/internal/sharedtest"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// specPath finds Spotify's OpenAPI document in the shared folder beside the
// repository ($ADPLAN_SHARED_DIR, else ../shared); a fresh clone has none, and the
// test is skipped, saying so.
func specPath(t testing.TB) string {
	t.Helper()
	return sharedtest.File(t, filepath.Join("spotify-ads-api", "external-v3.yaml"))
}

// Validator validates request bodies against createCampaign and createAdSet.
type Validator struct {
	bodies map[string]*openapi3.RequestBody // by operationId
	schema map[string]*openapi3.Schema      // the operation's application/json schema
}

var (
	validatorOnce sync.Once
	validatorVal  *Validator
	validatorErr  error
)

// New loads the document once per test binary and returns its validator; it skips the
// test, saying why, where the document is absent.
func New(t testing.TB) *Validator {
	t.Helper()
	path := specPath(t)
	validatorOnce.Do(func() { validatorVal, validatorErr = loadValidator(path) })
	if validatorErr != nil {
		t.Fatal(validatorErr)
	}
	return validatorVal
}

func loadValidator(path string) (*Validator, error) {
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
	v := &Validator{bodies: map[string]*openapi3.RequestBody{}, schema: map[string]*openapi3.Schema{}}
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

// Validate checks body as operation's request body: decoded from JSON as the API would
// receive it, against the operation's schema (types, enums, required fields, bounds,
// patterns, date-time and uuid formats, readOnly fields), and then for properties the
// schema does not declare. The schemas allow additional properties, so kin-openapi alone
// would pass a misspelt field name; the API would ignore it silently.
func (v *Validator) Validate(t testing.TB, operation string, body any) error {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/ad_accounts/x", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	err = openapi3filter.ValidateRequestBody(context.Background(), &openapi3filter.RequestValidationInput{
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

// Example returns the document's own example request body of operation, or nil.
func (v *Validator) Example(operation string) any {
	rb, ok := v.bodies[operation]
	if !ok {
		return nil
	}
	return rb.Content.Get("application/json").Example
}
