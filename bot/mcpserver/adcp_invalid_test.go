package mcpserver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/adplan/adplan/bot/mcpserver"
)

// TestAdCPInvalidRequests sends requests AdCP 3.1.9 does not allow, or that ask for
// what adplan has not got, and checks each gets AdCP's error shape — status
// "failed", adcp_error with a code, errors[], isError — valid against the task's
// response schema, and that the server goes on answering.
func TestAdCPInvalidRequests(t *testing.T) {
	cs := connectInMemory(t, newServer(t, newService(t), mcpserver.LocalOwner))
	buy := func(change func(map[string]any)) map[string]any {
		req := map[string]any{
			"idempotency_key": "key-0001-aaaa-bbbb-cccc", "account": map[string]any{"account_id": "a"},
			"brand":      map[string]any{"domain": "example.com"},
			"packages":   []any{map[string]any{"product_id": "0123456789abcdef0123456789abcdef.v1.DE-audio-music", "pricing_option_id": "cpm_auction", "budget": 100.0}},
			"start_time": "asap", "end_time": "2027-02-01T00:00:00Z",
		}
		change(req)
		return req
	}
	tests := []struct {
		name, tool, task string
		give             map[string]any
		// schemaValid says whether AdCP's own schema allows the request: the ones it
		// refuses must be refused here too; the ones it allows name something adplan
		// does not have or do.
		schemaValid bool
		wantCode    string
	}{
		{"no buying_mode", "get_products", "media-buy/get-products", map[string]any{"brief": "reach in Germany"}, false, "INVALID_REQUEST"},
		{"buying_mode not a string", "get_products", "media-buy/get-products", map[string]any{"buying_mode": 7}, false, "INVALID_REQUEST"},
		{"unknown buying_mode", "get_products", "media-buy/get-products", map[string]any{"buying_mode": "auction", "brief": "x"}, false, "INVALID_REQUEST"},
		{"brand without domain", "get_products", "media-buy/get-products", map[string]any{"buying_mode": "brief", "brief": "reach in Germany, €5,000", "brand": map[string]any{}}, false, "INVALID_REQUEST"},
		{"wholesale", "get_products", "media-buy/get-products", map[string]any{"buying_mode": "wholesale"}, true, "UNSUPPORTED_FEATURE"},
		{"another major version", "get_products", "media-buy/get-products", map[string]any{"adcp_version": "2.5", "buying_mode": "brief", "brief": "reach in Germany"}, true, "VERSION_UNSUPPORTED"},
		{"a brief nobody can read", "get_products", "media-buy/get-products", map[string]any{"buying_mode": "brief", "brief": "qwxz zzkq"}, true, "INVALID_REQUEST"},
		{"format_ids not objects", "list_creative_formats", "media-buy/list-creative-formats", map[string]any{"format_ids": []any{"spotify_audio"}}, false, "INVALID_REQUEST"},
		{"no idempotency_key", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) { delete(m, "idempotency_key") }), false, "INVALID_REQUEST"},
		{"short idempotency_key", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) { m["idempotency_key"] = "k1" }), false, "INVALID_REQUEST"},
		{"no account", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) { delete(m, "account") }), false, "INVALID_REQUEST"},
		{"no brand", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) { delete(m, "brand") }), false, "INVALID_REQUEST"},
		{"no end_time", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) { delete(m, "end_time") }), false, "INVALID_REQUEST"},
		{"end_time not a date-time", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) { m["end_time"] = "next month" }), false, "INVALID_REQUEST"},
		{"package without budget", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) {
			m["packages"] = []any{map[string]any{"product_id": "p", "pricing_option_id": "cpm_auction"}}
		}), false, "INVALID_REQUEST"},
		{"budget a string", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) {
			m["packages"] = []any{map[string]any{"product_id": "p", "pricing_option_id": "cpm_auction", "budget": "lots"}}
		}), false, "INVALID_REQUEST"},
		{"negative budget", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) {
			m["packages"] = []any{map[string]any{"product_id": "0123456789abcdef0123456789abcdef.v1.DE-audio-music", "pricing_option_id": "cpm_auction", "budget": -5.0}}
		}), false, "INVALID_REQUEST"},
		{"a product nobody offered", "create_media_buy", "media-buy/create-media-buy", buy(func(map[string]any) {}), true, "PRODUCT_NOT_FOUND"},
		{"a forged product id", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) {
			m["packages"] = []any{map[string]any{"product_id": "../../etc/passwd", "pricing_option_id": "cpm_auction", "budget": 5.0}}
		}), true, "PRODUCT_NOT_FOUND"},
		{"another pricing option", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) {
			m["packages"] = []any{map[string]any{"product_id": "0123456789abcdef0123456789abcdef.v1.DE-audio-music", "pricing_option_id": "flat", "budget": 5.0}}
		}), true, "INVALID_PRICING_OPTION"},
		{"a proposal", "create_media_buy", "media-buy/create-media-buy", buy(func(m map[string]any) {
			delete(m, "packages")
			m["proposal_id"], m["total_budget"] = "prop-1", map[string]any{"amount": 100.0, "currency": "EUR"}
		}), true, "PROPOSAL_NOT_FOUND"},
		{"an unknown media buy", "get_media_buys", "media-buy/get-media-buys", map[string]any{"media_buy_ids": []any{"0123456789abcdef0123456789abcdef.b1"}}, true, "MEDIA_BUY_NOT_FOUND"},
		{"media_buy_ids not an array", "get_media_buys", "media-buy/get-media-buys", map[string]any{"media_buy_ids": "all"}, false, "INVALID_REQUEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := json.Marshal(tt.give)
			err := validateAdCP(t, tt.task+"-request", raw)
			if tt.schemaValid && err != nil {
				t.Fatalf("the test's request should be valid AdCP: %v", err)
			}
			if !tt.schemaValid && err == nil {
				t.Fatalf("the test's request should be invalid AdCP, but the schema allows %s", raw)
			}
			got, isErr, _ := call(t, cs, tt.tool, tt.give)
			if err := validateAdCP(t, tt.task+"-response", got); err != nil {
				t.Errorf("error response does not validate: %v\n%s", err, got)
			}
			var r struct {
				Status    string                `json:"status"`
				AdCPError *mcpserver.AdCPError  `json:"adcp_error"`
				Errors    []mcpserver.AdCPError `json:"errors"`
			}
			if err := json.Unmarshal(got, &r); err != nil {
				t.Fatal(err)
			}
			if !isErr || r.Status != "failed" || r.AdCPError == nil || r.AdCPError.Code != tt.wantCode || len(r.Errors) != 1 || r.AdCPError.Message == "" {
				t.Errorf("got isError=%v %s, want code %s", isErr, got, tt.wantCode)
			}
		})
	}
	// Still answering.
	raw, isErr, _ := call(t, cs, "get_adcp_capabilities", map[string]any{})
	if isErr || !strings.Contains(string(raw), `"media_buy"`) {
		t.Errorf("after the bad requests: %s", raw)
	}
}
