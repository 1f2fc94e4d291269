package bot

import (
	"strconv"
	"strings"
)

// Interactive elements under a plan. Every button carries the thread's id in its
// block's block_id ("adplan:<version>") and its value, so a press can be matched to
// the thread and version it was shown under.
const (
	// ActionFollowUp buttons ("adplan_follow_up:N") send the Nth quick revision
	// ("make it 30 days longer"), as if the text had been typed; the message is also
	// their value, for Slack's clients, but a press is acted on only when the value is
	// that preset.
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

// quickRevisionFor is the message of the follow-up button actionID
// ("adplan_follow_up:2"), and false for an id no plan message carries.
func quickRevisionFor(actionID string) (string, bool) {
	_, n, ok := strings.Cut(actionID, ":")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 1 || i > len(quickRevisions) {
		return "", false
	}
	return quickRevisions[i-1].Message, true
}
