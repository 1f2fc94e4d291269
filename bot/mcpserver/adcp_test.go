package mcpserver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/adplan/adplan/bot/mcpserver"
)

const buyerBrief = "reach 18-34 year olds in Germany with €20,000 over 30 days, audio and video"

// adcpCall sends an AdCP request, first checking that it validates against the task's
// request schema, and checks that the response validates against its response schema.
func adcpCall(t *testing.T, cs *mcp.ClientSession, tool, task string, req map[string]any) (json.RawMessage, bool) {
	t.Helper()
	mustValidateAdCP(t, task+"-request", req)
	raw, isError, _ := call(t, cs, tool, req)
	if raw == nil {
		t.Fatalf("%s: no structured content", tool)
	}
	if err := validateAdCP(t, task+"-response", raw); err != nil {
		t.Errorf("%s response does not validate: %v\nresponse: %s", tool, err, truncate(string(raw), 3000))
	}
	return raw, isError
}

// buyerFlow is what a buying agent does: capabilities, products for a brief, a buy,
// and the buy read back — each request and response validated against AdCP 3.1.9.
// It returns the media buy id.
func buyerFlow(t *testing.T, cs *mcp.ClientSession) string {
	t.Helper()
	raw, isErr := adcpCall(t, cs, "get_adcp_capabilities", "protocol/get-adcp-capabilities", map[string]any{"adcp_version": "3.1"})
	caps := decodeInto[mcpserver.CapabilitiesResponse](t, raw)
	if isErr || caps.Status != "completed" || !contains(caps.SupportedProtocols, "media_buy") || caps.MediaBuy == nil || !contains(caps.MediaBuy.SupportedPricingModels, "cpm") {
		t.Fatalf("capabilities: %s", raw)
	}

	raw, isErr = adcpCall(t, cs, "get_products", "media-buy/get-products", map[string]any{
		"adcp_version": "3.1", "buying_mode": "brief", "brief": buyerBrief,
		"brand": map[string]any{"domain": "example.com"}, "context": map[string]any{"trace": "t-1"},
	})
	products := decodeInto[mcpserver.ProductsResponse](t, raw)
	if isErr || products.Status != "completed" || len(products.Products) == 0 {
		t.Fatalf("get_products: %s", truncate(string(raw), 2000))
	}
	if products.Context["trace"] != "t-1" {
		t.Errorf("context not echoed: %v", products.Context)
	}
	var sum float64
	formats := map[string]bool{}
	for _, p := range products.Products {
		po := p.PricingOptions[0]
		if po.PricingModel != "cpm" || po.Currency != "EUR" || po.PriceGuidance.P50 <= 0 || po.PriceGuidance.P90 < po.PriceGuidance.P50 {
			t.Errorf("product %s pricing: %+v", p.ProductID, po)
		}
		pt := p.Forecast.Points[0]
		if imp := pt.Metrics["impressions"]; imp.Mid <= 0 || imp.Low > imp.Mid || imp.Mid > imp.High {
			t.Errorf("product %s impressions forecast: %+v", p.ProductID, imp)
		}
		// The forecast's impressions at the product's budget agree with its CPM.
		if cpm := pt.Budget / pt.Metrics["impressions"].Mid * 1000; cpm < po.PriceGuidance.P50*0.8 || cpm > po.PriceGuidance.P90*1.2 {
			t.Errorf("product %s: budget/impressions gives CPM %.2f, guidance %+v", p.ProductID, cpm, po.PriceGuidance)
		}
		sum += pt.Budget
		formats[p.FormatIDs[0].ID] = true
	}
	if sum < 19999 || sum > 20001 {
		t.Errorf("products' planned budgets add up to %.2f, want the brief's 20,000", sum)
	}
	if !formats["spotify_audio"] || !formats["spotify_video"] || formats["spotify_image"] {
		t.Errorf("a brief for audio and video gave formats %v", formats)
	}

	raw, _ = adcpCall(t, cs, "list_creative_formats", "media-buy/list-creative-formats", map[string]any{"adcp_version": "3.1"})
	lf := decodeInto[mcpserver.FormatsResponse](t, raw)
	var ids []string
	for _, f := range lf.Formats {
		ids = append(ids, f.FormatID.ID)
	}
	if strings.Join(ids, ",") != "spotify_audio,spotify_video,spotify_image" {
		t.Errorf("formats: %v", ids)
	}

	// Book the two largest products with 6,000 and 4,000 EUR in January.
	pkgs := []any{}
	for i, p := range products.Products[:2] {
		pkgs = append(pkgs, map[string]any{"product_id": p.ProductID, "pricing_option_id": p.PricingOptions[0].PricingOptionID, "budget": []float64{6000, 4000}[i]})
	}
	buy := map[string]any{
		"adcp_version": "3.1", "idempotency_key": "buy-0001-aaaa-bbbb-cccc",
		"account": map[string]any{"account_id": "acc-1"}, "brand": map[string]any{"domain": "example.com"},
		"packages": pkgs, "start_time": "2027-01-04T00:00:00Z", "end_time": "2027-02-01T00:00:00Z",
	}
	raw, isErr = adcpCall(t, cs, "create_media_buy", "media-buy/create-media-buy", buy)
	created := decodeInto[mcpserver.CreateMediaBuyResponse](t, raw)
	if isErr || created.MediaBuyID == "" || created.ConfirmedAt != nil || !strings.Contains(string(raw), `"confirmed_at":null`) {
		t.Fatalf("create_media_buy: %s", raw)
	}
	if created.TotalBudget != 10000 || created.Currency != "EUR" || len(created.Packages) != 2 || created.Ext.Adplan.Approval != "pending" {
		t.Errorf("create_media_buy: %s", raw)
	}
	if !strings.Contains(created.Message, "approval") {
		t.Errorf("the answer does not say the buy awaits approval: %q", created.Message)
	}

	// The buy is a new version of the thread get_products planned in, revised to the
	// buy's budget and flight.
	raw, _, _ = call(t, cs, "get_plan", map[string]any{"thread": products.Ext.Adplan.Thread})
	pv := decodeInto[mcpserver.PlanVersion](t, raw)
	if pv.Version != created.Ext.Adplan.Version || pv.Version != 2 || pv.Plan == nil {
		t.Fatalf("get_plan after the buy: %s", truncate(string(raw), 1500))
	}
	if pv.Plan.Budget != 10000 || pv.Plan.Flight.Start.String() != "2027-01-04" || pv.Plan.Flight.End.String() != "2027-01-31" {
		t.Errorf("the booked version plans %.2f %s from %s to %s, want 10000 EUR 2027-01-04 to 2027-01-31", pv.Plan.Budget, pv.Plan.Currency, pv.Plan.Flight.Start, pv.Plan.Flight.End)
	}
	if len(pv.Bookings) != 1 || pv.Bookings[0] != created.MediaBuyID || pv.Approved != nil {
		t.Errorf("the version's bookings %v, approval %v", pv.Bookings, pv.Approved)
	}

	// The same idempotency key gives the same buy back and makes no version.
	raw, _ = adcpCall(t, cs, "create_media_buy", "media-buy/create-media-buy", buy)
	again := decodeInto[mcpserver.CreateMediaBuyResponse](t, raw)
	if again.MediaBuyID != created.MediaBuyID || !again.Replayed {
		t.Errorf("replay: %s", raw)
	}
	raw, _, _ = call(t, cs, "get_plan", map[string]any{"thread": products.Ext.Adplan.Thread})
	if pv := decodeInto[mcpserver.PlanVersion](t, raw); pv.Versions != 2 {
		t.Errorf("a replayed buy made version %d", pv.Versions)
	}

	for _, req := range []map[string]any{{"media_buy_ids": []string{created.MediaBuyID}}, {}} {
		raw, isErr = adcpCall(t, cs, "get_media_buys", "media-buy/get-media-buys", req)
		got := decodeInto[mcpserver.MediaBuysResponse](t, raw)
		if isErr || len(got.MediaBuys) != 1 || got.MediaBuys[0].MediaBuyID != created.MediaBuyID || got.MediaBuys[0].ConfirmedAt != nil ||
			got.MediaBuys[0].Status != "pending_start" || got.MediaBuys[0].TotalBudget != 10000 {
			t.Errorf("get_media_buys %v: %s", req, raw)
		}
	}
	return created.MediaBuyID
}

func TestAdCPBuyerFlowInMemory(t *testing.T) {
	buyerFlow(t, connectInMemory(t, newServer(t, newService(t), mcpserver.LocalOwner)))
}

func TestAdCPBuyerFlowOverStreamableHTTP(t *testing.T) {
	hs := httpServer(t, newServer(t, newService(t), ""))
	alice, err := connectHTTP(t, hs.URL+"/mcp", "token-alice")
	if err != nil {
		t.Fatal(err)
	}
	id := buyerFlow(t, alice)

	// Another token cannot see alice's buy.
	bob, err := connectHTTP(t, hs.URL+"/mcp", "token-bob")
	if err != nil {
		t.Fatal(err)
	}
	raw, isErr := adcpCall(t, bob, "get_media_buys", "media-buy/get-media-buys", map[string]any{"media_buy_ids": []string{id}})
	if !isErr || !strings.Contains(string(raw), "MEDIA_BUY_NOT_FOUND") {
		t.Errorf("bob reading alice's buy: %s", raw)
	}
	raw, _ = adcpCall(t, bob, "get_media_buys", "media-buy/get-media-buys", map[string]any{})
	if got := decodeInto[mcpserver.MediaBuysResponse](t, raw); len(got.MediaBuys) != 0 {
		t.Errorf("bob lists alice's buys: %s", raw)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
