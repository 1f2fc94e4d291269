package slacktest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// Event is a JSON object as Slack sends it: an inner event for SendEventsAPI or an
// interaction payload for SendInteraction. Set or delete fields to vary it
// (ev["subtype"] = "message_changed").
type Event map[string]any

// TS is the event's "ts" (the message's timestamp), "" if it has none.
func (e Event) TS() string {
	ts, _ := e["ts"].(string)
	return ts
}

// with returns a copy of e with the key/value pairs set.
func (e Event) with(kv ...any) Event {
	out := make(Event, len(e)+len(kv)/2)
	for k, v := range e {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// MessageEvent is a user's "message" event in channel (channel_type "im" for a channel ID
// starting with "D", else "channel"), in the thread threadTS when that is set. Its ts is new.
//
// The fake keeps the message (a copy: later changes to the Event are not seen), so
// conversations.replies lists it as the parent of the thread it starts.
func (s *Server) MessageEvent(channel, user, text, threadTS string) Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.nextTSLocked()
	ev := Event{
		"client_msg_id": "cm-" + strings.ReplaceAll(ts, ".", "-"),
		"type":          "message", "text": text, "user": user, "ts": ts,
		"team": TeamID, "channel": channel, "event_ts": ts, "channel_type": channelType(channel),
	}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	s.recordUserMessageLocked(ev)
	return ev
}

// AppMentionEvent is an "app_mention" event: a user mentioning the bot in channel. text is
// prefixed with the mention ("<@UBOT> …") unless it already holds it, as Slack delivers it.
// The fake keeps the message, as MessageEvent does.
func (s *Server) AppMentionEvent(channel, user, text string) Event {
	if !strings.Contains(text, Mention) {
		text = Mention + " " + text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.nextTSLocked()
	ev := Event{
		"client_msg_id": "cm-" + strings.ReplaceAll(ts, ".", "-"),
		"type":          "app_mention", "text": text, "user": user, "ts": ts,
		"team": TeamID, "channel": channel, "event_ts": ts,
	}
	s.recordUserMessageLocked(ev)
	return ev
}

// SlashCommand is "/adplan text" typed by user in channel, with a response_url on the fake.
func (s *Server) SlashCommand(channel, user, text string) slack.SlashCommand {
	return slack.SlashCommand{
		Token: VerificationToken, TeamID: TeamID, TeamDomain: TeamDomain,
		ChannelID: channel, ChannelName: strings.ToLower(channel),
		UserID: user, UserName: strings.ToLower(user),
		Command: "/adplan", Text: text, APIAppID: AppID,
		ResponseURL: s.responseURL("commands"), TriggerID: s.triggerID(),
	}
}

// BlockAction is the block_actions payload Slack sends when user presses the button
// actionID (with value, in block blockID) under the bot's message messageTS in channel, in the
// thread threadTS ("" when the message is not in a thread).
func (s *Server) BlockAction(channel, user, messageTS, threadTS, actionID, value, blockID string) Event {
	actionTS := s.NextTS()
	container := map[string]any{
		"type": "message", "message_ts": messageTS, "channel_id": channel, "is_ephemeral": false,
	}
	message := map[string]any{
		"type": "message", "user": BotUserID, "bot_id": BotID, "app_id": AppID, "team": TeamID,
		"ts": messageTS, "text": "",
	}
	if threadTS != "" {
		container["thread_ts"] = threadTS
		message["thread_ts"] = threadTS
	}
	name := strings.ToLower(user)
	return Event{
		"type":       "block_actions",
		"user":       map[string]any{"id": user, "username": name, "name": name, "team_id": TeamID},
		"api_app_id": AppID, "token": VerificationToken,
		"container":  container,
		"trigger_id": s.triggerID(),
		"team":       map[string]any{"id": TeamID, "domain": TeamDomain},
		"enterprise": nil, "is_enterprise_install": false,
		"channel":      map[string]any{"id": channel, "name": strings.ToLower(channel)},
		"message":      message,
		"state":        map[string]any{"values": map[string]any{}},
		"response_url": s.responseURL("actions"),
		"actions": []map[string]any{{
			"action_id": actionID, "block_id": blockID, "value": value, "type": "button",
			"text":      map[string]any{"type": "plain_text", "text": actionID, "emoji": true},
			"action_ts": actionTS,
		}},
	}
}

func (s *Server) responseURL(kind string) string {
	s.mu.Lock()
	s.respSeq++
	n := s.respSeq
	s.mu.Unlock()
	return fmt.Sprintf("%s/response/%s/%s/%d", s.http.URL, kind, TeamID, n)
}

func (s *Server) triggerID() string {
	s.mu.Lock()
	s.respSeq++
	n := s.respSeq
	s.mu.Unlock()
	// Shaped like Slack's ("13345224609.738474920.8088930838d88f008e0"), and unique
	// among fakes, as envelope ids are.
	return fmt.Sprintf("1700000000.%d.%s", n, strings.ToLower(s.tag))
}

func channelType(channel string) string {
	if isDM(channel) {
		return "im"
	}
	return "channel"
}

// eventTime is the whole seconds of the event's ts, as event_time.
func eventTime(ev map[string]any) int64 {
	ts, _ := ev["event_ts"].(string)
	if ts == "" {
		ts, _ = ev["ts"].(string)
	}
	secs, _, _ := strings.Cut(ts, ".")
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return 1700000000
	}
	return n
}
