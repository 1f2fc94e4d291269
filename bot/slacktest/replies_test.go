package slacktest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/bot/slacktest"
)

// planMetadata is the metadata the bot might tag its plan messages with.
func planMetadata(version int) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: "adplan_plan", EventPayload: map[string]any{"version": version, "thread": "C1"}}
}

func TestMetadataAndConversationsReplies(t *testing.T) {
	srv := slacktest.New(t)
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)
	root := srv.AppMentionEvent("C1", "U1", "plan reach in Germany")

	var posted []string
	for v := 1; v <= 3; v++ {
		_, ts, err := api.PostMessage("C1", slack.MsgOptionText("plan", false), slack.MsgOptionTS(root.TS()),
			slack.MsgOptionMetadata(planMetadata(v)))
		if err != nil {
			t.Fatal(err)
		}
		posted = append(posted, ts)
	}
	// A message elsewhere stays out of the thread.
	if _, _, err := api.PostMessage("C2", slack.MsgOptionText("elsewhere", false), slack.MsgOptionTS(root.TS())); err != nil {
		t.Fatal(err)
	}
	// chat.postMessage answers with the message, metadata included.
	var answered struct {
		Message struct {
			Metadata slack.SlackMetadata `json:"metadata"`
		} `json:"message"`
	}
	if b, err := json.Marshal(srv.Calls("chat.postMessage")[0].Response); err != nil || json.Unmarshal(b, &answered) != nil ||
		answered.Message.Metadata.EventType != "adplan_plan" || answered.Message.Metadata.EventPayload["version"] != 1.0 {
		t.Errorf("chat.postMessage answered %+v", answered)
	}
	// The second plan is superseded: replies show its latest text and blocks.
	superseded := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "~plan v2~", false, false), nil, nil)
	if _, _, _, err := api.UpdateMessage("C1", posted[1], slack.MsgOptionText("superseded by v3", false),
		slack.MsgOptionBlocks(superseded)); err != nil {
		t.Fatal(err)
	}

	for _, withMetadata := range []bool{true, false} {
		msgs, hasMore, cursor, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{
			ChannelID: "C1", Timestamp: root.TS(), IncludeAllMetadata: withMetadata,
		})
		if err != nil {
			t.Fatalf("include_all_metadata %v: %v", withMetadata, err)
		}
		if hasMore || cursor != "" {
			t.Errorf("has_more %v, next_cursor %q for a short thread", hasMore, cursor)
		}
		if len(msgs) != 4 {
			t.Fatalf("include_all_metadata %v: %d messages, want the parent and 3 replies", withMetadata, len(msgs))
		}
		parent := msgs[0]
		if parent.Timestamp != root.TS() || parent.User != "U1" || parent.Text != slacktest.Mention+" plan reach in Germany" ||
			parent.ReplyCount != 3 || parent.LatestReply != posted[2] || parent.ThreadTimestamp != root.TS() || parent.BotID != "" {
			t.Errorf("parent = %+v", parent.Msg)
		}
		for i, m := range msgs[1:] {
			if m.Timestamp != posted[i] || m.ThreadTimestamp != root.TS() || m.BotID != slacktest.BotID ||
				m.User != slacktest.BotUserID || m.ParentUserId != "U1" {
				t.Errorf("reply %d = %+v", i+1, m.Msg)
			}
			wantText := "plan"
			if i == 1 {
				wantText = "superseded by v3"
				if len(m.Blocks.BlockSet) != 1 || m.Blocks.BlockSet[0].BlockType() != slack.MBTSection || m.Edited == nil {
					t.Errorf("edited reply blocks = %+v, edited %+v", m.Blocks, m.Edited)
				}
			}
			if m.Text != wantText {
				t.Errorf("reply %d text = %q, want %q", i+1, m.Text, wantText)
			}
			md := m.Metadata
			if withMetadata && (md.EventType != "adplan_plan" || md.EventPayload["version"] != float64(i+1)) {
				t.Errorf("reply %d metadata = %+v", i+1, md)
			}
			if !withMetadata && (md.EventType != "" || md.EventPayload != nil) {
				t.Errorf("reply %d has metadata %+v without include_all_metadata", i+1, md)
			}
		}
	}
}

func TestConversationsRepliesPages(t *testing.T) {
	srv := slacktest.New(t)
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)
	// A thread whose parent the bot posted.
	_, root, err := api.PostMessage("C1", slack.MsgOptionText("root", false))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{root}
	for range 4 {
		_, ts, err := api.PostMessage("C1", slack.MsgOptionText("reply", false), slack.MsgOptionTS(root))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, ts)
	}
	var got []string
	cursor := ""
	for page := 0; ; page++ {
		if page == 5 {
			t.Fatalf("still paging after 5 pages: %v", got)
		}
		msgs, hasMore, next, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{
			ChannelID: "C1", Timestamp: root, Limit: 2, Cursor: cursor,
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) > 2 {
			t.Errorf("page %d has %d messages, limit 2", page, len(msgs))
		}
		for _, m := range msgs {
			got = append(got, m.Timestamp)
		}
		if hasMore != (next != "") {
			t.Errorf("page %d: has_more %v with next_cursor %q", page, hasMore, next)
		}
		if !hasMore {
			break
		}
		cursor = next
	}
	if len(got) != len(want) {
		t.Fatalf("paged %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("message %d = %s, want %s", i, got[i], want[i])
		}
	}
}

func TestConversationsRepliesErrors(t *testing.T) {
	srv := slacktest.New(t)
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)
	_, root, err := api.PostMessage("C1", slack.MsgOptionText("root", false))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		give *slack.GetConversationRepliesParameters
		api  *slack.Client
		want string
	}{
		{"no channel", &slack.GetConversationRepliesParameters{Timestamp: root}, api, "channel_not_found"},
		{"unknown ts", &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: "1600000000.000100"}, api, "thread_not_found"},
		{"other channel", &slack.GetConversationRepliesParameters{ChannelID: "C2", Timestamp: root}, api, "thread_not_found"},
		{"bad cursor", &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: root, Cursor: "nope"}, api, "invalid_cursor"},
		{"app token", &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: root},
			newAPI(srv, slacktest.AppToken, slacktest.AppToken), "invalid_auth"},
	}
	for _, tt := range tests {
		if _, _, _, err := tt.api.GetConversationReplies(tt.give); err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
}

func TestMetadataMustBeAnObjectWithAnEventType(t *testing.T) {
	srv := slacktest.New(t)
	tests := []struct {
		give, want string
	}{
		{give: `not json`, want: "invalid_metadata_format"},
		{give: `["adplan_plan"]`, want: "invalid_metadata_format"},
		{give: `{"event_payload":{}}`, want: "invalid_metadata_schema"},
		{give: `{"event_type":"adplan_plan","event_payload":{"version":1}}`},
	}
	for _, tt := range tests {
		resp, err := http.PostForm(srv.URL()+"chat.postMessage", url.Values{
			"token": {slacktest.BotToken}, "channel": {"C1"}, "text": {"plan"}, "metadata": {tt.give},
		})
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		err = decodeJSON(resp, &body)
		resp.Body.Close()
		if err != nil || body.Error != tt.want || body.OK != (tt.want == "") {
			t.Errorf("metadata %s: %+v %v, want error %q", tt.give, body, err, tt.want)
		}
	}
}
