package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/conversation/session"
)

// CapabilitiesResponse is get_adcp_capabilities' answer.
type CapabilitiesResponse struct {
	Envelope
	AdCP               AdCPSupport   `json:"adcp"`
	SupportedProtocols []string      `json:"supported_protocols"`
	MediaBuy           *MediaBuyCaps `json:"media_buy,omitempty"`
}

// AdCPSupport is the versions and idempotency adplan declares.
type AdCPSupport struct {
	MajorVersions     []int       `json:"major_versions"`
	SupportedVersions []string    `json:"supported_versions"`
	Idempotency       Idempotency `json:"idempotency"`
}

// Idempotency says how long a create_media_buy's idempotency key is honoured.
type Idempotency struct {
	Supported        bool `json:"supported"`
	ReplayTTLSeconds int  `json:"replay_ttl_seconds,omitempty"`
}

// MediaBuyCaps is what adplan's media-buy protocol supports.
type MediaBuyCaps struct {
	SupportedPricingModels []string `json:"supported_pricing_models"`
	BuyingModes            []string `json:"buying_modes"`
	CreativeApprovalMode   string   `json:"creative_approval_mode"`
}

// ProductsResponse is get_products' answer.
type ProductsResponse struct {
	Envelope
	Products []Product   `json:"products"`
	Errors   []AdCPError `json:"errors,omitempty"`
	// CacheScope is "account": products are planned for the caller's brief.
	CacheScope string       `json:"cache_scope"`
	Ext        *ProductsExt `json:"ext,omitempty"`
}

// ProductsExt carries adplan's own view of the answer: the thread the products were
// planned in, which revise_plan and get_plan read.
type ProductsExt struct {
	Adplan ProductsThread `json:"adplan"`
}

// ProductsThread names the thread and version behind a get_products answer.
type ProductsThread struct {
	Thread   string   `json:"thread"`
	Version  int      `json:"version"`
	Warnings []string `json:"warnings"`
	Unread   []string `json:"unread"`
}

// Product is one ad set of the plan, sold as an AdCP product.
type Product struct {
	ProductID           string              `json:"product_id"`
	Name                string              `json:"name"`
	Description         string              `json:"description"`
	PublisherProperties []PublisherProperty `json:"publisher_properties"`
	Channels            []string            `json:"channels"`
	FormatIDs           []FormatRef         `json:"format_ids"`
	DeliveryType        string              `json:"delivery_type"`
	PricingOptions      []PricingOption     `json:"pricing_options"`
	Forecast            ProductForecast     `json:"forecast"`
	ReportingCaps       ReportingCaps       `json:"reporting_capabilities"`
	BriefRelevance      string              `json:"brief_relevance"`
	AudioDistribution   []string            `json:"audio_distribution_types,omitempty"`
}

// PublisherProperty selects the publisher's properties a product runs on.
type PublisherProperty struct {
	PublisherDomain string `json:"publisher_domain"`
	SelectionType   string `json:"selection_type"`
}

// PricingOption is how a product is priced: a CPM auction, with the forecast's
// median CPM as guidance.
type PricingOption struct {
	PricingOptionID string        `json:"pricing_option_id"`
	PricingModel    string        `json:"pricing_model"`
	Currency        string        `json:"currency"`
	PriceGuidance   PriceGuidance `json:"price_guidance"`
}

// PriceGuidance is the CPM's median and 90th percentile in past campaigns like this
// one.
type PriceGuidance struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
}

// ProductForecast is what the product is forecast to deliver at its planned budget.
type ProductForecast struct {
	Method   string          `json:"method"`
	Currency string          `json:"currency"`
	Points   []ForecastPoint `json:"points"`
}

// ForecastPoint is the forecast at one budget.
type ForecastPoint struct {
	Budget  float64                  `json:"budget"`
	Metrics map[string]ForecastRange `json:"metrics"`
}

// ForecastRange is a forecast's conservative, expected and optimistic value.
type ForecastRange struct {
	Low  float64 `json:"low"`
	Mid  float64 `json:"mid"`
	High float64 `json:"high"`
}

// ReportingCaps is the reporting a product offers.
type ReportingCaps struct {
	AvailableReportingFrequencies []string `json:"available_reporting_frequencies"`
	ExpectedDelayMinutes          int      `json:"expected_delay_minutes"`
	Timezone                      string   `json:"timezone"`
	SupportsWebhooks              bool     `json:"supports_webhooks"`
	AvailableMetrics              []string `json:"available_metrics"`
	DateRangeSupport              string   `json:"date_range_support"`
}

// FormatsResponse is list_creative_formats' answer.
type FormatsResponse struct {
	Envelope
	Formats []Format    `json:"formats"`
	Errors  []AdCPError `json:"errors,omitempty"`
}

// MediaBuy is a media buy as create_media_buy and get_media_buys return it.
type MediaBuy struct {
	MediaBuyID string `json:"media_buy_id"`
	// Status is the buy's lifecycle: "pending_start" — it cannot start before a
	// person approves it, and even then adplan launches nothing itself.
	Status      string            `json:"status"`
	Currency    string            `json:"currency"`
	TotalBudget float64           `json:"total_budget"`
	StartTime   string            `json:"start_time,omitempty"`
	EndTime     string            `json:"end_time,omitempty"`
	ConfirmedAt *string           `json:"confirmed_at"`
	Revision    int               `json:"revision"`
	CreatedAt   string            `json:"created_at,omitempty"`
	Packages    []MediaBuyPackage `json:"packages"`
	Ext         MediaBuyExt       `json:"ext"`
}

// MediaBuyPackage is one booked product.
type MediaBuyPackage struct {
	PackageID       string  `json:"package_id"`
	ProductID       string  `json:"product_id"`
	PricingOptionID string  `json:"pricing_option_id"`
	Budget          float64 `json:"budget"`
}

// MediaBuyExt is adplan's own view of a buy: the plan version it made and whether a
// person approved it.
type MediaBuyExt struct {
	Adplan BuyState `json:"adplan"`
}

// BuyState says where a buy stands in adplan.
type BuyState struct {
	Thread   string `json:"thread"`
	Version  int    `json:"version"`
	Approval string `json:"approval"` // "pending" or "approved"
	// ApprovedBy and ApprovedAt say who approved the version and when.
	ApprovedBy string `json:"approved_by,omitempty"`
	ApprovedAt string `json:"approved_at,omitempty"`
}

// CreateMediaBuyResponse is create_media_buy's answer: a provisional buy
// (confirmed_at null) awaiting a person's approval, or errors.
type CreateMediaBuyResponse struct {
	Envelope
	MediaBuyID     string            `json:"media_buy_id,omitempty"`
	MediaBuyStatus string            `json:"media_buy_status,omitempty"`
	ConfirmedAt    *string           `json:"confirmed_at,omitempty"`
	Revision       int               `json:"revision,omitempty"`
	Currency       string            `json:"currency,omitempty"`
	TotalBudget    float64           `json:"total_budget,omitempty"`
	Packages       []MediaBuyPackage `json:"packages,omitempty"`
	Errors         []AdCPError       `json:"errors,omitempty"`
	Ext            *MediaBuyExt      `json:"ext,omitempty"`
}

// MarshalJSON writes confirmed_at as null on a success (AdCP requires the field) and
// leaves it out of an error.
func (r CreateMediaBuyResponse) MarshalJSON() ([]byte, error) {
	type plain CreateMediaBuyResponse
	b, err := json.Marshal(plain(r))
	if err != nil || r.MediaBuyID == "" || r.ConfirmedAt != nil {
		return b, err
	}
	return append(b[:len(b)-1], []byte(`,"confirmed_at":null}`)...), nil
}

// MediaBuysResponse is get_media_buys' answer.
type MediaBuysResponse struct {
	Envelope
	MediaBuys []MediaBuy  `json:"media_buys"`
	Errors    []AdCPError `json:"errors,omitempty"`
}

func (s *Server) addAdCPTools() {
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(false)}
	addAdCP(s, &mcp.Tool{
		Name:  "get_adcp_capabilities",
		Title: "AdCP: what this seller supports",
		Description: `AdCP (Ad Context Protocol) seller discovery: the AdCP versions, protocols (media_buy),
pricing models (cpm) and buying modes (brief) adplan supports, and how long an idempotency key
is honoured. Buying agents call it first.`,
		InputSchema:  looseObject(map[string]string{"adcp_version": "the buyer's AdCP release, e.g. 3.1", "protocols": "protocols to report on"}),
		OutputSchema: schemaFor[CapabilitiesResponse](),
		Annotations:  readOnly,
	}, s.capabilities)
	addAdCP(s, &mcp.Tool{
		Name:  "get_products",
		Title: "AdCP: products for a brief",
		Description: `AdCP get_products for buying agents: send a campaign brief ({"buying_mode": "brief",
"brief": "..."}), get Spotify ad products back: one per ad set of the plan adplan makes for the
brief (market, format, placement), each with a CPM auction pricing option (price guidance
from past campaigns' CPMs) and the forecast delivery at its planned budget. Example:
{"buying_mode": "brief", "brief": "reach 18-34 year olds in Germany and Austria, €20,000 in
March, audio and video", "brand": {"domain": "example.com"}}. The plan is kept in a thread
(ext.adplan.thread) that create_media_buy books from. For a person planning a campaign in
conversation, use plan_campaign instead.`,
		InputSchema: looseObject(map[string]string{
			"buying_mode": `"brief" (adplan plans the brief); "wholesale" and "refine" are not supported`,
			"brief":       "the campaign brief in plain language",
			"brand":       `the advertiser, {"domain": "example.com"}`,
			"context":     "echoed back unchanged",
		}),
		OutputSchema: schemaFor[ProductsResponse](),
		Annotations:  &mcp.ToolAnnotations{OpenWorldHint: new(false)},
	}, s.getProducts)
	addAdCP(s, &mcp.Tool{
		Name:  "list_creative_formats",
		Title: "AdCP: Spotify's creative formats",
		Description: `AdCP list_creative_formats: the creative formats Spotify ads take — audio, video and
image — with the assets each needs (the spot itself, a companion image, a logo, a tagline,
an optional 9:16 canvas) and their file types. Filter with format_ids, asset_types or
name_search.`,
		InputSchema: looseObject(map[string]string{
			"format_ids":  `formats to return, [{"agent_url": "...", "id": "spotify_audio"}]`,
			"asset_types": `only formats taking one of these asset types ("audio", "video", "image", "text")`,
			"name_search": "only formats whose name contains this",
		}),
		OutputSchema: schemaFor[FormatsResponse](),
		Annotations:  readOnly,
	}, s.listFormats)
	addAdCP(s, &mcp.Tool{
		Name:  "create_media_buy",
		Title: "AdCP: ask to book products",
		Description: `AdCP create_media_buy: ask to book products from get_products, with a budget per
package and the flight. adplan records it as a new version of the plan's thread — the
brief revised to the buy's total budget and flight, re-planned — awaiting a person's
approval: the buy comes back with confirmed_at null and nothing is spent, booked in Spotify
or published. Repeat a request with the same idempotency_key to get the same buy back.
Example packages: [{"product_id": "<from get_products>", "pricing_option_id": "cpm_auction",
"budget": 5000}].`,
		InputSchema: looseObject(map[string]string{
			"idempotency_key": "a fresh UUID per buy (16 to 255 of A-Z a-z 0-9 _ . : -)",
			"account":         `{"account_id": "..."} or {"brand": {...}, "operator": "..."}`,
			"brand":           `the advertiser, {"domain": "example.com"}`,
			"packages":        "the products to book: product_id, pricing_option_id, budget",
			"total_budget":    `{"amount": 10000, "currency": "EUR"} (default: the packages' sum)`,
			"start_time":      `"asap" or an ISO 8601 date-time`,
			"end_time":        "an ISO 8601 date-time",
			"context":         "echoed back unchanged",
		}),
		OutputSchema: schemaFor[CreateMediaBuyResponse](),
		Annotations:  &mcp.ToolAnnotations{OpenWorldHint: new(false), DestructiveHint: new(false), IdempotentHint: true},
	}, s.createMediaBuy)
	addAdCP(s, &mcp.Tool{
		Name:  "get_media_buys",
		Title: "AdCP: media buys and their approval",
		Description: `AdCP get_media_buys: the media buys asked for with create_media_buy, by id
(media_buy_ids), or all of yours this server has taken since it started when none are given.
Each says whether a person has approved it yet (confirmed_at is null until then).`,
		InputSchema: looseObject(map[string]string{
			"media_buy_ids": "the buys to return",
			"context":       "echoed back unchanged",
		}),
		OutputSchema: schemaFor[MediaBuysResponse](),
		Annotations:  readOnly,
	}, s.getMediaBuys)
}

// adcpResponse is what every AdCP tool answers: an envelope it can fail with.
type adcpResponse interface {
	envelope() *Envelope
	fail(e AdCPError)
}

func (e *Envelope) envelope() *Envelope { return e }

func (r *CapabilitiesResponse) fail(e AdCPError) {}
func (r *ProductsResponse) fail(e AdCPError) {
	r.Products, r.Errors, r.CacheScope = []Product{}, []AdCPError{e}, "account"
}
func (r *FormatsResponse) fail(e AdCPError)   { r.Formats, r.Errors = []Format{}, []AdCPError{e} }
func (r *MediaBuysResponse) fail(e AdCPError) { r.MediaBuys, r.Errors = []MediaBuy{}, []AdCPError{e} }
func (r *CreateMediaBuyResponse) fail(e AdCPError) {
	*r = CreateMediaBuyResponse{Envelope: r.Envelope, Errors: []AdCPError{e}}
}

// addAdCP registers an AdCP tool: its handler takes the raw arguments, and any error
// it returns becomes AdCP's error shape (status "failed", adcp_error and errors[],
// isError true), never the SDK's own.
func addAdCP[Out any, PO interface {
	*Out
	adcpResponse
}](s *Server, t *mcp.Tool, h func(ctx context.Context, owner string, args map[string]any, out PO) error) {
	mcp.AddTool(s.mcp, t, func(ctx context.Context, req *mcp.CallToolRequest, args map[string]any) (*mcp.CallToolResult, *Out, error) {
		out := PO(new(Out))
		env := out.envelope()
		env.AdCPVersion, env.Status = AdCPVersion, "completed"
		if c, ok := args["context"].(map[string]any); ok {
			env.Context = c
		}
		err := checkVersion(args)
		if err == nil {
			var owner string
			if owner, err = s.owner(req); err != nil {
				err = refuse(codeAuthMissing, "", "%v", err)
			} else {
				err = h(ctx, owner, args, out)
			}
		}
		if err == nil {
			return nil, (*Out)(out), nil
		}
		var re *requestError
		if !errors.As(err, &re) {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			s.opts.Logger.ErrorContext(ctx, "adcp tool failed", "tool", t.Name, "err", err)
			re = &requestError{AdCPError{Code: codeServiceUnavailable, Message: "adplan could not do that just now; try again shortly", Recovery: "transient"}}
		}
		env.Status, env.Message = "failed", re.Message
		env.AdCPError = &re.AdCPError
		out.fail(re.AdCPError)
		return &mcp.CallToolResult{IsError: true}, (*Out)(out), nil
	})
}

// checkVersion refuses a request pinned to another major version of AdCP.
func checkVersion(args map[string]any) error {
	v, ok := args["adcp_version"]
	if !ok {
		if m, ok := args["adcp_major_version"]; ok {
			if f, isNum := m.(float64); !isNum || f != 3 {
				return refuse(codeVersionUnsupported, "adcp_major_version", "adplan speaks AdCP 3 (release %s); got major version %v", AdCPVersion, m)
			}
		}
		return nil
	}
	s, isStr := v.(string)
	if !isStr || !versionPattern.MatchString(s) {
		return invalid("adcp_version", "adcp_version must be a release such as %q", AdCPVersion)
	}
	if !strings.HasPrefix(s, "3.") {
		return refuse(codeVersionUnsupported, "adcp_version", "adplan speaks AdCP %s; it cannot answer %s", AdCPVersion, s)
	}
	return nil
}

var versionPattern = regexp.MustCompile(`^\d+\.\d+(-[a-z0-9.]+)?$`)

// decode reads the arguments into v, naming the field that is the wrong type.
func decode(args map[string]any, v any) error {
	raw, err := json.Marshal(args)
	if err != nil {
		return invalid("", "the arguments are not JSON: %v", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return invalid(te.Field, "%s must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
		}
		return invalid("", "the arguments cannot be read: %v", err)
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	case "float64", "int":
		return "a number"
	case "bool":
		return "true or false"
	}
	return goKind
}

func (s *Server) capabilities(_ context.Context, _ string, args map[string]any, out *CapabilitiesResponse) error {
	out.AdCP = AdCPSupport{MajorVersions: []int{3}, SupportedVersions: []string{AdCPVersion}, Idempotency: Idempotency{Supported: false}}
	out.SupportedProtocols = []string{"media_buy"}
	// A key is honoured as long as the thread it booked lives; AdCP asks for at
	// least an hour and at most a week.
	if ttl := s.opts.ReplayTTL; ttl >= time.Hour {
		out.AdCP.Idempotency = Idempotency{Supported: true, ReplayTTLSeconds: int(min(ttl, 7*24*time.Hour) / time.Second)}
	}
	var req struct {
		Protocols []string `json:"protocols"`
	}
	if err := decode(args, &req); err != nil {
		return err
	}
	if len(req.Protocols) == 0 || contains(req.Protocols, "media_buy") {
		out.MediaBuy = &MediaBuyCaps{SupportedPricingModels: []string{"cpm"}, BuyingModes: []string{"brief"}, CreativeApprovalMode: "require_human"}
	}
	return nil
}

// getProductsRequest is the part of an AdCP get_products request adplan reads.
type getProductsRequest struct {
	BuyingMode string `json:"buying_mode"`
	Brief      string `json:"brief"`
	Brand      *struct {
		Domain string `json:"domain"`
	} `json:"brand"`
}

func (s *Server) getProducts(ctx context.Context, owner string, args map[string]any, out *ProductsResponse) error {
	var req getProductsRequest
	if err := decode(args, &req); err != nil {
		return err
	}
	switch req.BuyingMode {
	case "brief":
	case "wholesale", "refine":
		return refuse(codeUnsupportedFeature, "buying_mode", "adplan plans from a brief: buying_mode %q is not supported; send buying_mode \"brief\" with a brief", req.BuyingMode)
	case "":
		return invalid("buying_mode", `buying_mode is required: "brief", with the brief`)
	default:
		return invalid("buying_mode", `buying_mode must be "brief", "wholesale" or "refine", not %q`, req.BuyingMode)
	}
	if strings.TrimSpace(req.Brief) == "" {
		return invalid("brief", "buying_mode \"brief\" needs the brief: the campaign in plain language")
	}
	if req.Brand != nil && req.Brand.Domain == "" {
		return invalid("brand.domain", "brand needs its domain")
	}
	t, err := s.opts.Engine.Start(ctx, owner, req.Brief)
	if err != nil {
		if errors.Is(err, session.ErrUnreadable) {
			return invalid("brief", "adplan cannot read this brief: %s", t.Error)
		}
		return err
	}
	out.Products, out.CacheScope = []Product{}, "account"
	out.Ext = &ProductsExt{Adplan: ProductsThread{Thread: t.Thread, Version: t.Version, Warnings: nonNil(t.Warnings), Unread: nonNil(t.Unread)}}
	if t.Plan == nil {
		out.Message = "No products: adplan cannot plan this brief: " + t.PlanError
		return nil
	}
	out.Ext.Adplan.Warnings = append(out.Ext.Adplan.Warnings, t.Plan.Warnings...)
	for _, li := range t.Plan.LineItems {
		out.Products = append(out.Products, s.product(t.Thread, t.Version, *t.Plan, li))
	}
	p := t.Plan
	out.Message = fmt.Sprintf("%d Spotify products for %s over %d days (%s to %s), %s %s in all, planned for %s; forecasts from %d similar past campaigns.",
		len(out.Products), p.Objective, p.Flight.Days, p.Flight.Start, p.Flight.End, money.FormatAmount(p.Budget, p.Currency), p.Currency, p.Objective, p.Evidence.SimilarCampaigns)
	return nil
}

// pricingOptionID is the one way adplan's products are priced: a CPM auction.
const pricingOptionID = "cpm_auction"

// productID names a line item of a version of a thread: "<thread>.v<version>.<line item>".
func productID(thread string, version int, line string) string {
	return thread + ".v" + strconv.Itoa(version) + "." + line
}

// parseProductID splits a product id into its thread, version and line item.
func parseProductID(id string) (thread string, version int, line string, ok bool) {
	thread, rest, ok := strings.Cut(id, ".v")
	if !ok || !session.ValidID(thread) {
		return "", 0, "", false
	}
	v, line, ok := strings.Cut(rest, ".")
	n, err := strconv.Atoi(v)
	if !ok || err != nil || n < 1 || line == "" {
		return "", 0, "", false
	}
	return thread, n, line, true
}

func (s *Server) product(thread string, version int, p agents.Plan, li agents.LineItem) Product {
	f := li.Forecast
	metrics := map[string]ForecastRange{
		"impressions": rangeOf(f.Impressions.Low, f.Impressions.Mid, f.Impressions.High),
		"reach":       rangeOf(f.Reach.Low, f.Reach.Mid, f.Reach.High),
		"frequency":   {Low: round2(f.Frequency.Low), Mid: round2(f.Frequency.Mid), High: round2(f.Frequency.High)},
		"spend":       {Low: li.Budget, Mid: li.Budget, High: li.Budget},
	}
	switch f.Result.Metric {
	case "clicks":
		metrics["clicks"] = rangeOf(f.Result.Low, f.Result.Mid, f.Result.High)
	case "video_views", "views":
		metrics["views"] = rangeOf(f.Result.Low, f.Result.Mid, f.Result.High)
	}
	placements := strings.ToLower(strings.Join(li.Placements, " and "))
	format := strings.ToLower(li.Format)
	channel := "streaming_audio"
	if li.Format == "VIDEO" {
		channel = "olv"
	} else if li.Format == "IMAGE" {
		channel = "display"
	}
	pr := Product{
		ProductID: productID(thread, version, li.ID),
		Name:      fmt.Sprintf("Spotify %s ads in %s, %s", format, li.Market, placements),
		Description: fmt.Sprintf("Spotify %s ads to %s listeners in %s (%s placements), auction-priced by CPM. Planned at %s %s (%.0f%% of the plan) for %d days: "+
			"%s impressions (%s–%s), reach %s, CPM %s %s in similar past campaigns (%d of them).",
			format, agents.CompactCount(li.Audience), li.Market, placements, money.FormatAmount(li.Budget, p.Currency), p.Currency, li.Share*100, p.Flight.Days,
			agents.CompactCount(f.Impressions.Mid), agents.CompactCount(f.Impressions.Low), agents.CompactCount(f.Impressions.High),
			agents.CompactCount(f.Reach.Mid), money.FormatAmount(f.CPM.Mid, p.Currency), p.Currency, li.Evidence.Similar),
		PublisherProperties: []PublisherProperty{{PublisherDomain: "spotify.com", SelectionType: "all"}},
		Channels:            []string{channel},
		FormatIDs:           []FormatRef{{AgentURL: s.opts.AgentURL, ID: formatFor(li.Format)}},
		DeliveryType:        "non_guaranteed",
		PricingOptions: []PricingOption{{
			PricingOptionID: pricingOptionID, PricingModel: "cpm", Currency: p.Currency,
			PriceGuidance: PriceGuidance{P50: round2(f.CPM.Mid), P90: round2(f.CPM.High)},
		}},
		Forecast: ProductForecast{Method: "modeled", Currency: p.Currency, Points: []ForecastPoint{{Budget: li.Budget, Metrics: metrics}}},
		ReportingCaps: ReportingCaps{
			AvailableReportingFrequencies: []string{"daily"}, ExpectedDelayMinutes: 24 * 60, Timezone: "UTC",
			AvailableMetrics: []string{"impressions", "spend", "reach", "frequency", "clicks"}, DateRangeSupport: "date_range",
		},
		BriefRelevance: fmt.Sprintf("Ad set %s of the plan for this brief: %.0f%% of the budget, chosen for %s by forecast return.", li.ID, li.Share*100, p.Objective),
	}
	if li.Format == "AUDIO" {
		for _, pl := range li.Placements {
			switch pl {
			case "MUSIC":
				pr.AudioDistribution = append(pr.AudioDistribution, "music_streaming_service")
			case "PODCAST":
				pr.AudioDistribution = append(pr.AudioDistribution, "podcast")
			}
		}
	}
	return pr
}

func rangeOf(low, mid, high float64) ForecastRange {
	return ForecastRange{Low: math.Round(low), Mid: math.Round(mid), High: math.Round(high)}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func (s *Server) listFormats(_ context.Context, _ string, args map[string]any, out *FormatsResponse) error {
	var req struct {
		FormatIDs  []FormatRef `json:"format_ids"`
		AssetTypes []string    `json:"asset_types"`
		NameSearch string      `json:"name_search"`
	}
	if err := decode(args, &req); err != nil {
		return err
	}
	var ids []string
	for i, f := range req.FormatIDs {
		if f.ID == "" || f.AgentURL == "" {
			return invalid(fmt.Sprintf("format_ids[%d]", i), "a format id needs agent_url and id")
		}
		ids = append(ids, f.ID)
	}
	out.Formats = formatsMatching(spotifyFormats(s.opts.AgentURL), ids, req.AssetTypes, req.NameSearch)
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
