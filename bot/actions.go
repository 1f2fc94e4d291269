package bot

// Interactive elements under a plan. Every button carries the thread's id in its
// block's block_id ("adplan:<version>") and its value, so a press can be matched to
// the thread and version it was shown under.
const (
	// ActionFollowUp buttons carry a follow-up message as their value ("make it 30
	// days longer"); pressing one revises the plan as if the text had been typed.
	ActionFollowUp = "adplan_follow_up"
	// ActionShowAssumptions answers with the plan's assumptions, changing nothing.
	ActionShowAssumptions = "adplan_show_assumptions"
	// ActionApprove records the presser's approval of the version in the thread.
	ActionApprove = "adplan_approve"
)

// quickRevisions are the follow-ups planners ask for most, as button label and the
// message a press sends.
var quickRevisions = []struct{ Label, Message string }{
	{"+30 days", "make it 30 days longer"},
	{"+20% budget", "increase the budget by 20%"},
	{"Audio only", "audio only"},
}
