package slacktest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// message is a message the fake knows: one the bot posted (and may have edited since), or
// the one a user event made by MessageEvent or AppMentionEvent stands for. Guarded by
// Server.mu.
type message struct {
	channel, ts string
	threadTS    string // "" when the message is not in a thread
	user        string
	bot         bool
	text        string
	blocks      json.RawMessage
	metadata    json.RawMessage // {"event_type": …, "event_payload": …}; nil when none
	editedTS    string          // when chat.update last changed it
}

// messageStore holds the messages conversations.replies answers from.
type messageStore struct {
	byTS    map[string]*message   // by channel and ts (msgKey)
	replies map[string][]*message // the bot's replies by channel and thread_ts, in post (= ts) order
}

func newMessageStore() messageStore {
	return messageStore{byTS: map[string]*message{}, replies: map[string][]*message{}}
}

func msgKey(channel, ts string) string { return channel + "/" + ts }

func (st messageStore) add(m *message) {
	st.byTS[msgKey(m.channel, m.ts)] = m
	if m.threadTS != "" && m.threadTS != m.ts {
		// Every reply, the people's and the bot's, in ts order, as Slack lists a thread.
		key := msgKey(m.channel, m.threadTS)
		rs := st.replies[key]
		i, _ := slices.BinarySearchFunc(rs, m.ts, func(r *message, ts string) int { return strings.Compare(r.ts, ts) })
		st.replies[key] = slices.Insert(rs, i, m)
	}
}

// posted is the bot's message with ts in channel, nil when the bot posted none.
func (st messageStore) posted(channel, ts string) *message {
	if m := st.byTS[msgKey(channel, ts)]; m != nil && m.bot {
		return m
	}
	return nil
}

// thread is the thread with parent ts in channel as conversations.replies lists it: the
// parent when the fake knows it, then the bot's replies in ts order. Empty when the fake
// knows nothing of ts.
func (st messageStore) thread(channel, ts string) []*message {
	replies := st.replies[msgKey(channel, ts)]
	out := make([]*message, 0, len(replies)+1)
	if parent := st.byTS[msgKey(channel, ts)]; parent != nil {
		out = append(out, parent)
	}
	return append(out, replies...)
}

// recordUserMessageLocked keeps the message a user event stands for, so that
// conversations.replies can list it as its thread's parent. s.mu must be held.
func (s *Server) recordUserMessageLocked(ev Event) {
	str := func(k string) string { v, _ := ev[k].(string); return v }
	s.store.add(&message{
		channel: str("channel"), ts: str("ts"), threadTS: str("thread_ts"),
		user: str("user"), text: str("text"),
	})
}

// recordPostLocked keeps the message a successful chat.postMessage or chat.startStream made.
func (s *Server) recordPostLocked(c *Call, metadata json.RawMessage) {
	p := c.Params
	text := p.Get("text")
	if text == "" {
		text = p.Get("markdown_text") // chat.startStream
	}
	m := &message{
		channel: c.Channel(), ts: c.TS, threadTS: p.Get("thread_ts"),
		user: BotUserID, bot: true, text: text, metadata: metadata,
	}
	if v := p.Get("blocks"); v != "" && json.Valid([]byte(v)) {
		m.blocks = json.RawMessage(v)
	}
	s.store.add(m)
}

// recordEditLocked applies chat.update, chat.appendStream or chat.stopStream to m. As with
// Slack, chat.update keeps blocks and metadata it is not given.
func (s *Server) recordEditLocked(c *Call, m *message, metadata json.RawMessage) {
	p := c.Params
	switch c.Method {
	case "chat.update":
		if p.Has("text") {
			m.text = p.Get("text")
		}
		if v := p.Get("blocks"); v != "" && json.Valid([]byte(v)) {
			m.blocks = json.RawMessage(v)
		}
		if metadata != nil {
			m.metadata = metadata
		}
		m.editedTS = s.nextTSLocked()
	default: // the stream methods add text to the message
		m.text += p.Get("markdown_text")
	}
}

// callMetadata is a call's "metadata" — a JSON string in a form (as slack-go's
// MsgOptionMetadata sends it), an object in a JSON body — compacted; nil when the call has
// none. errCode is Slack's error when it is not an object with an event_type.
func callMetadata(c *Call) (metadata json.RawMessage, errCode string) {
	var raw []byte
	if v, ok := c.JSON["metadata"]; ok && v != nil {
		if str, isStr := v.(string); isStr {
			raw = []byte(str)
		} else if b, err := json.Marshal(v); err == nil {
			raw = b
		}
	} else if c.Params.Has("metadata") {
		raw = []byte(c.Params.Get("metadata"))
	}
	if raw == nil {
		return nil, ""
	}
	var head map[string]json.RawMessage
	if err := json.Unmarshal(raw, &head); err != nil || head == nil {
		return nil, "invalid_metadata_format"
	}
	var eventType string
	if err := json.Unmarshal(head["event_type"], &eventType); err != nil || eventType == "" {
		return nil, "invalid_metadata_schema"
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, "invalid_metadata_format"
	}
	return buf.Bytes(), ""
}

// repliesPageMax is Slack's largest (and default) page of conversations.replies.
const repliesPageMax = 1000

// answerRepliesLocked answers conversations.replies as Slack does and slack-go's
// GetConversationRepliesContext decodes it: {"messages": […], "has_more": …,
// "response_metadata": {"next_cursor": …}}. oldest, latest and inclusive are ignored.
func (s *Server) answerRepliesLocked(p url.Values) map[string]any {
	get := p.Get
	channel, ts := get("channel"), get("ts")
	if channel == "" {
		return fail("channel_not_found")
	}
	thread := s.store.thread(channel, ts)
	if len(thread) == 0 {
		return fail("thread_not_found")
	}
	limit := repliesPageMax
	if v := get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fail("invalid_arguments")
		}
		if n > 0 && n < repliesPageMax {
			limit = n
		}
	}
	start := 0
	if v := get("cursor"); v != "" {
		from, ok := decodeCursor(v)
		if !ok {
			return fail("invalid_cursor")
		}
		start = slices.IndexFunc(thread, func(m *message) bool { return m.ts == from })
		if start < 0 {
			return fail("invalid_cursor")
		}
	}
	withMetadata := truthy(get("include_all_metadata"))
	page := thread[start:min(len(thread), start+limit)]
	msgs := make([]map[string]any, 0, len(page))
	for _, m := range page {
		msgs = append(msgs, s.store.object(m, withMetadata))
	}
	next := ""
	if end := start + len(page); end < len(thread) {
		next = encodeCursor(thread[end].ts)
	}
	return ok(map[string]any{
		"messages": msgs, "has_more": next != "",
		"response_metadata": map[string]any{"next_cursor": next},
	})
}

// object is m as Slack lists it: a thread's parent carries reply_count and latest_reply,
// a reply its thread_ts and parent_user_id.
func (st messageStore) object(m *message, withMetadata bool) map[string]any {
	obj := map[string]any{"type": "message", "user": m.user, "text": m.text, "ts": m.ts, "team": TeamID}
	if m.bot {
		obj["bot_id"], obj["app_id"] = BotID, AppID
	}
	if m.blocks != nil {
		obj["blocks"] = m.blocks
	}
	if withMetadata && m.metadata != nil {
		obj["metadata"] = m.metadata
	}
	if m.editedTS != "" {
		obj["edited"] = map[string]any{"user": m.user, "ts": m.editedTS}
	}
	if m.threadTS != "" && m.threadTS != m.ts {
		obj["thread_ts"] = m.threadTS
		if parent := st.byTS[msgKey(m.channel, m.threadTS)]; parent != nil {
			obj["parent_user_id"] = parent.user
		}
	}
	if replies := st.replies[msgKey(m.channel, m.ts)]; len(replies) > 0 {
		obj["thread_ts"] = m.ts
		obj["reply_count"] = len(replies)
		obj["reply_users"] = []string{BotUserID}
		obj["reply_users_count"] = 1
		obj["latest_reply"] = replies[len(replies)-1].ts
	}
	return obj
}

// Cursors look like Slack's: base64 of "next_ts:<ts of the first message of the next page>".
const cursorPrefix = "next_ts:"

func encodeCursor(ts string) string {
	return base64.StdEncoding.EncodeToString([]byte(cursorPrefix + ts))
}

func decodeCursor(cursor string) (ts string, ok bool) {
	b, err := base64.StdEncoding.DecodeString(cursor)
	if err != nil {
		return "", false
	}
	return strings.CutPrefix(string(b), cursorPrefix)
}

func truthy(v string) bool { return v == "1" || strings.EqualFold(v, "true") }
