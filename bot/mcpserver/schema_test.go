package mcpserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// adcpSchemas compiles the AdCP 3.1.9 schemas from ../shared/adcp, once per test
// binary (the bundled files are several megabytes).
var adcpSchemas = struct {
	once sync.Once
	dir  string
	c    *jsonschema.Compiler
	mu   sync.Mutex
	got  map[string]*jsonschema.Schema
}{got: map[string]*jsonschema.Schema{}}

// adcpSchema returns the compiled schema of name ("media-buy/get-products-request"),
// skipping the test where ../shared/adcp is absent.
func adcpSchema(t testing.TB, name string) *jsonschema.Schema {
	t.Helper()
	dir := sharedFile(t, filepath.Join("adcp", "schemas", "3.1.9"))
	adcpSchemas.mu.Lock()
	defer adcpSchemas.mu.Unlock()
	if s, ok := adcpSchemas.got[name]; ok {
		return s
	}
	if adcpSchemas.c == nil {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		// The schemas' patterns are ECMAScript (some look ahead), as JSON Schema says.
		c.UseRegexpEngine(ecmaRegexp)
		adcpSchemas.c, adcpSchemas.dir = c, dir
	}
	path := filepath.Join(dir, filepath.FromSlash(name)+".json")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening schema: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("reading schema %s: %v", name, err)
	}
	url := "file://" + filepath.ToSlash(path)
	if err := adcpSchemas.c.AddResource(url, doc); err != nil {
		t.Fatalf("adding schema %s: %v", name, err)
	}
	s, err := adcpSchemas.c.Compile(url)
	if err != nil {
		t.Fatalf("compiling schema %s: %v", name, err)
	}
	adcpSchemas.got[name] = s
	return s
}

// validateAdCP checks that the JSON in raw validates against the AdCP schema name,
// and says where it does not.
func validateAdCP(t testing.TB, name string, raw []byte) error {
	t.Helper()
	s := adcpSchema(t, name)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := s.Validate(v); err != nil {
		msg := err.Error()
		if len(msg) > 4000 {
			msg = msg[:4000] + "…"
		}
		return fmt.Errorf("%s: %s", name, msg)
	}
	return nil
}

func mustValidateAdCP(t testing.TB, name string, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := validateAdCP(t, name, raw); err != nil {
		t.Errorf("%v\nin %s", err, truncate(string(raw), 3000))
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// sharedFile returns the path of rel inside ../shared beside the repository (or
// $ADPLAN_SHARED_DIR), skipping the test where it is absent.
func sharedFile(t testing.TB, rel string) string {
	t.Helper()
	dir := os.Getenv("ADPLAN_SHARED_DIR")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Skipf("skipping: %v", err)
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, "..", "shared")
				break
			}
			if filepath.Dir(d) == d {
				t.Skip("skipping: cannot find the repository root to locate ../shared")
			}
		}
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: %s is absent (%v); it lives in ../shared beside the repository", p, err)
	}
	return p
}

type ecmaRE regexp2.Regexp

func (re *ecmaRE) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *ecmaRE) String() string { return (*regexp2.Regexp)(re).String() }

func ecmaRegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return (*ecmaRE)(re), nil
}
