package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
)

// createMediaBuyRequest is the part of an AdCP create_media_buy request adplan reads.
type createMediaBuyRequest struct {
	IdempotencyKey string         `json:"idempotency_key"`
	Account        map[string]any `json:"account"`
	Brand          *struct {
		Domain string `json:"domain"`
	} `json:"brand"`
	ProposalID  string `json:"proposal_id"`
	TotalBudget *struct {
		Amount   *float64 `json:"amount"`
		Currency string   `json:"currency"`
	} `json:"total_budget"`
	Packages []struct {
		ProductID       string   `json:"product_id"`
		PricingOptionID string   `json:"pricing_option_id"`
		Budget          *float64 `json:"budget"`
	} `json:"packages"`
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"`
}

var idempotencyKey = regexp.MustCompile(`^[A-Za-z0-9_.:-]{16,255}$`)

// buyRequest is a create_media_buy request checked: the thread it books from and what
// it asks for.
type buyRequest struct {
	createMediaBuyRequest
	thread     string
	version    int
	total      float64
	start, end time.Time // start zero: as soon as possible
}

func (s *Server) checkBuy(args map[string]any) (buyRequest, error) {
	var r buyRequest
	if err := decode(args, &r.createMediaBuyRequest); err != nil {
		return r, err
	}
	switch {
	case r.IdempotencyKey == "":
		return r, invalid("idempotency_key", "idempotency_key is required: a fresh UUID for each buy")
	case !idempotencyKey.MatchString(r.IdempotencyKey):
		return r, invalid("idempotency_key", "idempotency_key must be 16 to 255 of A-Z, a-z, 0-9, _ . : -")
	case r.Account == nil:
		return r, invalid("account", `account is required: {"account_id": "..."} or {"brand": {"domain": "..."}, "operator": "..."}`)
	case !validAccount(r.Account):
		return r, invalid("account", `account needs account_id, or brand and operator`)
	case r.Brand == nil || r.Brand.Domain == "":
		return r, invalid("brand.domain", `brand is required: {"domain": "example.com"}`)
	case r.ProposalID != "":
		return r, refuse(codeProposalNotFound, "proposal_id", "adplan makes no proposals: book products from get_products with packages")
	case len(r.Packages) == 0:
		return r, invalid("packages", "packages are required: the products from get_products to book, each with pricing_option_id and budget")
	case r.EndTime == "":
		return r, invalid("end_time", "end_time is required: an ISO 8601 date-time")
	case r.StartTime == "":
		return r, invalid("start_time", `start_time is required: "asap" or an ISO 8601 date-time`)
	}
	var err error
	if r.StartTime != "asap" {
		if r.start, err = time.Parse(time.RFC3339, r.StartTime); err != nil {
			return r, invalid("start_time", `start_time must be "asap" or an ISO 8601 date-time such as 2027-01-04T00:00:00Z`)
		}
	}
	if r.end, err = time.Parse(time.RFC3339, r.EndTime); err != nil {
		return r, invalid("end_time", "end_time must be an ISO 8601 date-time such as 2027-01-31T23:59:59Z")
	}
	if !r.start.IsZero() && !r.end.After(r.start) {
		return r, invalid("end_time", "end_time must be after start_time")
	}
	for i, p := range r.Packages {
		field := fmt.Sprintf("packages[%d]", i)
		thread, version, _, ok := parseProductID(p.ProductID)
		switch {
		case p.ProductID == "":
			return r, invalid(field+".product_id", "each package needs the product_id get_products gave")
		case p.PricingOptionID == "":
			return r, invalid(field+".pricing_option_id", "each package needs pricing_option_id (%q)", pricingOptionID)
		case p.Budget == nil:
			return r, invalid(field+".budget", "each package needs a budget")
		case *p.Budget < 0 || math.IsInf(*p.Budget, 0) || math.IsNaN(*p.Budget):
			return r, invalid(field+".budget", "a budget cannot be negative")
		case !ok:
			return r, refuse(codeProductNotFound, field+".product_id", "there is no product %q: product ids come from get_products", p.ProductID)
		case r.thread != "" && (thread != r.thread || version != r.version):
			return r, invalid(field+".product_id", "one buy books products of one get_products answer; %q is from another", p.ProductID)
		case p.PricingOptionID != pricingOptionID:
			return r, refuse(codeInvalidPricing, field+".pricing_option_id", "adplan's products are priced by %q, not %q", pricingOptionID, p.PricingOptionID)
		}
		r.thread, r.version = thread, version
		r.total += *p.Budget
	}
	if tb := r.TotalBudget; tb != nil {
		switch {
		case tb.Amount == nil || tb.Currency == "":
			return r, invalid("total_budget", "total_budget needs amount and currency")
		case *tb.Amount < 0:
			return r, invalid("total_budget.amount", "a budget cannot be negative")
		}
		r.total = *tb.Amount
	}
	if r.total <= 0 {
		return r, invalid("packages", "the buy has no budget: give the packages budgets")
	}
	return r, nil
}

func validAccount(a map[string]any) bool {
	if id, ok := a["account_id"].(string); ok && id != "" {
		return true
	}
	_, brand := a["brand"].(map[string]any)
	op, _ := a["operator"].(string)
	return brand && op != ""
}

// errBooked carries the booking an idempotency key already made.
type errBooked struct{ b conversation.Booking }

func (errBooked) Error() string { return "booked before" }

func (s *Server) createMediaBuy(ctx context.Context, owner string, args map[string]any, out *CreateMediaBuyResponse) error {
	r, err := s.checkBuy(args)
	if err != nil {
		return err
	}
	th, err := s.opts.Engine.Thread(ctx, owner, r.thread)
	if errors.Is(err, session.ErrNotFound) {
		return refuse(codeProductNotFound, "packages[0].product_id", "there is no product %q for you: get_products again", r.Packages[0].ProductID)
	} else if err != nil {
		return err
	}
	if b := th.BookingByKey(r.IdempotencyKey); b != nil {
		return s.answerBuy(th, *b, true, out)
	}
	if r.version > len(th.Versions) || th.Versions[r.version-1].Plan == nil {
		return refuse(codeProductNotFound, "packages[0].product_id", "the products of %q are gone: get_products again", r.Packages[0].ProductID)
	}
	plan := th.Versions[r.version-1].Plan
	for i, p := range r.Packages {
		_, _, line, _ := parseProductID(p.ProductID)
		if !slices.ContainsFunc(plan.LineItems, func(li agents.LineItem) bool { return li.ID == line }) {
			return refuse(codeProductNotFound, fmt.Sprintf("packages[%d].product_id", i), "there is no product %q: product ids come from get_products", p.ProductID)
		}
	}
	if tb := r.TotalBudget; tb != nil && tb.Currency != plan.Currency {
		return invalid("total_budget.currency", "the products are priced in %s, not %s", plan.Currency, tb.Currency)
	}

	// The buy becomes a version of the thread: the brief revised to its budget and
	// flight, planned again by the same engine.
	start := r.start
	if start.IsZero() {
		start = s.opts.Now()
	}
	last := r.end.Add(-time.Second)
	msg := fmt.Sprintf("budget %s %s from %s to %s", strconv.FormatFloat(math.Round(r.total*100)/100, 'f', -1, 64), plan.Currency,
		start.UTC().Format("2006-01-02"), last.UTC().Format("2006-01-02"))
	turn, err := s.opts.Engine.Say(ctx, owner, r.thread, msg)
	if err != nil {
		return err
	}
	if turn.Error != "" {
		return invalid("", "adplan cannot plan this buy: %s", turn.Error)
	}
	if turn.Plan == nil {
		return invalid("", "adplan cannot plan this buy: %s", turn.PlanError)
	}
	var booked conversation.Booking
	th, err = s.opts.Engine.Update(ctx, owner, r.thread, func(th *conversation.Thread) error {
		if b := th.BookingByKey(r.IdempotencyKey); b != nil {
			return errBooked{*b}
		}
		booked = conversation.Booking{
			ID: r.thread + ".b" + strconv.Itoa(len(th.Bookings)+1), Version: turn.Version, By: owner, At: s.opts.Now().UTC(),
			IdempotencyKey: r.IdempotencyKey, Brand: r.Brand.Domain, Currency: plan.Currency, Budget: r.total,
			Start: r.StartTime, End: r.EndTime,
		}
		for i, p := range r.Packages {
			booked.Packages = append(booked.Packages, conversation.BookedPackage{
				ID: booked.ID + ".p" + strconv.Itoa(i+1), ProductID: p.ProductID, PricingOptionID: p.PricingOptionID, Budget: *p.Budget,
			})
		}
		th.Bookings = append(th.Bookings, booked)
		return nil
	})
	var again errBooked
	if errors.As(err, &again) {
		t, lerr := s.opts.Engine.Thread(ctx, owner, r.thread)
		if lerr != nil {
			return lerr
		}
		return s.answerBuy(t, again.b, true, out)
	}
	if err != nil {
		return err
	}
	s.remember(owner, booked.ID)
	return s.answerBuy(th, booked, false, out)
}

// answerBuy fills create_media_buy's answer for booking b of th.
func (s *Server) answerBuy(th *conversation.Thread, b conversation.Booking, replayed bool, out *CreateMediaBuyResponse) error {
	mb := mediaBuy(th, b)
	out.Replayed = replayed
	out.MediaBuyID, out.MediaBuyStatus, out.Revision = mb.MediaBuyID, mb.Status, mb.Revision
	out.Currency, out.TotalBudget, out.Packages, out.Ext = mb.Currency, mb.TotalBudget, mb.Packages, &mb.Ext
	out.ConfirmedAt = mb.ConfirmedAt
	out.Message = fmt.Sprintf("Recorded as version %d of plan thread %s (%s %s): it awaits a person's approval. Nothing is booked in Spotify, spent or published until then, and a person launches the campaign.",
		b.Version, mb.Ext.Adplan.Thread, money.FormatAmount(b.Budget, b.Currency), b.Currency)
	return nil
}

// mediaBuy describes booking b of th as AdCP does.
func mediaBuy(th *conversation.Thread, b conversation.Booking) MediaBuy {
	thread, _, _ := strings.Cut(b.ID, ".b")
	mb := MediaBuy{
		MediaBuyID: b.ID, Status: "pending_start", Currency: b.Currency, TotalBudget: b.Budget,
		EndTime: b.End, Revision: 1, CreatedAt: b.At.UTC().Format(time.RFC3339), Packages: []MediaBuyPackage{},
		Ext: MediaBuyExt{Adplan: BuyState{Thread: thread, Version: b.Version, Approval: "pending"}},
	}
	if b.Start != "asap" {
		mb.StartTime = b.Start
	}
	for _, p := range b.Packages {
		mb.Packages = append(mb.Packages, MediaBuyPackage{PackageID: p.ID, ProductID: p.ProductID, PricingOptionID: p.PricingOptionID, Budget: p.Budget})
	}
	if a := th.Approved(b.Version); a != nil {
		at := a.At.UTC().Format(time.RFC3339)
		mb.ConfirmedAt = &at
		mb.Ext.Adplan.Approval, mb.Ext.Adplan.ApprovedBy, mb.Ext.Adplan.ApprovedAt = "approved", a.User, at
	}
	return mb
}

// remember indexes a buy under its owner for get_media_buys without ids.
func (s *Server) remember(owner, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.buys[owner], id) {
		s.buys[owner] = append(s.buys[owner], id)
	}
}

func (s *Server) getMediaBuys(ctx context.Context, owner string, args map[string]any, out *MediaBuysResponse) error {
	var req struct {
		MediaBuyIDs []string `json:"media_buy_ids"`
	}
	if err := decode(args, &req); err != nil {
		return err
	}
	ids := req.MediaBuyIDs
	if ids == nil {
		s.mu.Lock()
		ids = slices.Clone(s.buys[owner])
		s.mu.Unlock()
	}
	out.MediaBuys = []MediaBuy{}
	threads := map[string]*conversation.Thread{}
	for i, id := range ids {
		thread, _, ok := strings.Cut(id, ".b")
		th, seen := threads[thread]
		if ok && !seen && session.ValidID(thread) {
			var err error
			th, err = s.opts.Engine.Thread(ctx, owner, thread)
			if err != nil && !errors.Is(err, session.ErrNotFound) {
				return err
			}
			threads[thread] = th
		}
		var b *conversation.Booking
		if th != nil {
			b = th.Booking(id)
		}
		if b == nil {
			if req.MediaBuyIDs == nil {
				continue // forgotten with its thread
			}
			return refuse(codeMediaBuyNotFound, fmt.Sprintf("media_buy_ids[%d]", i), "there is no media buy %q for you", id)
		}
		out.MediaBuys = append(out.MediaBuys, mediaBuy(th, *b))
	}
	return nil
}
