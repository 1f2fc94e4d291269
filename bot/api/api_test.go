package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/bot/api"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
	"github.com/adplan/adplan/store"
)

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const (
	aliceToken = "alice-token-0123456789"
	bobToken   = "bob-token-0123456789ab"
	brief      = "awareness in Germany, 18-24, €5,000 over 30 days"
)

var (
	engineOnce  sync.Once
	testPlanner *planner.Planner
	coordinator *agents.Coordinator
	engineErr   error
)

func engine(t testing.TB) (*planner.Planner, *agents.Coordinator) {
	t.Helper()
	engineOnce.Do(func() {
		coordinator, engineErr = agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
		if engineErr == nil {
			testPlanner, engineErr = planner.New(planner.Options{})
		}
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return testPlanner, coordinator
}

// validator checks every response against openapi.json.
type validator struct {
	doc    *openapi3.T
	router routers.Router
}

var (
	validatorOnce sync.Once
	theValidator  *validator
	validatorErr  error
)

func init() {
	// NDJSON: one JSON value a line, validated as the array the document describes.
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		var lines []any
		sc := bufio.NewScanner(body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var v any
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				return nil, fmt.Errorf("line %d: %w", len(lines)+1, err)
			}
			lines = append(lines, v)
		}
		return lines, sc.Err()
	})
}

func openAPI(t testing.TB) *validator {
	t.Helper()
	validatorOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(api.OpenAPI)
		if err != nil {
			validatorErr = err
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			validatorErr = fmt.Errorf("openapi.json is not a valid document: %w", err)
			return
		}
		doc.Servers = nil // match any host
		r, err := legacy.NewRouter(doc)
		if err != nil {
			validatorErr = err
			return
		}
		theValidator = &validator{doc: doc, router: r}
	})
	if validatorErr != nil {
		t.Fatal(validatorErr)
	}
	return theValidator
}

// check validates one response (status, headers, body) against the document. A
// request no route takes must still get a problem document.
func (v *validator) check(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if err := v.validate(req, status, header, body); err != nil {
		t.Errorf("%s %s answered %d that openapi.json does not describe: %.2000v", req.Method, req.URL.Path, status, err)
	}
}

func (v *validator) validate(req *http.Request, status int, header http.Header, body []byte) error {
	if header.Get("X-Request-Id") == "" {
		return errors.New("no X-Request-Id")
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		if ct := header.Get("Content-Type"); ct != "application/problem+json" {
			return fmt.Errorf("no route, and %s is not a problem document", ct)
		}
		var doc any
		if err := json.Unmarshal(body, &doc); err != nil {
			return fmt.Errorf("problem is not JSON: %w", err)
		}
		return v.doc.Components.Schemas["Problem"].Value.VisitJSON(doc, openapi3.EnableJSONSchema2020())
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: status,
		Header: header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			MultiError:              true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020()},
		},
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// The validator would catch a response that strays from the document: a field the
// schema lacks, one missing, a wrong type, an undeclared status.
func TestTheValidatorRefusesWhatTheDocumentDoesNotSay(t *testing.T) {
	ts := newServer(t, nil)
	res := ts.post(t, "/v1/threads", aliceToken, map[string]string{"message": brief})
	var turn map[string]any
	res.decode(t, &turn)
	req, _ := http.NewRequest(http.MethodPost, "/v1/threads", nil)
	mutate := map[string]func(m map[string]any){
		"extra field":   func(m map[string]any) { m["surprise"] = 1 },
		"missing field": func(m map[string]any) { delete(m, "version") },
		"wrong type":    func(m map[string]any) { m["ran"] = "goal" },
		"deep change":   func(m map[string]any) { m["plan"].(map[string]any)["budget"] = "5000" },
	}
	for name, f := range mutate {
		var m map[string]any
		res.decode(t, &m)
		f(m)
		b, _ := json.Marshal(m)
		if err := openAPI(t).validate(req, http.StatusCreated, res.header, b); err == nil {
			t.Errorf("%s: validated", name)
		}
	}
	if err := openAPI(t).validate(req, http.StatusTeapot, res.header, res.body); err == nil {
		t.Error("an undeclared status validated")
	}
	if err := openAPI(t).validate(req, http.StatusCreated, res.header, res.body); err != nil {
		t.Errorf("the answer itself: %v", err)
	}
}

type testServer struct {
	*httptest.Server
	api   *api.Server
	mem   *store.Memory
	reg   *prometheus.Registry
	clock *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newServer(t testing.TB, change func(*api.Options)) *testServer {
	t.Helper()
	p, c := engine(t)
	mem := store.NewMemory()
	reg := prometheus.NewRegistry()
	clk := &clock{t: now}
	opts := api.Options{
		Service:    &session.Service{Reader: c, Planner: p, Store: mem, Now: func() time.Time { return now }},
		Tokens:     []api.Token{{Name: "alice", Token: aliceToken}, {Name: "bob", Token: bobToken}},
		Registerer: reg,
		Now:        clk.Now,
	}
	if change != nil {
		change(&opts)
	}
	srv, err := api.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testServer{Server: ts, api: srv, mem: mem, reg: reg, clock: clk}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) problem(t testing.TB) api.Problem {
	t.Helper()
	var p api.Problem
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("status %d with %s, not a problem document: %s", r.status, ct, r.body)
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != r.status {
		t.Errorf("problem says status %d, the response %d", p.Status, r.status)
	}
	return p
}

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("status %d: %v: %s", r.status, err, r.body)
	}
}

// call sends a request with a real client and validates the response.
func (ts *testServer) call(t testing.TB, method, path, token, contentType string, body []byte, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body = nil
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	vreq, _ := http.NewRequest(method, path, nil)
	openAPI(t).check(t, vreq, res.StatusCode, res.Header, b)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (ts *testServer) post(t testing.TB, path, token string, body any) response {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return ts.call(t, http.MethodPost, path, token, "application/json", b)
}

func TestPlanAnswersWithThePlan(t *testing.T) {
	ts := newServer(t, nil)
	res := ts.post(t, "/v1/plans", aliceToken, map[string]string{"brief": brief})
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var plan agents.Plan
	res.decode(t, &plan)
	if plan.Budget != 5000 || plan.Currency != "EUR" || len(plan.LineItems) == 0 || plan.Flight.Days != 30 {
		t.Errorf("plan: %v %s, %d line items, %d days", plan.Budget, plan.Currency, len(plan.LineItems), plan.Flight.Days)
	}

	res = ts.post(t, "/v1/plans", aliceToken, map[string]string{"brief": "hello there"})
	if res.status != http.StatusBadRequest || !strings.HasPrefix(res.problem(t).Detail, "cannot read this brief: ") {
		t.Errorf("an unreadable brief: %d %s", res.status, res.body)
	}
	res = ts.post(t, "/v1/plans", aliceToken, map[string]string{"brief": "awareness in Germany, €900,000,000,000 over 30 days"})
	if res.status != http.StatusUnprocessableEntity || !strings.HasPrefix(res.problem(t).Detail, "planning: ") {
		t.Errorf("a budget over the limit: %d %s", res.status, res.body)
	}
}

func TestBatchStreamsALinePerBrief(t *testing.T) {
	ts := newServer(t, nil)
	res := ts.post(t, "/v1/plans:batch", aliceToken, map[string][]string{"briefs": {brief, "hello there", "app installs from iPhone users in the US, $20k, Q1"}})
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("%d %s: %s", res.status, res.header.Get("Content-Type"), res.body)
	}
	lines := strings.Split(strings.TrimSuffix(string(res.body), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines for 3 briefs", len(lines))
	}
	var bad api.BatchError
	if err := json.Unmarshal([]byte(lines[1]), &bad); err != nil || bad.Line != 2 || bad.Error == "" || strings.HasPrefix(bad.Error, "cannot read") {
		t.Errorf("line 2 (unreadable) = %s, want {line: 2, error: the reading error as plan --jsonl gives it}", lines[1])
	}
	var third agents.Plan
	if err := json.Unmarshal([]byte(lines[2]), &third); err != nil || third.Objective != "APP_INSTALLS" {
		t.Errorf("line 3 = %.200s", lines[2])
	}

	for _, body := range []string{`{"briefs": []}`, `{"briefs": "one brief"}`, `{}`} {
		if res := ts.call(t, http.MethodPost, "/v1/plans:batch", aliceToken, "application/json", []byte(body)); res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", body, res.status)
		}
	}
	many := make([]string, api.MaxBatch+1)
	for i := range many {
		many[i] = brief
	}
	if res := ts.post(t, "/v1/plans:batch", aliceToken, map[string][]string{"briefs": many}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("%d briefs: %d", len(many), res.status)
	}
}

func TestAConversationOverHTTP(t *testing.T) {
	ts := newServer(t, nil)
	res := ts.post(t, "/v1/threads", aliceToken, map[string]string{"message": brief})
	if res.status != http.StatusCreated {
		t.Fatalf("%d: %s", res.status, res.body)
	}
	var first session.Turn
	res.decode(t, &first)
	if res.header.Get("Location") != "/v1/threads/"+first.Thread || first.Version != 1 || first.Plan == nil {
		t.Fatalf("start: Location %q, thread %q, version %d", res.header.Get("Location"), first.Thread, first.Version)
	}
	res = ts.post(t, "/v1/threads/"+first.Thread+"/messages", aliceToken, map[string]string{"message": "extend to 60 days"})
	var second session.Turn
	res.decode(t, &second)
	if res.status != http.StatusOK || second.Version != 2 || second.Plan.Flight.Days != 60 || len(second.PlanChanges) == 0 {
		t.Fatalf("follow-up: %d, v%d", res.status, second.Version)
	}
	res = ts.post(t, "/v1/threads/"+first.Thread+"/messages", aliceToken, map[string]string{"message": "extend to 60 days"})
	var same session.Turn
	res.decode(t, &same)
	if res.status != http.StatusOK || same.Version != 2 || same.Notes[len(same.Notes)-1] != session.NothingChanged {
		t.Errorf("a message that changes nothing: %d, v%d, notes %q", res.status, same.Version, same.Notes)
	}
	res = ts.post(t, "/v1/threads/"+first.Thread+"/messages", aliceToken, map[string]string{"message": ""})
	if res.status != http.StatusBadRequest || !strings.HasPrefix(res.problem(t).Detail, "reading message: ") {
		t.Errorf("an empty follow-up: %d %s", res.status, res.body)
	}

	res = ts.call(t, http.MethodGet, "/v1/threads/"+first.Thread, aliceToken, "", nil)
	var th conversation.Thread
	res.decode(t, &th)
	if res.status != http.StatusOK || th.ID != first.Thread || len(th.Versions) != 2 {
		t.Fatalf("GET thread: %d, id %q, %d versions", res.status, th.ID, len(th.Versions))
	}
	res = ts.call(t, http.MethodGet, "/v1/threads/"+first.Thread+"/versions/2", aliceToken, "", nil)
	var v conversation.Version
	res.decode(t, &v)
	if res.status != http.StatusOK || v.N != 2 || v.Message != "extend to 60 days" || v.Plan == nil {
		t.Errorf("GET version 2: %d, n %d, %q", res.status, v.N, v.Message)
	}
	for _, n := range []string{"0", "3", "x", "-1", "99999999999999999999"} {
		if res := ts.call(t, http.MethodGet, "/v1/threads/"+first.Thread+"/versions/"+n, aliceToken, "", nil); res.status != http.StatusNotFound {
			t.Errorf("version %s: %d", n, res.status)
		}
	}

	res = ts.post(t, "/v1/threads", aliceToken, map[string]string{"message": "hello there"})
	if res.status != http.StatusBadRequest || !strings.Contains(res.problem(t).Detail, "campaign brief") {
		t.Errorf("an unreadable first brief: %d %s", res.status, res.body)
	}
	if n := ts.mem.Threads(); n != 1 {
		t.Errorf("%d threads kept, want 1: an unreadable brief keeps nothing", n)
	}
}

func TestThreadsBelongToTheirToken(t *testing.T) {
	ts := newServer(t, nil)
	res := ts.post(t, "/v1/threads", aliceToken, map[string]string{"message": brief})
	var first session.Turn
	res.decode(t, &first)
	id := first.Thread

	for _, path := range []string{"/v1/threads/" + id, "/v1/threads/" + id + "/versions/1"} {
		if res := ts.call(t, http.MethodGet, path, bobToken, "", nil); res.status != http.StatusNotFound {
			t.Errorf("bob GET %s: %d, want 404", path, res.status)
		}
		if res := ts.call(t, http.MethodGet, path, "", "", nil); res.status != http.StatusUnauthorized || res.header.Get("WWW-Authenticate") == "" {
			t.Errorf("no token GET %s: %d, want 401 with WWW-Authenticate", path, res.status)
		}
		if res := ts.call(t, http.MethodGet, path, "alice-token-0123456788", "", nil); res.status != http.StatusUnauthorized {
			t.Errorf("a wrong token GET %s: %d, want 401", path, res.status)
		}
	}
	if res := ts.post(t, "/v1/threads/"+id+"/messages", bobToken, map[string]string{"message": "double the budget"}); res.status != http.StatusNotFound {
		t.Errorf("bob's follow-up to alice's thread: %d, want 404", res.status)
	}
	if res := ts.call(t, http.MethodGet, "/v1/threads/"+id, aliceToken, "", nil, "Authorization", "Basic "+aliceToken); res.status != http.StatusUnauthorized {
		t.Errorf("a Basic credential: %d, want 401", res.status)
	}
	for _, forged := range []string{"00000000000000000000000000000000", strings.ToUpper(id), id[:31], "..%2f..%2fcli", "api%2Falice%2F" + id} {
		if res := ts.call(t, http.MethodGet, "/v1/threads/"+forged, aliceToken, "", nil); res.status != http.StatusNotFound {
			t.Errorf("forged id %q: %d, want 404", forged, res.status)
		}
	}
	res = ts.call(t, http.MethodGet, "/v1/threads/"+id, aliceToken, "", nil)
	var th conversation.Thread
	res.decode(t, &th)
	if len(th.Versions) != 1 {
		t.Errorf("bob's follow-up reached alice's thread: %d versions", len(th.Versions))
	}
}

func TestBodiesThatAreNotWhatARouteTakes(t *testing.T) {
	ts := newServer(t, nil)
	big := append([]byte(`{"brief": "`), bytes.Repeat([]byte("a"), 1<<20)...)
	big = append(big, `"}`...)
	if res := ts.call(t, http.MethodPost, "/v1/plans", aliceToken, "application/json", big); res.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 1 MB+ body: %d", res.status)
	}
	// The same without a Content-Length: the limit is enforced while reading.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/threads", io.MultiReader(bytes.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+aliceToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a chunked 1 MB+ body: %d", res.StatusCode)
	}

	for _, tt := range []struct {
		give, contentType string
		want              int
	}{
		{`{"brief": "x"}`, "text/plain", http.StatusUnsupportedMediaType},
		{`{"brief": "x"}`, "", http.StatusUnsupportedMediaType},
		{`{"brief": "x"}`, "application/json; charset=latin1", http.StatusUnsupportedMediaType},
		{`brief=x`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{`{"brief": 5}`, "application/json", http.StatusUnprocessableEntity},
		{`{"brief": "x", "extra": 1}`, "application/json", http.StatusUnprocessableEntity},
		{`{"brief": "x"} {"brief": "y"}`, "application/json", http.StatusUnprocessableEntity},
		{`["brief"]`, "application/json", http.StatusUnprocessableEntity},
		{``, "application/json", http.StatusUnprocessableEntity},
		{`{"brief": null}`, "application/json", http.StatusUnprocessableEntity},
		{`{"brief": ""}`, "application/json", http.StatusBadRequest},
		{`{"brief": "` + brief + `"}`, "application/json; charset=UTF-8", http.StatusOK},
	} {
		res := ts.call(t, http.MethodPost, "/v1/plans", aliceToken, tt.contentType, []byte(tt.give))
		if res.status != tt.want {
			t.Errorf("%q as %q: %d, want %d: %s", tt.give, tt.contentType, res.status, tt.want, res.body)
		}
	}
	if res := ts.call(t, http.MethodPut, "/v1/plans", aliceToken, "application/json", []byte(`{}`)); res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "POST" {
		t.Errorf("PUT /v1/plans: %d, Allow %q", res.status, res.header.Get("Allow"))
	}
	if res := ts.call(t, http.MethodGet, "/v2/nothing", aliceToken, "", nil); res.status != http.StatusNotFound {
		t.Errorf("an unknown route: %d", res.status)
	}
}

// fuzzBody makes a malformed body from a valid one: cut, spliced, retyped, padded.
func fuzzBody(r *rand.Rand, field string) []byte {
	valid := `{"` + field + `": "` + brief + `"}`
	switch r.IntN(10) {
	case 0:
		return []byte(valid[:r.IntN(len(valid)-1)])
	case 1:
		// A byte of the structure (not of the brief inside it) replaced.
		b := []byte(valid)
		prefix := len(`{"` + field + `": "`)
		i := r.IntN(prefix + 2)
		if i >= prefix {
			i = len(b) - (i - prefix) - 1
		}
		const junk = "{}[]:,\\\x00x"
		c := junk[r.IntN(len(junk))]
		for c == b[i] {
			c = junk[r.IntN(len(junk))]
		}
		b[i] = c
		return b
	case 2:
		return []byte(`{"` + field + `": ` + []string{"1", "true", "[]", "{}", "null", "-0.5e9", `["a"]`}[r.IntN(7)] + `}`)
	case 3:
		return []byte(`{"` + field + `x": "` + brief + `"}`)
	case 4:
		return []byte(valid + strings.Repeat(" ", r.IntN(3)) + `{}`)
	case 5:
		n := r.IntN(64) + 1
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		if b[0] == '{' {
			b[0] = '!'
		}
		return b
	case 6:
		return []byte(strings.Repeat("[", r.IntN(10000)+1))
	case 7:
		return []byte(`{"` + field + `": "\ud800` + strings.Repeat("\\", r.IntN(2)) + `}`)
	case 8:
		return []byte(`"` + brief + `"`)
	default:
		return []byte(`{"` + field + `": "` + brief + `", "` + field + `": ` + fmt.Sprint(r.IntN(9)) + `}`)
	}
}

func TestFuzzedMalformedBodiesAreEachA4xx(t *testing.T) {
	ts := newServer(t, nil)
	res := ts.post(t, "/v1/threads", aliceToken, map[string]string{"message": brief})
	var first session.Turn
	res.decode(t, &first)
	r := rand.New(rand.NewPCG(14, 2026))
	routes := []struct{ path, field string }{
		{"/v1/plans", "brief"}, {"/v1/threads", "message"}, {"/v1/threads/" + first.Thread + "/messages", "message"}, {"/v1/plans:batch", "briefs"},
	}
	for i := range 50 {
		route := routes[i%len(routes)]
		body := fuzzBody(r, route.field)
		res := ts.call(t, http.MethodPost, route.path, aliceToken, "application/json", body)
		if res.status < 400 || res.status > 499 {
			t.Errorf("body %d to %s: %d, want a 4xx: %.120q → %.200s", i, route.path, res.status, body, res.body)
		} else {
			res.problem(t)
		}
	}
}

func TestRateLimitPerToken(t *testing.T) {
	ts := newServer(t, func(o *api.Options) { o.RateLimit, o.RateBurst = 2, 2 })
	get := func(token string) response {
		return ts.call(t, http.MethodGet, "/v1/threads/00000000000000000000000000000000", token, "", nil)
	}
	for i := range 2 {
		if res := get(aliceToken); res.status != http.StatusNotFound {
			t.Fatalf("request %d within the burst: %d", i+1, res.status)
		}
	}
	res := get(aliceToken)
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "1" {
		t.Fatalf("over the burst: %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	if res := get(bobToken); res.status != http.StatusNotFound {
		t.Errorf("bob has a limit of his own: %d", res.status)
	}
	ts.clock.Add(500 * time.Millisecond) // one request's worth at 2 a second
	if res := get(aliceToken); res.status != http.StatusNotFound {
		t.Errorf("after waiting: %d", res.status)
	}
	if res := get(aliceToken); res.status != http.StatusTooManyRequests {
		t.Errorf("again at once: %d", res.status)
	}
}

func TestRequestIDsAndMetrics(t *testing.T) {
	ts := newServer(t, nil)
	res := ts.call(t, http.MethodGet, "/v1/threads/00000000000000000000000000000000", aliceToken, "", nil, "X-Request-Id", "trace-42")
	if res.header.Get("X-Request-Id") != "trace-42" || res.problem(t).RequestID != "trace-42" {
		t.Errorf("the caller's request id was not echoed: %q", res.header.Get("X-Request-Id"))
	}
	res = ts.call(t, http.MethodGet, "/v1/threads/00000000000000000000000000000000", aliceToken, "", nil, "X-Request-Id", "bad id\twith spaces")
	if id := res.header.Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Errorf("an unusable request id was kept: %q", id)
	}
	ts.post(t, "/v1/plans", aliceToken, map[string]string{"brief": brief})
	ts.post(t, "/v1/plans", "", map[string]string{"brief": brief})
	want := `
# HELP adplan_http_requests_total HTTP API requests by route (the pattern matched, "unmatched" for none) and status code.
# TYPE adplan_http_requests_total counter
adplan_http_requests_total{route="GET /v1/threads/{id}",status="404"} 2
adplan_http_requests_total{route="POST /v1/plans",status="200"} 1
adplan_http_requests_total{route="POST /v1/plans",status="401"} 1
`
	if err := testutil.GatherAndCompare(ts.reg, strings.NewReader(want), "adplan_http_requests_total"); err != nil {
		t.Error(err)
	}
}

// Another surface (MCP) mounts its routes beside the API's, behind the same tokens.
func TestOtherRoutesMountBehindTheSameTokens(t *testing.T) {
	ts := newServer(t, nil)
	ts.api.Handle("/mcp", ts.api.RequireToken(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, api.Owner(r.Context()))
	})))
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/mcp", nil)
	req.Header.Set("Authorization", "Bearer "+bobToken)
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(b) != "bob" {
		t.Errorf("mounted route: %d %q, want 200 bob", res.StatusCode, b)
	}
	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/mcp", nil)
	res, err = ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("mounted route without a token: %d", res.StatusCode)
	}
}

func TestNewRefusesBadTokens(t *testing.T) {
	p, c := engine(t)
	svc := &session.Service{Reader: c, Planner: p, Store: store.NewMemory()}
	for _, tokens := range [][]api.Token{
		{{Name: "a/b", Token: aliceToken}},
		{{Name: "alice", Token: "short"}},
		{{Name: "alice", Token: aliceToken}, {Name: "bob", Token: aliceToken}},
	} {
		if _, err := api.New(api.Options{Service: svc, Tokens: tokens}); err == nil {
			t.Errorf("tokens %v accepted", tokens)
		}
	}
}
