package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/bot/api"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
)

var update = flag.Bool("update", false, "rewrite openapi.json's schemas from the Go types")

// The response schemas in openapi.json are the Go types' JSON, derived by reflection,
// so the document cannot drift from what the server sends: this test fails when they
// differ, and `go test ./bot/api -run TestOpenAPISchemasFollowTheGoTypes -update`
// rewrites them. Objects allow no properties the type does not have.
func TestOpenAPISchemasFollowTheGoTypes(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	g := &schemaGen{defs: map[string]any{}, names: map[reflect.Type]string{}}
	for _, v := range []any{agents.Plan{}, session.Turn{}, conversation.Thread{}, conversation.Version{}, api.BatchError{}, api.Problem{}} {
		g.schema(reflect.TypeOf(v))
	}
	str := map[string]any{"type": "string"}
	g.defs["PlanRequest"] = requestSchema("brief", str, "The campaign brief, in plain language.")
	g.defs["MessageRequest"] = requestSchema("message", str, "The brief that starts a thread, or a follow-up that revises it.")
	g.defs["BatchRequest"] = requestSchema("briefs", map[string]any{"type": "array", "items": str, "minItems": 1, "maxItems": api.MaxBatch}, "The briefs, planned in order.")

	comps := doc["components"].(map[string]any)
	want, err := json.MarshalIndent(g.defs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(comps["schemas"], "", "  ")
	if bytes.Equal(got, want) {
		return
	}
	if !*update {
		t.Fatal("openapi.json's schemas differ from the Go types; run go test ./bot/api -run TestOpenAPISchemasFollowTheGoTypes -update")
	}
	comps["schemas"] = g.defs
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("openapi.json", append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log("rewrote openapi.json; rebuild to embed it")
}

func requestSchema(field string, s map[string]any, desc string) map[string]any {
	s["description"] = desc
	return map[string]any{
		"type": "object", "required": []string{field}, "additionalProperties": false,
		"properties": map[string]any{field: s},
	}
}

// schemaGen derives JSON Schema (2020-12, as OpenAPI 3.1 uses) from Go types as
// encoding/json writes them: nil pointers, slices and maps are null, omitempty fields
// are optional, the rest required.
type schemaGen struct {
	defs  map[string]any
	names map[reflect.Type]string
}

var (
	timeType     = reflect.TypeOf(time.Time{})
	dateType     = reflect.TypeOf(agents.Date{})
	scheduleType = reflect.TypeOf(agents.Schedule{})
	marshaler    = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case dateType:
		// agents.Date's MarshalJSON: "YYYY-MM-DD", or null when unknown.
		return map[string]any{"type": []string{"string", "null"}, "format": "date"}
	case scheduleType:
		// agents.Schedule's MarshalJSON: days is null when the length is unknown.
		return g.named(t, func() map[string]any {
			return object(map[string]any{
				"start": g.schema(dateType), "end": g.schema(dateType),
				"days": map[string]any{"type": []string{"integer", "null"}},
			}, []string{"days", "end", "start"})
		})
	}
	if t.Kind() == reflect.Pointer {
		return nullable(g.schema(t.Elem()))
	}
	if t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler) {
		panic(fmt.Sprintf("%v has its own MarshalJSON: describe it in schemaGen.schema", t))
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": []string{"array", "null"}, "items": g.schema(t.Elem())}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("map key %v", t.Key()))
		}
		return map[string]any{"type": []string{"object", "null"}, "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		return g.named(t, func() map[string]any {
			props, required := map[string]any{}, []string{}
			g.fields(t, props, &required)
			sort.Strings(required)
			return object(props, required)
		})
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Interface:
		return map[string]any{}
	}
	panic(fmt.Sprintf("no schema for %v", t))
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			g.fields(ft, props, required)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if strings.Contains(opts, "string") {
			panic(fmt.Sprintf("%v.%s: ,string is not described", t, f.Name))
		}
		props[name] = g.schema(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// named defines t once under its Go name and refers to it.
func (g *schemaGen) named(t reflect.Type, build func() map[string]any) map[string]any {
	name, ok := g.names[t]
	if !ok {
		name = t.Name()
		for other, n := range g.names {
			if n == name && other != t {
				name = strings.ToUpper(path(t)[:1]) + path(t)[1:] + t.Name()
			}
		}
		g.names[t] = name
		g.defs[name] = map[string]any{} // placeholder for recursive types
		g.defs[name] = build()
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func path(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndex(p, "/")+1:]
}

func object(props map[string]any, required []string) map[string]any {
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func nullable(s map[string]any) map[string]any {
	if _, ref := s["$ref"]; ref {
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	switch ty := s["type"].(type) {
	case string:
		s["type"] = []string{ty, "null"}
	case []string:
		// already nullable (slices, maps, dates)
	default:
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	return s
}
