package mcpserver

import (
	"fmt"

	"github.com/google/jsonschema-go/jsonschema"
)

var sprintf = fmt.Sprintf

// AdCPVersion is the AdCP release adplan speaks (schemas 3.1.9).
const AdCPVersion = "3.1"

// Envelope is the part of every AdCP response that says how the task went. On MCP
// it sits at the root of the tool's structured content, beside the task's own
// fields.
type Envelope struct {
	AdCPVersion string `json:"adcp_version"`
	// Status is the task's status: "completed", or "failed" with AdCPError.
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
	// Replayed says the response is the one an earlier request with the same
	// idempotency key got.
	Replayed  bool       `json:"replayed,omitempty"`
	AdCPError *AdCPError `json:"adcp_error,omitempty"`
	// Context is the request's context, echoed unchanged.
	Context map[string]any `json:"context,omitempty"`
}

// AdCPError is AdCP's error shape.
type AdCPError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field is the request field at fault, as a JSON path ("packages[0].budget").
	Field      string `json:"field,omitempty"`
	Suggestion string `json:"suggestion,omitempty"`
	// Recovery is "correctable" (fix the request), "transient" (try again) or
	// "terminal".
	Recovery string `json:"recovery,omitempty"`
}

// AdCP error codes adplan sends (AdCP's standard vocabulary).
const (
	codeInvalidRequest     = "INVALID_REQUEST"
	codeUnsupportedFeature = "UNSUPPORTED_FEATURE"
	codeVersionUnsupported = "VERSION_UNSUPPORTED"
	codeProductNotFound    = "PRODUCT_NOT_FOUND"
	codeProposalNotFound   = "PROPOSAL_NOT_FOUND"
	codeMediaBuyNotFound   = "MEDIA_BUY_NOT_FOUND"
	codeInvalidPricing     = "INVALID_PRICING_OPTION"
	codeAuthMissing        = "AUTH_MISSING"
	codeServiceUnavailable = "SERVICE_UNAVAILABLE"
	codeConflict           = "CONFLICT"
)

// requestError is a request adplan refuses, with AdCP's words for why.
type requestError struct{ AdCPError }

func (e *requestError) Error() string { return e.Code + ": " + e.Message }

func invalid(field, format string, args ...any) *requestError {
	return refuse(codeInvalidRequest, field, format, args...)
}

func refuse(code, field, format string, args ...any) *requestError {
	return &requestError{AdCPError{Code: code, Field: field, Message: sprintf(format, args...), Recovery: "correctable"}}
}

// looseObject is the input schema of the AdCP tools: any object, its fields only
// described. The tools check requests themselves so that a bad one gets AdCP's error
// shape (the SDK's own check would answer in its own words); the AdCP schema of the
// task is the contract.
func looseObject(fields map[string]string) *jsonschema.Schema {
	props := map[string]*jsonschema.Schema{}
	for name, desc := range fields {
		props[name] = &jsonschema.Schema{Description: desc}
	}
	return &jsonschema.Schema{Type: "object", Properties: props}
}
