package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/adplan/adplan/conversation/session"
)

// PlanRequest is the body of POST /v1/plans.
type PlanRequest struct {
	Brief *string `json:"brief"`
}

// BatchRequest is the body of POST /v1/plans:batch.
type BatchRequest struct {
	Briefs []string `json:"briefs"`
}

// MessageRequest is the body of POST /v1/threads (the brief) and POST
// /v1/threads/{id}/messages (a follow-up).
type MessageRequest struct {
	Message *string `json:"message"`
}

// BatchError is the line of a brief in a batch that could not be planned, as `adplan
// plan --jsonl` writes it.
type BatchError struct {
	Line  int    `json:"line"`
	Error string `json:"error"`
}

func (s *Server) postPlan(w http.ResponseWriter, r *http.Request) {
	var req PlanRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.Brief == nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, `the body needs "brief": the campaign brief as a string`)
		return
	}
	plan, err := s.opts.Service.Plan(r.Context(), *req.Brief)
	if err != nil {
		s.serviceError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, plan)
}

func (s *Server) postBatch(w http.ResponseWriter, r *http.Request) {
	var req BatchRequest
	if !s.decode(w, r, &req) {
		return
	}
	switch {
	case req.Briefs == nil:
		writeProblem(w, r, http.StatusUnprocessableEntity, `the body needs "briefs": a list of campaign briefs`)
		return
	case len(req.Briefs) == 0:
		writeProblem(w, r, http.StatusUnprocessableEntity, `"briefs" is empty: send at least one brief`)
		return
	case len(req.Briefs) > MaxBatch:
		writeProblem(w, r, http.StatusUnprocessableEntity, fmt.Sprintf(`"briefs" has %d briefs; one batch takes at most %d`, len(req.Briefs), MaxBatch))
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	for i, brief := range req.Briefs {
		if r.Context().Err() != nil {
			return // the caller went away
		}
		var line any
		plan, err := s.opts.Service.Plan(r.Context(), brief)
		switch {
		case err == nil:
			line = plan
		case r.Context().Err() != nil:
			return
		default:
			line = BatchError{Line: i + 1, Error: cause(err).Error()}
		}
		// Each line gets its own time to be written, so a long batch is not cut by
		// the server's write timeout while a slow reader is still taking it.
		_ = rc.SetWriteDeadline(time.Now().Add(batchLineWriteTimeout))
		if err := encode(w, line); err != nil {
			return
		}
		_ = rc.Flush()
	}
}

// batchLineWriteTimeout is how long one line of a batch may take to be written.
const batchLineWriteTimeout = 30 * time.Second

// cause is the reading or planning error a session error wraps, which is what `adplan
// plan --jsonl` reports for a line.
func cause(err error) error {
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		if errs := u.Unwrap(); len(errs) == 2 && (errs[0] == session.ErrUnreadable || errs[0] == session.ErrUnplannable) {
			return errs[1]
		}
	}
	return err
}

func (s *Server) postThread(w http.ResponseWriter, r *http.Request) {
	var req MessageRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.Message == nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, `the body needs "message": the campaign brief that starts the thread`)
		return
	}
	turn, err := s.opts.Service.Start(r.Context(), Owner(r.Context()), *req.Message)
	if errors.Is(err, session.ErrUnreadable) {
		writeProblem(w, r, http.StatusBadRequest, turn.Error)
		return
	}
	if err != nil {
		s.serviceError(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/threads/"+turn.Thread)
	writeJSON(w, http.StatusCreated, turn)
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// Check the thread before the body, so a caller learns first that it is not theirs.
	if _, err := s.opts.Service.Thread(r.Context(), Owner(r.Context()), id); err != nil {
		s.serviceError(w, r, err)
		return
	}
	var req MessageRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.Message == nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, `the body needs "message": what to change in the plan`)
		return
	}
	turn, err := s.opts.Service.Say(r.Context(), Owner(r.Context()), id, *req.Message)
	if err != nil {
		s.serviceError(w, r, err)
		return
	}
	if turn.Error != "" {
		writeProblem(w, r, http.StatusBadRequest, turn.Error)
		return
	}
	writeJSON(w, http.StatusOK, turn)
}

func (s *Server) getThread(w http.ResponseWriter, r *http.Request) {
	th, err := s.opts.Service.Thread(r.Context(), Owner(r.Context()), r.PathValue("id"))
	if err != nil {
		s.serviceError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, th)
}

func (s *Server) getVersion(w http.ResponseWriter, r *http.Request) {
	th, err := s.opts.Service.Thread(r.Context(), Owner(r.Context()), r.PathValue("id"))
	if err != nil {
		s.serviceError(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(th.Versions) {
		writeProblem(w, r, http.StatusNotFound, fmt.Sprintf("thread %s has versions 1 to %d; there is no version %q", th.ID, len(th.Versions), r.PathValue("n")))
		return
	}
	writeJSON(w, http.StatusOK, th.Versions[n-1])
}

// serviceError answers a session error: 404 for a thread that is not the caller's,
// 400 for a brief that cannot be read, 422 for one that cannot be planned, 503 when
// the request was cancelled, 500 for the rest (the store failing).
func (s *Server) serviceError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, session.ErrNotFound):
		writeProblem(w, r, http.StatusNotFound, "there is no thread "+strconv.Quote(r.PathValue("id"))+" for this token")
	case errors.Is(err, session.ErrUnreadable):
		writeProblem(w, r, http.StatusBadRequest, err.Error())
	case errors.Is(err, session.ErrUnplannable):
		writeProblem(w, r, http.StatusUnprocessableEntity, err.Error())
	case r.Context().Err() != nil:
		writeProblem(w, r, http.StatusServiceUnavailable, "the request ended before it was answered")
	default:
		s.log.Error("serving a request", "request_id", RequestID(r.Context()), "path", r.URL.Path, "err", err)
		writeProblem(w, r, http.StatusInternalServerError, "adplan could not answer this request: "+err.Error())
	}
}

// decode reads r's JSON body into v, answering what is wrong with it: 415 for a body
// that is not application/json, 413 over the size limit, 422 for one that is not a
// JSON object of the expected fields.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		writeProblem(w, r, http.StatusUnsupportedMediaType, fmt.Sprintf("the body must be application/json, not %q", r.Header.Get("Content-Type")))
		return false
	}
	if cs, ok := params["charset"]; ok && !equalFold(cs, "utf-8") {
		writeProblem(w, r, http.StatusUnsupportedMediaType, fmt.Sprintf("the body must be UTF-8, not %q", cs))
		return false
	}
	limit := s.opts.MaxBodyBytes
	if r.ContentLength > limit {
		writeProblem(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is %d bytes; the limit is %d", r.ContentLength, limit))
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over the limit of %d bytes", limit))
			return false
		}
		writeProblem(w, r, http.StatusBadRequest, "reading the body: "+err.Error())
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the body is not the JSON this takes: "+jsonProblem(err)+" (see /openapi.json)")
		return false
	}
	if dec.More() {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the body holds more than one JSON value")
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the body holds more than one JSON value")
		return false
	}
	return true
}

// jsonProblem says what is wrong with a body in words.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("%v (at byte %d)", syntax, syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("it must be a JSON object, not %s", typ.Value)
		}
		return fmt.Sprintf("%q must be %s, not %s", typ.Field, jsonKind(typ.Type.String()), typ.Value)
	case errors.Is(err, io.EOF):
		return "it is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends in the middle of a value"
	}
	return err.Error()
}

func jsonKind(goType string) string {
	switch goType {
	case "string", "*string":
		return "a string"
	case "[]string":
		return "a list of strings"
	}
	return goType
}

func equalFold(a, b string) bool { return len(a) == len(b) && bytes.EqualFold([]byte(a), []byte(b)) }

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

func writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("Content-Length")
	w.WriteHeader(status)
	_ = encode(w, Problem{
		Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail,
		Instance: r.URL.Path, RequestID: RequestID(r.Context()),
	})
}

// buffers keeps encoding buffers between responses: a plan is some 12 KB of JSON, and
// growing a new buffer to that for every answer is garbage the planner's own competes with.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			buffers.Put(buf)
		}
	}()
	if err := encode(buf, v); err != nil {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"encoding the answer failed"}`+"\n")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// encode writes v as one JSON line, as the CLI's --json does (no HTML escaping).
func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
