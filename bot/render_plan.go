package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/conversation"
)

// PlanMessage renders version v of a thread's plan: a header, what changed since prev
// (when prev is not nil), the brief as fields, the line items as a table, totals,
// the evidence, assumptions, warnings and the buttons; with the plain-text fallback
// Slack shows in notifications ("Plan v2: REACH, 5,000 EUR over 30 days in DE, AT —
// reach ~212k"). When v has no plan (v.PlanError), it shows the brief and why no plan
// could be made, with the follow-up buttons only.
//
// Buttons are found again through the actions block's block_id, "adplan:<N>", and
// the thread the message sits in; threadID is not repeated in them. Every follow-up
// button has its own action id, ActionFollowUp + ":<i>" (Slack wants action ids unique
// within a block): match them with actionKind. Its value is the follow-up message.
func PlanMessage(threadID string, v conversation.Version, prev *conversation.Version) ([]slack.Block, string) {
	_ = threadID // the thread is the one the message is posted in
	blocks := []slack.Block{slack.NewHeaderBlock(plain(fmt.Sprintf("Plan v%d", v.N)))}
	if prev != nil {
		if s := changesText(v, prev); s != "" {
			blocks = append(blocks, mrkdwnSection(s))
		}
	}
	blocks = append(blocks, slack.NewSectionBlock(nil, briefFields(v), nil))

	p := v.Plan
	if p == nil {
		blocks = append(blocks, mrkdwnSection(":x: *I couldn't make a plan for this brief.*\n"+escape(planErrorText(v.PlanError))))
		remarks := readingRemarks(v)
		for _, pr := range v.Brief.Problems() {
			remarks = append(remarks, ":warning: "+escape(pr))
		}
		if len(remarks) > 0 {
			blocks = append(blocks, mrkdwnSection(listText("", remarks, maxListLines, "")))
		}
		blocks = append(blocks, mrkdwnContext("Say what to change in this thread and I'll try again."))
		blocks = append(blocks, actionsBlock(v, false, false))
		return blocks, fallbackText(v, "")
	}

	blocks = append(blocks, lineItemTable(*p), mrkdwnSection(totalsText(*p)), mrkdwnContext(clip(evidenceText(*p), maxEvidenceChars)))
	if len(p.Assumptions) > 0 {
		blocks = append(blocks, mrkdwnSection(listText("*Assumed* (the brief did not say)", bullets(assumptionLines(p.Assumptions)), maxListLines, "— press *Show assumptions*")))
	}
	remarks := readingRemarks(v)
	for _, w := range p.Warnings {
		remarks = append(remarks, ":warning: "+escape(w))
	}
	if len(remarks) > 0 {
		blocks = append(blocks, mrkdwnSection(listText("", remarks, maxListLines, "")))
	}
	blocks = append(blocks, actionsBlock(v, len(p.Assumptions) > 0, true))
	return blocks, fallbackText(v, "")
}

// readingRemarks are the lines saying what reading the message noticed: the words
// nobody understood first, so a misread is never silent, then the specialists' notes.
func readingRemarks(v conversation.Version) []string {
	var remarks []string
	if s := agents.NotUnderstood(v.Unread); s != "" {
		remarks = append(remarks, ":grey_question: "+escape(s))
	}
	for _, n := range v.Notes {
		remarks = append(remarks, ":information_source: "+escape(n))
	}
	return remarks
}

// SupersededMessage is what an earlier plan message is edited to once version by
// replaces it: one line saying so and the plan's key totals, without the table or
// the buttons, so the thread still reads.
func SupersededMessage(v conversation.Version, by int) ([]slack.Block, string) {
	blocks := []slack.Block{
		mrkdwnSection(fmt.Sprintf("~Plan v%d~ — superseded by *plan v%d* below.", v.N, by)),
	}
	if v.Plan != nil {
		blocks = append(blocks, mrkdwnContext(escape(planSummary(*v.Plan))))
	} else {
		blocks = append(blocks, mrkdwnContext("No plan: "+escape(planErrorText(v.PlanError))))
	}
	return blocks, fallbackText(v, fmt.Sprintf(" (superseded by v%d)", by))
}

// actionKind returns the action a button press asks for: ActionFollowUp for every
// follow-up button ("adplan_follow_up:2"), otherwise the action id itself.
func actionKind(actionID string) string {
	kind, _, _ := strings.Cut(actionID, ":")
	return kind
}

// actionsBlock holds the quick revisions and, under a plan, "Show assumptions" (when
// something was assumed) and "Looks good".
func actionsBlock(v conversation.Version, assumptions, approve bool) *slack.ActionBlock {
	var elems []slack.BlockElement
	for i, q := range quickRevisions {
		elems = append(elems, slack.NewButtonBlockElement(
			ActionFollowUp+":"+strconv.Itoa(i+1), clip(q.Message, maxValueChars), plain(clip(q.Label, maxButtonTextChars))))
	}
	n := strconv.Itoa(v.N)
	if assumptions {
		elems = append(elems, slack.NewButtonBlockElement(ActionShowAssumptions, n, plain("Show assumptions")))
	}
	if approve {
		elems = append(elems, slack.NewButtonBlockElement(ActionApprove, n, plain("Looks good")).WithStyle(slack.StylePrimary))
	}
	return slack.NewActionBlock("adplan:"+n, elems...)
}

// fallbackText is the plain text Slack shows in notifications and clients that
// cannot render blocks.
func fallbackText(v conversation.Version, note string) string {
	head := fmt.Sprintf("Plan v%d%s: ", v.N, note)
	if v.Plan == nil {
		return escape(clip(head+"no plan yet — "+planErrorText(v.PlanError), maxFallbackChars))
	}
	return escape(clip(head+planSummary(*v.Plan), maxFallbackChars))
}

// planSummary is the plan in one line: "REACH, 5,000 EUR over 30 days in DE, AT —
// reach ~212k" (and the objective's own result when it is not reach).
func planSummary(p agents.Plan) string {
	s := fmt.Sprintf("%s, %s %s over %s", p.Objective, money.FormatAmount(p.Budget, p.Currency), p.Currency, days(p.Flight.Days))
	if m := planMarkets(p); len(m) > 0 {
		s += " in " + strings.Join(m, ", ")
	}
	t := p.Totals
	s += " — reach ~" + agents.CompactCount(t.Reach.Mid)
	if t.Result.Metric != "" && t.Result.Metric != "reach" {
		s += ", " + metricName(t.Result.Metric) + " ~" + agents.CompactCount(t.Result.Mid)
	}
	return s
}

// planMarkets lists the markets the plan buys in: the brief's order first, then any
// other (an assumed market).
func planMarkets(p agents.Plan) []string {
	bought := map[string]bool{}
	for _, li := range p.LineItems {
		bought[li.Market] = true
	}
	var out []string
	if a := p.Brief.Audience; a != nil {
		for _, c := range a.Geo.Countries {
			if bought[c] && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	for _, li := range p.LineItems {
		if !slices.Contains(out, li.Market) {
			out = append(out, li.Market)
		}
	}
	return out
}

// changesText says what changed from prev to v: the brief's fields and the forecast.
func changesText(v conversation.Version, prev *conversation.Version) string {
	var lines []string
	if len(v.Changes) > 0 {
		lines = append(lines, "*Brief*")
		var cs []string
		for _, c := range v.Changes {
			cs = append(cs, "• "+escape(c.String()))
		}
		lines = append(lines, cs...)
	}
	if v.Plan != nil && prev.Plan != nil {
		// The brief's lines already say how the budget and the flight moved.
		briefSaid := map[string]bool{}
		for _, c := range v.Changes {
			briefSaid[strings.SplitN(c.Field, ".", 2)[0]] = true
		}
		var pc []string
		for _, c := range agents.PlanChangeDetails(*prev.Plan, *v.Plan) {
			if briefSaid["budget"] && c.What == "budget" || briefSaid["schedule"] && c.What == "flight" {
				continue
			}
			line := c.Summary
			if c.Why != "" && !strings.Contains(line, c.Why) {
				// Every change says what caused it: a forecast total names the brief
				// change behind it; an ad set's summary already carries its rule.
				line += " — " + c.Why
			}
			pc = append(pc, line)
		}
		if len(pc) > 0 {
			lines = append(lines, "*Forecast*")
			lines = append(lines, bullets(escapeAll(pc))...)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	title := fmt.Sprintf("*What changed since v%d*", prev.N)
	if m := strings.TrimSpace(v.Message); m != "" {
		title += " — “" + escape(clip(strings.Join(strings.Fields(m), " "), 200)) + "”"
	}
	return listText(title, lines, 2*maxListLines, "")
}

// briefFields shows the brief as planned: goal, audience, budget, flight and channel,
// marking what the planner assumed.
func briefFields(v conversation.Version) []*slack.TextBlockObject {
	stated := map[string]agents.Field{}
	for _, f := range v.Brief.Fields() {
		stated[f.Name] = f
	}
	p := v.Plan
	assumed := map[string]agents.Assumption{}
	if p != nil {
		for _, a := range p.Assumptions {
			assumed[a.Field] = a
		}
	}
	const notStated = "_not stated_"
	const assumedMark = " _(assumed)_"

	var goal []string
	switch f, ok := stated["goal.objective"]; {
	case ok:
		goal = append(goal, escape(f.Value))
	case p != nil:
		goal = append(goal, escape(string(p.Objective))+assumedMark)
	default:
		goal = append(goal, notStated)
	}
	for _, name := range []string{"goal.formats", "goal.max_share"} {
		if f, ok := stated[name]; ok {
			goal = append(goal, escape(f.Label+": "+f.Value))
		}
	}

	var audience []string
	for _, f := range v.Brief.Fields() {
		if strings.HasPrefix(f.Name, "audience.") {
			audience = append(audience, escape(f.Label+": "+f.Value))
		}
	}
	if a, ok := assumed["audience.geo.countries"]; ok {
		audience = append(audience, "Countries: "+escape(a.Value)+assumedMark)
	}
	if len(audience) == 0 {
		audience = append(audience, notStated)
	}

	var budget []string
	brief := ""
	if b := v.Brief.Budget; b != nil {
		brief = agents.FormatBudget(*b)
	}
	switch {
	case p != nil:
		line := escape(money.FormatAmount(p.Budget, p.Currency) + " " + p.Currency)
		if _, ok := assumed["budget.amount"]; ok {
			line += assumedMark
		}
		budget = append(budget, line)
		if brief != "" && brief != money.FormatAmount(p.Budget, p.Currency)+" "+p.Currency {
			budget = append(budget, "asked: "+escape(brief))
		}
	case brief != "":
		budget = append(budget, escape(brief))
	default:
		budget = append(budget, notStated)
	}

	var flight []string
	switch {
	case p != nil:
		line := fmt.Sprintf("%s → %s (%s)", p.Flight.Start, p.Flight.End, days(p.Flight.Days))
		for _, name := range []string{"schedule.start", "schedule.end", "schedule.days"} {
			if _, ok := assumed[name]; ok {
				line += assumedMark
				break
			}
		}
		flight = append(flight, line)
	default:
		for _, name := range []string{"schedule.start", "schedule.end", "schedule.days"} {
			if f, ok := stated[name]; ok {
				flight = append(flight, escape(f.Label+": "+f.Value))
			}
		}
		if len(flight) == 0 {
			flight = append(flight, notStated)
		}
	}

	field := func(label string, lines []string) *slack.TextBlockObject {
		return markdown(clip("*"+label+"*\n"+strings.Join(lines, "\n"), maxBriefFieldChars))
	}
	fields := []*slack.TextBlockObject{
		field("Goal", goal), field("Audience", audience), field("Budget", budget), field("Flight", flight),
	}
	if p != nil && p.Channel != "" {
		fields = append(fields, field("Channel", []string{escape(p.Channel)}))
	}
	return fields
}

// lineItemTable is the line items as a table block: format, market, budget, share,
// impressions, reach and the objective's result (mid, with its range), then totals.
// Past maxTableItems, the rest are summed in one "… and N more" row.
func lineItemTable(p agents.Plan) *slack.TableBlock {
	metric := p.Totals.Result.Metric
	ownResult := metric != "" && metric != "reach"
	head := []string{"Format", "Market", "Budget (" + p.Currency + ")", "Share", "Impressions", "Reach"}
	if ownResult {
		head = append(head, capitalize(metricName(metric)))
	}
	t := slack.NewTableBlock("")
	t.AddRow(headerCells(head)...)
	row := func(format, market string, budget, share float64, f agents.LineForecast) []slack.TableCell {
		reach := agents.CompactCount(f.Reach.Mid)
		if !ownResult {
			reach = rangeText(f.Reach.Low, f.Reach.Mid, f.Reach.High)
		}
		cells := []string{format, market, money.FormatAmount(budget, p.Currency), fmt.Sprintf("%.0f%%", share*100),
			agents.CompactCount(f.Impressions.Mid), reach}
		if ownResult {
			cells = append(cells, rangeText(f.Result.Low, f.Result.Mid, f.Result.High))
		}
		return textCells(cells)
	}
	items := p.LineItems
	shown := min(len(items), maxTableItems, maxTableRows-3)
	for _, li := range items[:shown] {
		t.AddRow(row(formatCell(li), li.Market, li.Budget, li.Share, li.Forecast)...)
	}
	if rest := items[shown:]; len(rest) > 0 {
		var budget, share float64
		var f agents.LineForecast
		var markets []string
		for _, li := range rest {
			if !slices.Contains(markets, li.Market) {
				markets = append(markets, li.Market)
			}
			budget += li.Budget
			share += li.Share
			f.Impressions = addRange(f.Impressions, li.Forecast.Impressions)
			f.Reach = addRange(f.Reach, li.Forecast.Reach)
			f.Result.Range = addRange(f.Result.Range, li.Forecast.Result.Range)
		}
		t.AddRow(row(fmt.Sprintf("… and %d more", len(rest)), clip(strings.Join(markets, ", "), 40), budget, share, f)...)
	}
	tot := p.Totals
	t.AddRow(row("Total", clip(strings.Join(planMarkets(p), ", "), 40), tot.Budget, 1, agents.LineForecast{
		Impressions: tot.Impressions, Reach: tot.Reach, Result: tot.Result,
	})...)
	settings := []slack.ColumnSetting{{Align: slack.ColumnAlignmentLeft, IsWrapped: true}, {Align: slack.ColumnAlignmentLeft}}
	for range head[2:] {
		settings = append(settings, slack.ColumnSetting{Align: slack.ColumnAlignmentRight})
	}
	return t.WithColumnSettings(settings...)
}

// headerCells are bold rich-text cells, as Slack shows a table's header row.
func headerCells(texts []string) []slack.TableCell {
	cells := make([]slack.TableCell, len(texts))
	for i, s := range texts {
		cells[i] = slack.NewTableRichTextCell(slack.NewRichTextSection(
			slack.NewRichTextSectionTextElement(s, &slack.RichTextSectionTextStyle{Bold: true})))
	}
	return cells
}

// textCells are raw_text cells: plain text, never read as markup. (Slack has
// rejected raw_number cells before, so numbers are sent as text too.)
func textCells(texts []string) []slack.TableCell {
	cells := make([]slack.TableCell, len(texts))
	for i, s := range texts {
		cells[i] = slack.NewTableRawTextCell(clip(s, maxFieldChars))
	}
	return cells
}

// formatCell says what a line item buys: "Audio · music", "Video · music · iOS".
func formatCell(li agents.LineItem) string {
	parts := []string{capitalize(strings.ToLower(li.Format))}
	for _, pl := range li.Placements {
		parts = append(parts, strings.ToLower(pl))
	}
	base := fmt.Sprintf("%s-%s-%s", li.Market, strings.ToLower(li.Format), strings.ToLower(strings.Join(li.Placements, "-")))
	if rest, ok := strings.CutPrefix(li.ID, base+"-"); ok && rest != "" {
		parts = append(parts, platformName(rest))
	}
	return strings.Join(parts, " · ")
}

func platformName(s string) string {
	switch strings.ToUpper(s) {
	case agents.PlatformIOS:
		return "iOS"
	case agents.PlatformAndroid:
		return "Android"
	case agents.PlatformDesktop:
		return "desktop"
	}
	return s
}

// totalsText is the plan's totals in one line, with frequency and CPM, which the
// table leaves out.
func totalsText(p agents.Plan) string {
	t := p.Totals
	parts := []string{
		money.FormatAmount(t.Budget, p.Currency) + " " + p.Currency,
		rangeText(t.Impressions.Low, t.Impressions.Mid, t.Impressions.High) + " impressions",
		"reach " + rangeText(t.Reach.Low, t.Reach.Mid, t.Reach.High),
	}
	if t.Result.Metric != "" && t.Result.Metric != "reach" {
		parts = append(parts, rangeText(t.Result.Low, t.Result.Mid, t.Result.High)+" "+metricName(t.Result.Metric))
	}
	parts = append(parts, fmt.Sprintf("frequency %.1f", t.Frequency.Mid), "CPM "+money.FormatAmount(round2(t.CPM.Mid), p.Currency)+" "+p.Currency)
	return "*Total:* " + escape(strings.Join(parts, " · "))
}

// evidenceText says what the forecasts rest on: the plan's evidence summary (its
// markets, formats, audience, what was widened, the season and the frequency
// caps), or for a plan stored before summaries the similar campaigns alone.
func evidenceText(p agents.Plan) string {
	e := p.Evidence
	if e.Summary != "" {
		s := e.Summary
		if e.HistorySize > 0 {
			s += fmt.Sprintf(" History: %s past campaigns.", agents.FormatCount(float64(e.HistorySize)))
		}
		return escape(s)
	}
	var s string
	switch {
	case e.SimilarCampaigns > 0:
		s = fmt.Sprintf("Based on %s similar past campaigns", agents.FormatCount(float64(e.SimilarCampaigns)))
		if len(e.MatchedOn) > 0 {
			s += " (" + strings.Join(e.MatchedOn, ", ") + ")"
		}
	default:
		s = "No closely similar past campaigns; the forecasts rest on the wider history"
	}
	if e.HistorySize > 0 {
		s += fmt.Sprintf(" out of %s", agents.FormatCount(float64(e.HistorySize)))
	}
	s += "."
	if len(e.Widened) > 0 {
		s += " Widened: " + strings.Join(e.Widened, "; ") + "."
	}
	return escape(s)
}

// assumptionLines writes each assumption as "*Budget* = 4,600 USD: why".
func assumptionLines(as []agents.Assumption) []string {
	lines := make([]string, len(as))
	for i, a := range as {
		value := a.Value
		if a.Field == "schedule.days" {
			if n, err := strconv.Atoi(value); err == nil {
				value = days(n)
			}
		}
		lines[i] = fmt.Sprintf("*%s* = %s: %s", escape(assumptionLabel(a.Field)), escape(value), escape(a.Why))
	}
	return lines
}

var assumptionLabels = map[string]string{
	"goal.objective":         "Objective",
	"audience.geo.countries": "Market",
	"budget.amount":          "Budget",
	"budget.type":            "Budget type",
	"schedule.start":         "Start",
	"schedule.end":           "End",
	"schedule.days":          "Flight length",
}

func assumptionLabel(field string) string {
	if l, ok := assumptionLabels[field]; ok {
		return l
	}
	return field
}

// AssumptionsText answers "Show assumptions": every gap the planner filled in, with
// its value and why, and how the forecasts are made; mrkdwn within one section's
// limit.
func AssumptionsText(p agents.Plan) string {
	var b strings.Builder
	if len(p.Assumptions) == 0 {
		b.WriteString("Nothing was assumed: everything in this plan comes from the brief.")
	} else {
		b.WriteString(listText("*What I assumed* (the brief did not say)", bullets(assumptionLines(p.Assumptions)), len(p.Assumptions), ""))
		b.WriteString("\nSay what to change in the thread (“make it 8k”, “run it in Germany”, “from March 1 to 31”) and I'll revise the plan.")
	}
	if m := p.Evidence.Method; m != "" {
		b.WriteString("\n*How the forecasts are made:* " + escape(m))
	}
	return clip(b.String(), maxTextChars)
}

// GapQuestion asks about the most important gap the planner filled in — the budget,
// then the dates, the market, the objective — saying what it assumed and why: "I
// assumed a budget of 9,100 USD (the median budget of 1,782 past REACH campaigns in
// US). What budget do you have in mind?" It returns "" when nothing was assumed.
func GapQuestion(p agents.Plan) string {
	assumed := map[string]agents.Assumption{}
	for _, a := range p.Assumptions {
		assumed[a.Field] = a
	}
	// why drops the "the brief states no budget;" preamble: the question says so.
	why := func(a agents.Assumption) string {
		w := a.Why
		if _, rest, ok := strings.Cut(w, "; "); ok {
			w = rest
		}
		return escape(w)
	}
	if a, ok := assumed["budget.amount"]; ok {
		return fmt.Sprintf("I assumed a budget of %s (%s). What budget do you have in mind?", escape(a.Value), why(a))
	}
	if a, ok := assumed["schedule.days"]; ok {
		return fmt.Sprintf("I assumed a %d-day flight from %s to %s (%s). When should it run?", p.Flight.Days, p.Flight.Start, p.Flight.End, why(a))
	}
	if a, ok := assumed["schedule.start"]; ok {
		return fmt.Sprintf("I assumed the flight runs from %s to %s (%s). When should it run?", p.Flight.Start, p.Flight.End, why(a))
	}
	if a, ok := assumed["schedule.end"]; ok {
		return fmt.Sprintf("I assumed the flight ends on %s (%s). When should it end?", escape(a.Value), why(a))
	}
	if a, ok := assumed["audience.geo.countries"]; ok {
		return fmt.Sprintf("I assumed the campaign runs in %s (%s). Which countries should it run in?", escape(a.Value), why(a))
	}
	if a, ok := assumed["goal.objective"]; ok {
		return fmt.Sprintf("I assumed the objective is %s (%s). What should the campaign achieve: reach, clicks, website visits, podcast streams, app installs…?", escape(a.Value), why(a))
	}
	return ""
}

// planErrorText is the planner's reason as a sentence.
func planErrorText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "The brief cannot be planned yet."
	}
	if !strings.HasPrefix(s, "adplan") {
		s = capitalize(s)
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func rangeText(low, mid, high float64) string {
	return fmt.Sprintf("%s (%s–%s)", agents.CompactCount(mid), agents.CompactCount(low), agents.CompactCount(high))
}

func addRange(a, b forecast.Range) forecast.Range {
	return forecast.Range{Low: a.Low + b.Low, Mid: a.Mid + b.Mid, High: a.High + b.High}
}

func round2(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 2, 64), 64)
	return f
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// metricName writes a result metric for people: "podcast_streams" → "podcast streams".
func metricName(m string) string { return strings.ReplaceAll(m, "_", " ") }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func escapeAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = escape(s)
	}
	return out
}
