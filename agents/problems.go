package agents

import "slices"

// Problems lists what is wrong or contradictory in the brief as stated, in words for
// the user. The brief keeps what was said; surfaces show these beside it so nothing
// questionable is accepted silently.
func (b Brief) Problems() []string {
	var p []string
	if b.Budget != nil {
		p = append(p, BudgetProblems(*b.Budget)...)
	}
	if s := b.Schedule; s != nil && !s.Start.IsZero() && !s.End.IsZero() && s.End.Before(s.Start) {
		p = append(p, "The flight ends ("+s.End.String()+") before it starts ("+s.Start.String()+").")
	}
	if g := b.Goal; g != nil && g.Objective == ObjectiveVideoViews && len(g.Formats) > 0 && !slices.Contains(g.Formats, FormatVideo) {
		p = append(p, "The objective is video views, but video is not an allowed format.")
	}
	if a := b.Audience; a != nil {
		for _, r := range a.AgeRanges {
			if r.Min < 18 {
				p = append(p, "The audience includes people under 18; advertising to minors is restricted.")
				break
			}
		}
	}
	return p
}
