package conversation

import (
	"slices"
	"time"
)

// Booking is a buying agent's request to book one version of a thread's plan (an AdCP
// create_media_buy). It books nothing by itself: it waits until a person approves that
// version (an Approval with its number), and even then adplan spends and publishes
// nothing — a person launches the campaign.
type Booking struct {
	// ID is the media buy's id, as the agent quotes it back.
	ID string `json:"id"`
	// Version is the version of the thread the booking asks for.
	Version int `json:"version"`
	// By is who asked: the API token's name ("local" over stdio).
	By string    `json:"by"`
	At time.Time `json:"at"`
	// IdempotencyKey is the agent's key for the request; the same key again returns
	// this booking instead of making another.
	IdempotencyKey string `json:"idempotency_key"`
	// Brand is the advertiser's domain as the agent named it.
	Brand    string  `json:"brand,omitempty"`
	Currency string  `json:"currency"`
	Budget   float64 `json:"budget"`
	// Start and End are the flight as the agent asked for it (RFC 3339, or "asap").
	Start    string          `json:"start"`
	End      string          `json:"end"`
	Packages []BookedPackage `json:"packages"`
}

// BookedPackage is one product of a booking, with the budget the agent gave it.
type BookedPackage struct {
	ID              string  `json:"id"`
	ProductID       string  `json:"product_id"`
	PricingOptionID string  `json:"pricing_option_id"`
	Budget          float64 `json:"budget"`
}

// Booking returns the booking with id, or nil.
func (t *Thread) Booking(id string) *Booking {
	i := slices.IndexFunc(t.Bookings, func(b Booking) bool { return b.ID == id })
	if i < 0 {
		return nil
	}
	return &t.Bookings[i]
}

// BookingByKey returns the booking made with idempotency key, or nil.
func (t *Thread) BookingByKey(key string) *Booking {
	i := slices.IndexFunc(t.Bookings, func(b Booking) bool { return b.IdempotencyKey == key })
	if i < 0 {
		return nil
	}
	return &t.Bookings[i]
}

// Approved returns the approval of version n, or nil while it awaits one.
func (t *Thread) Approved(n int) *Approval {
	i := slices.IndexFunc(t.Approvals, func(a Approval) bool { return a.Version == n })
	if i < 0 {
		return nil
	}
	return &t.Approvals[i]
}
