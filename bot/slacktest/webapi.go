package slacktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// MethodResponseURL is the Call.Method of a request to a response_url the fake handed out
// (in slash commands and interactions).
const MethodResponseURL = "response_url"

// Call is one recorded Web API request.
type Call struct {
	Method string // "chat.postMessage", …, or MethodResponseURL
	Token  string // from "Authorization: Bearer …" or the "token" form field
	// Params holds the form fields (and query). For a JSON body it holds the body's top-level
	// scalar fields as strings, so Params.Get("channel") works for both encodings.
	Params url.Values
	JSON   map[string]any // the decoded body when it was JSON, else nil
	Body   []byte
	Time   time.Time // when the request arrived
	// TS is the message ts the fake assigned (chat.postMessage, chat.postEphemeral,
	// chat.startStream) or the one the call addressed (chat.update, chat.appendStream,
	// chat.stopStream).
	TS       string
	Error    string         // the error answered ("invalid_auth", "unknown_method", …); "" when ok
	Response map[string]any // the answer sent
}

// OK reports whether the fake answered the call with "ok": true.
func (c Call) OK() bool { return c.Error == "" }

// Channel is the call's "channel" parameter.
func (c Call) Channel() string { return c.Params.Get("channel") }

// ThreadTS is the call's "thread_ts" parameter.
func (c Call) ThreadTS() string { return c.Params.Get("thread_ts") }

// Text is the call's "text" parameter.
func (c Call) Text() string { return c.Params.Get("text") }

// Blocks decodes the call's "blocks" (a JSON string in a form, an array in a JSON body).
// It returns nil blocks when the call has none.
func (c Call) Blocks() (slack.Blocks, error) {
	var raw []byte
	if v, ok := c.JSON["blocks"]; ok && v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			return slack.Blocks{}, err
		}
		raw = b
	} else if v := c.Params.Get("blocks"); v != "" {
		raw = []byte(v)
	}
	var blocks slack.Blocks
	if raw == nil {
		return blocks, nil
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return blocks, fmt.Errorf("decoding blocks of %s: %w", c.Method, err)
	}
	return blocks, nil
}

// Calls returns the recorded calls of a method ("" for all), oldest first.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// WaitCall returns the first recorded call of method ("" for any) that match accepts (nil
// accepts all), waiting up to timeout for one to arrive. Calls recorded before WaitCall was
// called count too; use match (for example on Time or TS) to wait for a later one.
func (s *Server) WaitCall(method string, match func(Call) bool, timeout time.Duration) (Call, error) {
	var found Call
	err := s.waitFor(timeout, "a "+method+" call", func() bool {
		for _, c := range s.calls {
			if (method == "" || c.Method == method) && (match == nil || match(c)) {
				found = c
				return true
			}
		}
		return false
	})
	return found, err
}

// Messages returns the successful chat.postMessage calls in channel, oldest first: with
// threadTS set, those in that thread (the root, whose ts is threadTS, and the replies);
// with threadTS empty, all of them.
func (s *Server) Messages(channel, threadTS string) []Call {
	var out []Call
	for _, c := range s.Calls("chat.postMessage") {
		if !c.OK() || c.Channel() != channel {
			continue
		}
		if threadTS == "" || c.TS == threadTS || c.ThreadTS() == threadTS {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) serveWebAPI(w http.ResponseWriter, r *http.Request) {
	call, err := readCall(r)
	call.Method = strings.TrimPrefix(r.URL.Path, "/api/")
	var resp map[string]any
	var echo Event
	s.mu.Lock()
	if fs := s.faults[call.Method]; len(fs) > 0 {
		f := fs[0]
		s.faults[call.Method] = fs[1:]
		s.refuseLocked(call, f.Status)
		s.mu.Unlock()
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
		}
		w.WriteHeader(f.Status)
		return
	}
	if st, ok := s.storms[call.Method]; ok && call.Time.Before(st.until) {
		s.refuseLocked(call, http.StatusTooManyRequests)
		s.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(st.retryAfter)))
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		_ = json.NewEncoder(w).Encode(fail("ratelimited"))
		return
	}
	if l := s.limits[call.Method]; l != nil {
		if retryAfter, admitted := l.admit(call.Time); !admitted {
			s.refuseLocked(call, http.StatusTooManyRequests)
			s.mu.Unlock()
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(retryAfter)))
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusTooManyRequests)
			_ = json.NewEncoder(w).Encode(fail("ratelimited"))
			return
		}
	}
	switch {
	case err != nil:
		resp = fail("invalid_form_data")
	case call.Token == "":
		resp = fail("not_authed")
	case call.Token != wantToken(call.Method):
		resp = fail("invalid_auth")
	default:
		resp, echo = s.answerLocked(&call, r)
	}
	if e, ok := resp["error"].(string); ok {
		call.Error = e
	}
	call.Response = resp
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()

	if echo != nil {
		s.SendEventsAPI(echo)
	}
	writeJSON(w, resp)
}

// refuseLocked records a call answered with an HTTP error status instead of an answer.
func (s *Server) refuseLocked(call Call, status int) {
	call.Error = fmt.Sprintf("http %d", status)
	if status == http.StatusTooManyRequests {
		s.rateLimited[call.Method]++
	}
	s.calls = append(s.calls, call)
	s.notifyLocked()
}

func wantToken(method string) string {
	if method == "apps.connections.open" {
		return AppToken
	}
	return BotToken
}

// answerLocked builds the answer to an authorised call; s.mu is held.
func (s *Server) answerLocked(c *Call, r *http.Request) (resp map[string]any, echo Event) {
	p := c.Params
	channel := p.Get("channel")
	switch c.Method {
	case "apps.connections.open":
		ticket := fmt.Sprintf("ticket-%d", len(s.tickets)+1)
		s.tickets[ticket] = true
		return ok(map[string]any{"url": "ws://" + r.Host + "/link/?ticket=" + ticket + "&app_id=" + AppID}), nil

	case "auth.test":
		return ok(map[string]any{
			"url": "https://" + TeamDomain + ".slack.com/", "team": TeamDomain, "user": "adplan",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID, "is_enterprise_install": false,
		}), nil

	case "chat.postMessage", "chat.startStream":
		if channel == "" {
			return fail("channel_not_found"), nil
		}
		if c.Method == "chat.postMessage" && p.Get("text") == "" && p.Get("blocks") == "" && p.Get("attachments") == "" {
			return fail("no_text"), nil
		}
		metadata, metaErr := callMetadata(c)
		if metaErr != "" {
			return fail(metaErr), nil
		}
		c.TS = s.nextTSLocked()
		s.recordPostLocked(c, metadata)
		msg := botMessage(c, c.TS)
		if metadata != nil {
			msg["metadata"] = metadata
		}
		if c.Method == "chat.postMessage" && s.echo {
			echo = Event(msg).with("channel", channel, "channel_type", channelType(channel), "event_ts", c.TS)
		}
		return ok(map[string]any{"channel": channel, "ts": c.TS, "message": msg}), echo

	case "chat.update", "chat.appendStream", "chat.stopStream":
		c.TS = p.Get("ts")
		posted := s.store.posted(channel, c.TS)
		if posted == nil {
			return fail("message_not_found"), nil
		}
		metadata, metaErr := callMetadata(c)
		if metaErr != "" {
			return fail(metaErr), nil
		}
		s.recordEditLocked(c, posted, metadata)
		resp := map[string]any{"channel": channel, "ts": c.TS}
		if c.Method != "chat.appendStream" {
			msg := botMessage(c, c.TS)
			resp["message"] = msg
			resp["text"] = p.Get("text")
			if c.Method == "chat.update" && s.echo {
				eventTS := s.nextTSLocked()
				echo = Event{
					"type": "message", "subtype": "message_changed", "hidden": true,
					"channel": channel, "channel_type": channelType(channel),
					"ts": eventTS, "event_ts": eventTS, "message": msg,
				}
			}
		}
		return ok(resp), echo

	case "chat.postEphemeral":
		if channel == "" {
			return fail("channel_not_found"), nil
		}
		if p.Get("user") == "" {
			return fail("user_not_in_channel"), nil
		}
		c.TS = s.nextTSLocked()
		return ok(map[string]any{"message_ts": c.TS}), nil

	case "conversations.replies":
		return s.answerRepliesLocked(p), nil

	case "conversations.info":
		if channel == "" {
			return fail("channel_not_found"), nil
		}
		return ok(map[string]any{"channel": map[string]any{
			"id": channel, "name": strings.ToLower(channel), "is_channel": !isDM(channel),
			"is_im": isDM(channel), "is_private": false, "is_member": true,
		}}), nil

	case "users.info":
		user := p.Get("user")
		if user == "" {
			return fail("user_not_found"), nil
		}
		name := strings.ToLower(user)
		return ok(map[string]any{"user": map[string]any{
			"id": user, "team_id": TeamID, "name": name, "real_name": name,
			"is_bot": user == BotUserID, "tz": "Europe/Berlin",
			"profile": map[string]any{"real_name": name, "display_name": name},
		}}), nil
	}
	return fail("unknown_method"), nil
}

// botMessage is the message object Slack returns for a message the bot posted.
func botMessage(c *Call, ts string) map[string]any {
	p := c.Params
	msg := map[string]any{
		"type": "message", "user": BotUserID, "bot_id": BotID, "app_id": AppID, "team": TeamID,
		"text": p.Get("text"), "ts": ts,
	}
	if v := p.Get("thread_ts"); v != "" {
		msg["thread_ts"] = v
		msg["parent_user_id"] = BotUserID
	}
	if v := p.Get("blocks"); v != "" && json.Valid([]byte(v)) {
		msg["blocks"] = json.RawMessage(v)
	}
	return msg
}

func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	call, err := readCall(r)
	call.Method = MethodResponseURL
	resp := ok(nil)
	if err != nil {
		resp = fail("invalid_payload")
	}
	s.mu.Lock()
	if e, isErr := resp["error"].(string); isErr {
		call.Error = e
	}
	call.Response = resp
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, resp)
}

// readCall reads a request as slack-go sends it: a form (token in the "token" field) or JSON
// (token in the Authorization header).
func readCall(r *http.Request) (Call, error) {
	c := Call{Time: time.Now(), Params: url.Values{}}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return c, err
	}
	c.Body = body
	for k, vs := range r.URL.Query() {
		c.Params[k] = append(c.Params[k], vs...)
	}
	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ctype == "application/json" {
		if len(bytes.TrimSpace(body)) > 0 {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if err := dec.Decode(&c.JSON); err != nil {
				return c, err
			}
			for k, v := range c.JSON {
				switch v := v.(type) {
				case string:
					c.Params.Set(k, v)
				case json.Number, bool:
					c.Params.Set(k, fmt.Sprint(v))
				}
			}
		}
	} else if len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return c, err
		}
		for k, vs := range form {
			c.Params[k] = append(c.Params[k], vs...)
		}
	}
	if auth, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found {
		c.Token = auth
	} else {
		c.Token = c.Params.Get("token")
	}
	return c, nil
}

func ok(fields map[string]any) map[string]any {
	resp := map[string]any{"ok": true}
	for k, v := range fields {
		resp[k] = v
	}
	return resp
}

func fail(code string) map[string]any { return map[string]any{"ok": false, "error": code} }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
