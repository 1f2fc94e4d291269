package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
)

// exampleBriefs are briefs adplan reads completely, for the help and for replies to
// messages it cannot read.
var exampleBriefs = []string{
	"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
	"podcast streams in the UK for 25-44 year olds, £8,000 from March 1 to March 31, audio only",
	"app installs on iOS in the US, $200 a day for two weeks starting December 1",
}

// exampleRevisions are follow-ups adplan reads as revisions of a plan.
var exampleRevisions = []string{"extend to 60 days", "make it 8k", "add Austria", "no video"}

// slotTasks names what each specialist does, as the progress message shows it.
var slotTasks = map[agents.Slot]string{
	agents.SlotGoal:     "Reading the goal",
	agents.SlotAudience: "Reading the audience",
	agents.SlotBudget:   "Reading the budget",
	agents.SlotSchedule: "Reading the dates",
}

// ProgressMessage shows the bot at work on a message: a plan block with a task card
// per specialist that runs (complete once done[slot], in progress before) and one
// for making the plan (in progress once planning, pending before). With no slots
// yet (the message is still being routed) there is one card, "Reading your message".
// A context line below says the same in text, for clients that do not render plan
// blocks. Its block ids are left to Slack, as chat.update wants new ones each time.
func ProgressMessage(slots []agents.Slot, done map[agents.Slot]bool, planning bool) ([]slack.Block, string) {
	type task struct {
		id, title string
		status    slack.TaskCardStatus
	}
	var tasks []task
	if len(slots) == 0 {
		st := slack.TaskCardStatusInProgress
		if planning {
			st = slack.TaskCardStatusComplete
		}
		tasks = append(tasks, task{"read", "Reading your message", st})
	}
	for _, s := range slots {
		title, ok := slotTasks[s]
		if !ok {
			title = "Reading the " + string(s)
		}
		st := slack.TaskCardStatusInProgress
		if done[s] {
			st = slack.TaskCardStatusComplete
		}
		tasks = append(tasks, task{"slot_" + string(s), title, st})
	}
	planStatus := slack.TaskCardStatusPending
	if planning {
		planStatus = slack.TaskCardStatusInProgress
	}
	tasks = append(tasks, task{"plan", "Planning", planStatus})

	title := "Reading your message"
	if planning {
		title = "Making the plan"
	}
	cards := make([]*slack.TaskCardBlock, len(tasks))
	marks := make([]string, len(tasks))
	for i, t := range tasks {
		cards[i] = slack.NewTaskCardBlock(t.id, t.title).WithStatus(t.status)
		switch t.status {
		case slack.TaskCardStatusComplete:
			marks[i] = ":white_check_mark: " + t.title
		case slack.TaskCardStatusInProgress:
			marks[i] = ":hourglass_flowing_sand: " + t.title + "…"
		default:
			marks[i] = ":white_circle: " + t.title
		}
	}
	blocks := []slack.Block{
		slack.NewPlanBlock(title).WithTasks(cards...),
		mrkdwnContext(strings.Join(marks, "   ")),
	}
	return blocks, title + "…"
}

// HelpMessage is the ephemeral guide for "/adplan" and "/adplan help": what adplan
// does, how to revise a plan in its thread, and three example briefs.
func HelpMessage() ([]slack.Block, string) {
	var ex []string
	for _, b := range exampleBriefs {
		ex = append(ex, "• `/adplan "+escape(b)+"`")
	}
	blocks := []slack.Block{
		mrkdwnSection("*adplan* turns a campaign brief into a Spotify Ads media plan in seconds: the budget split into ad sets, " +
			"forecast impressions, reach and results, and the past campaigns the forecasts rest on.\n" +
			"Send a brief with `/adplan &lt;brief&gt;`, by mentioning @adplan in a channel, or in a direct message."),
		mrkdwnSection("*Revising a plan:* reply in its thread — " + quoted(exampleRevisions) +
			" — and I post the next version with what changed. The buttons under each plan make the most common changes; " +
			"*Looks good* records your approval."),
		mrkdwnSection("*Try one of these:*\n" + strings.Join(ex, "\n")),
		mrkdwnContext("A brief says what you want to achieve, for whom, with what budget and when. Anything left out is assumed, labelled, and asked about."),
	}
	return blocks, "adplan turns a campaign brief into a media plan. Try: /adplan " + exampleBriefs[0]
}

// UnreadableMessage is the reply to a message adplan could not read: what it needs,
// with examples, chosen by why (agents.ErrEmpty, ErrTooLong, ErrNotText,
// ErrNothingRead, conversation.ErrNoChange). followUp says whether the message was a
// reply to a plan (examples of revisions) or a first brief (an example brief). The
// error's own text is never shown.
func UnreadableMessage(err error, followUp bool) string {
	need := "Tell me the goal, who to reach, the budget and the dates — for example: “" + exampleBriefs[0] + "”."
	if followUp {
		need = "Say what to change, for example " + quoted(exampleRevisions) + "."
	}
	switch {
	case errors.Is(err, agents.ErrEmpty):
		if followUp {
			return "That message was empty. " + need
		}
		return "Send me a campaign brief and I'll plan it. " + need
	case errors.Is(err, agents.ErrTooLong):
		return "That is longer than I read in one message. Send just the brief, in a few sentences. " + need
	case errors.Is(err, agents.ErrNotText):
		return "I can only read plain text, and that didn't look like any. " + need
	case errors.Is(err, conversation.ErrNoChange):
		return "That doesn't change the brief, so the plan stays as it is. " + need
	case errors.Is(err, agents.ErrNothingRead):
		lang := ""
		if l := lookedLike(err.Error()); l != "" {
			lang = " It looks like " + l + "; I read briefs in English."
		}
		if followUp {
			return "I couldn't tell what to change in the plan." + lang + " " + need
		}
		return "I couldn't find a campaign brief in that." + lang + " " + need
	default:
		return "Something went wrong while I was reading that. Please try again in a moment."
	}
}

// lookedLike finds the language the coordinator guessed ("it looks like German, and
// adplan reads briefs in English"), or "".
func lookedLike(msg string) string {
	_, rest, ok := strings.Cut(msg, "it looks like ")
	if !ok {
		return ""
	}
	lang, _, ok := strings.Cut(rest, ", and adplan reads")
	if !ok || len(lang) > 40 {
		return ""
	}
	return lang
}

// quoted writes “a”, “b”, “c”.
func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "“" + escape(s) + "”"
	}
	return strings.Join(q, ", ")
}

// ProgressDoneMessage is what the progress message becomes once the work is over: one
// line saying which specialists read the message and how long it took, so the thread
// keeps a short trace instead of a stale "working" card.
func ProgressDoneMessage(slots []agents.Slot, took time.Duration, planned bool) ([]slack.Block, string) {
	text := fmt.Sprintf(":white_check_mark: Read by %s in %s.", agents.SlotList(slots), took.Round(time.Millisecond))
	if !planned {
		text = ":speech_balloon: Nothing to plan from that message."
	}
	return []slack.Block{slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, false))}, text
}
