// Package bot is adplan's Slack surface: it renders what the engine decided as Block
// Kit. It plans nothing itself.
package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
)

// Block Kit limits (api.slack.com/reference/block-kit/blocks): a section holds at most
// 10 fields of at most 2000 characters, and a text object at most 3000.
const (
	maxSectionFields = 10
	maxFieldChars    = 2000
	maxTextChars     = 3000
)

// VersionBlocks renders one version of a thread's brief: a header, the stated fields,
// what changed since the previous version, who read the message, and the notes and
// warnings the user must see.
func VersionBlocks(v conversation.Version) []slack.Block {
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain(fmt.Sprintf("Campaign brief v%d", v.N))),
	}
	fields := v.Brief.Fields()
	if len(fields) == 0 {
		blocks = append(blocks, slack.NewSectionBlock(markdown("_Nothing stated yet._"), nil, nil))
	}
	for start := 0; start < len(fields); start += maxSectionFields {
		end := min(start+maxSectionFields, len(fields))
		objs := make([]*slack.TextBlockObject, 0, end-start)
		for _, f := range fields[start:end] {
			objs = append(objs, markdown(clip(fmt.Sprintf("*%s*\n%s", escape(f.Label), escape(f.Value)), maxFieldChars)))
		}
		blocks = append(blocks, slack.NewSectionBlock(nil, objs, nil))
	}
	if v.N > 1 && len(v.Changes) > 0 {
		lines := make([]string, 0, len(v.Changes))
		for _, c := range v.Changes {
			lines = append(lines, "• "+escape(c.String()))
		}
		blocks = append(blocks, slack.NewSectionBlock(markdown(clip("*What changed*\n"+strings.Join(lines, "\n"), maxTextChars)), nil, nil))
	}
	var remarks []string
	for _, n := range v.Notes {
		remarks = append(remarks, ":information_source: "+escape(n))
	}
	for _, p := range v.Brief.Problems() {
		remarks = append(remarks, ":warning: "+escape(p))
	}
	if len(remarks) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(markdown(clip(strings.Join(remarks, "\n"), maxTextChars)), nil, nil))
	}
	blocks = append(blocks, slack.NewContextBlock("", markdown("Read by: "+agents.SlotList(v.Ran))))
	return blocks
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clip(s, 150), false, false)
}

func markdown(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

// escape keeps user text from being read as Slack markup (links, mentions).
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escape(s string) string { return escaper.Replace(s) }

// clip cuts s to at most n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
