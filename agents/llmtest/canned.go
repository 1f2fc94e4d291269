package llmtest

import "time"

// Now is the reference time the canned answers' dates are written for.
var Now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// NoiseBrief is a first brief the rules cannot read in full: they find an audience of
// parents (with low confidence) but neither the goal nor the market.
const NoiseBrief = "we'd like to make some noise among gen alpha's parents in the land of the rising sun"

// NoiseAnswers are correct answers for NoiseBrief, by marker: the router adds the goal,
// the goal is REACH and the audience is parents in Japan.
var NoiseAnswers = map[string]string{
	MarkerRouter:   `{"slots": ["goal"]}`,
	MarkerGoal:     `{"goal": {"objective": "REACH", "formats": [], "max_share": {}}}`,
	MarkerAudience: `{"audience": {"age_ranges": [{"min": 25, "max": 44}], "genders": [], "geo": {"countries": ["JP"], "regions": [], "cities": []}, "genres": [], "interests": ["parenting"], "platforms": [], "placements": [], "languages": []}}`,
	MarkerBudget:   `{"budget": null}`,
	MarkerSchedule: `{"schedule": null}`,
}

// ClearBrief is a first brief the rules read in full, every slot with confidence 1.
const ClearBrief = "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"

// ClearAnswers are correct answers for ClearBrief (read at Now), agreeing with the rules.
var ClearAnswers = map[string]string{
	MarkerRouter:   `{"slots": []}`,
	MarkerGoal:     `{"goal": {"objective": "REACH", "formats": [], "max_share": {}}}`,
	MarkerAudience: `{"audience": {"age_ranges": [{"min": 18, "max": 24}], "genders": [], "geo": {"countries": ["DE"], "regions": [], "cities": []}, "genres": [], "interests": [], "platforms": [], "placements": [], "languages": []}}`,
	MarkerBudget:   `{"budget": {"amount": 5000, "currency": "EUR", "type": "LIFETIME"}}`,
	MarkerSchedule: `{"schedule": {"start": "2026-11-23", "end": "2026-12-22", "days": 30}}`,
}

// ExtendFollowUp revises ClearBrief's flight; ExtendAnswer is the schedule answer to it.
const (
	ExtendFollowUp = "extend to 60 days"
	ExtendAnswer   = `{"schedule": {"start": "2026-11-23", "end": "2027-01-21", "days": 60}}`
)

// AnswerTexts sets a plain text reply for each marker in answers.
func (s *Server) AnswerTexts(answers map[string]string) {
	for m, text := range answers {
		s.AnswerText(m, text)
	}
}
