// Package bot is adplan's Slack surface: it renders what the engine decided as Block
// Kit. It plans nothing itself.
package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Block Kit limits (docs.slack.dev/reference/block-kit): a message holds at most 50
// blocks; a text object at most 3000 characters; a section at most 10 fields of at
// most 2000 characters; a header at most 150; a button's text 75 and its value 2000;
// a table (one per message) at most 100 rows of 20 cells.
const (
	maxBlocks          = 50
	maxTextChars       = 3000
	maxSectionFields   = 10
	maxFieldChars      = 2000
	maxHeaderChars     = 150
	maxButtonTextChars = 75
	maxValueChars      = 2000
	maxTableRows       = 100
	maxTableColumns    = 20
	// maxListLines is how many entries of a list (assumptions, warnings, changes) a
	// plan message shows before "… and N more"; maxTableItems is the same for the
	// table's line items. Together they keep a plan message a few kilobytes long.
	maxListLines  = 8
	maxTableItems = 20
	// maxBriefFieldChars bounds each field of the brief and maxEvidenceChars the
	// evidence line (a context element takes 3,000): both are far shorter in any real plan.
	maxBriefFieldChars = 1000
	maxEvidenceChars   = 2000
	// maxFallbackChars bounds the plain-text fallback, which Slack shows in
	// notifications: one line is all anyone reads there.
	maxFallbackChars = 300
)

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clip(s, maxHeaderChars), false, false)
}

func markdown(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

// mrkdwnSection is a section of one mrkdwn text, clipped to Slack's limit.
func mrkdwnSection(s string) *slack.SectionBlock {
	return slack.NewSectionBlock(markdown(clip(s, maxTextChars)), nil, nil)
}

// mrkdwnContext is a context block of one mrkdwn text, clipped to Slack's limit.
func mrkdwnContext(s string) *slack.ContextBlock {
	return slack.NewContextBlock("", markdown(clip(s, maxTextChars)))
}

// escape keeps user text from being read as Slack markup (links, mentions).
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escape(s string) string { return escaper.Replace(s) }

// clip cuts s to at most n characters, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// listText writes a titled list, one line per entry, within maxTextChars: at most
// max entries (each clipped to a share of the limit), then "… and N more" and hint.
// Entries are written as given: escape user text before.
func listText(title string, lines []string, max int, hint string) string {
	var b strings.Builder
	b.WriteString(title)
	perLine := maxTextChars / 8
	shown := 0
	for _, l := range lines {
		l = clip(l, perLine)
		// Leave room for the "… and N more" line.
		if shown == max || utf8.RuneCountInString(b.String())+utf8.RuneCountInString(l)+1 > maxTextChars-120 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
		shown++
	}
	if rest := len(lines) - shown; rest > 0 {
		fmt.Fprintf(&b, "\n… and %d more", rest)
		if hint != "" {
			b.WriteString(" " + hint)
		}
	}
	return clip(b.String(), maxTextChars)
}

// bullets prefixes every line with a bullet.
func bullets(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "• " + l
	}
	return out
}
