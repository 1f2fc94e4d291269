// Package forecast predicts what a line item will deliver — impressions,
// reach, frequency, CPM and the objective's own result, each as a low/mid/high
// range — from past campaigns, and says which of them back the prediction.
//
// Everything is learned from the history at load time (Fit); nothing about
// markets, prices or rates is written here. Predict only looks up what Fit
// precomputed and does arithmetic: no scan over the campaigns.
//
// # The model
//
// Three parts share one robust log-linear form (segment.go):
//
//	log y = segment + market + month + Σ β·x + region×segment + market×segment + ε
//
// where a segment is format × placement × objective. The segment, market and
// month effects are medians fitted alternately; each market's price level is
// learned from all its campaigns, so a market with few campaigns of one kind
// still carries its own level. The segment's deviation within a region and
// within the market are medians shrunk by n/(n+10): a market × segment with
// plenty of campaigns keeps its own level, a thin one backs off to its region
// and then to the segment across all markets. A segment that never ran backs
// off to the same format and objective on any placement, then (for prices and
// reach) the format and placement on any objective or (for rates) the
// objective on any format.
//
// The adjustments x are fitted by Huber-weighted least squares and kept only
// when the data shows them (|t| ≥ 4 and at least a 1% change per standard
// deviation); the month effects only when their χ² is far above noise. Model.
// Effects lists what was kept. The candidates are:
//   - audience narrowness: log(audience / the widest audience seen in the market);
//   - flight length: piecewise linear in log(days), knots at quantiles;
//   - budget: log(spend);
//   - date: years, so prices move with the history's trend; a query is priced
//     at its Query.Start clamped to the history's span, without one at the
//     newest campaign's date (no extrapolation past the data);
//   - month of the flight's middle day (seasonality), when Query.Start is set.
//
// The three parts:
//   - CPM. Impressions = budget / CPM × 1000. The flight-length slopes are
//     held ≥ −1 (a longer flight at the same budget never buys more per day)
//     and the budget slope < 1 (more budget always buys more impressions).
//   - Reach. reach = A·(1 − exp(−k·I/A)) for an audience of A people and I
//     impressions, so reach never exceeds the audience and doubling the budget
//     does not double reach. Each past campaign's k is recovered by inverting
//     the curve (campaigns that reached 98% or more of their audience are left
//     out: there the inversion turns rounding into noise), and log k gets the
//     same model plus "pressure", a piecewise-linear function of log(I/A) with
//     slopes in [−0.9, 0], which lets the curve bend as the history does while
//     keeping reach growing and frequency rising with budget. Reach is also
//     capped at the impressions; frequency = impressions / reach.
//   - Result. REACH and EVEN_IMPRESSION_DELIVERY are judged by reach itself;
//     every other objective by its own result per impression (clicks,
//     video completions, streams, installs, leads, conversions), a model per
//     objective.
//
// # Ranges
//
// Low and high are the 10th and 90th percentiles of the residuals of the
// narrowest cell with at least 30 campaigns (market × segment, region ×
// segment, segment, then wider), widened by √(1+1/n): wide where data is thin.
// Impressions take the CPM's range; reach and results combine the CPM's range
// with their own in quadrature (they are products on the log scale).
// Every range has Low ≤ Mid ≤ High.
//
// # Evidence
//
// Similar campaigns share the objective, market, format, placement, budget
// band (decades: <1k, 1k–10k, 10k–100k, 100k–1M, >1M USD), overlapping
// ages and, for a query targeting one gender, that gender. While fewer than 30
// match, the match widens in order: any budget band, any gender, any ages, the market's region, any placement, all markets, any format; each
// step is listed in Evidence.Widened. Counts come from an index built by Fit
// (two binary searches for the age overlap).
//
// Regions come from Options.Region; without one, Fit groups the markets by
// their price level (median CPM relative to their segments) into tiers of
// about eight markets, named "CPM tier i of n".
//
// # Frequency caps
//
// Every forecast runs under frequency caps: the query's, or Spotify's defaults
// (5 a day, 35 a week, 50 a month). FlightFrequency turns them into the most
// impressions one listener can get over the flight; past it, impressions go
// to more of the audience, and what the whole audience cannot take at the cap
// is not delivered (Prediction.CappedImpressions).
//
// # Season
//
// Model.Season says what the history shows about CPMs in the month a flight is
// centred on: each campaign's log CPM less its market × segment median, the
// month's median against the year's, in the market when its own campaigns
// show a difference (at least 3% and three standard errors), else across all
// markets, and whether the forecast's month effects price it in.
//
// # Accuracy
//
// Evaluate fits on a seeded share of the history and scores the rest against
// a naive baseline (the market's median CPM, and the objective's global median
// result per impression); TestHoldoutBeatsBaseline runs it on the default
// history with 20% held out.
package forecast
