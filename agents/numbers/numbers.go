// Package numbers reads numbers written in words or digits, shared by every
// specialist that reads amounts ("twenty-five hundred dollars", "half a million",
// "thirty days", "2.5 million").
package numbers

import (
	"strconv"
	"strings"
)

// IsNumberWord reports whether w can be part of a number written in words.
func IsNumberWord(w string) bool {
	if _, ok := Units[w]; ok {
		return true
	}
	if _, ok := Scales[w]; ok {
		return true
	}
	return w == "hundred" || w == "half"
}

// ReadWords reads a cardinal at the start of tokens: number words ("twenty five
// hundred", "twenty-five"), a leading numeral with scale words ("2.5 million",
// "5 lakh"), "a"/"an" before a scale ("a million") and halves ("half a million",
// "one and a half"). It returns the value and how many tokens it used.
func ReadWords(tokens []string) (value float64, used int, ok bool) {
	var c cardinal
	i := 0
	for i < len(tokens) {
		tok := tokens[i]
		if !c.seen {
			if v, ok := ParseNumeral(tok); ok {
				c.current, c.seen = v, true
				i++
				continue
			}
			if aBeforeScale(tokens, i) {
				c.current, c.seen = 1, true
				i++
				continue
			}
			if v, n, ok := readHalf(tokens, i); ok {
				return v, n, true
			}
		}
		scaled, matched := c.add(splitHyphenated(tok))
		if !matched {
			break
		}
		i = c.and(tokens, i+1, scaled)
	}
	if !c.seen {
		return 0, 0, false
	}
	return c.total + c.current, i, true
}

// cardinal is a number in words read so far: total holds what scales closed
// ("two thousand"), current what is still open ("five" in "two thousand five").
type cardinal struct {
	total, current float64
	seen           bool
}

// add adds one token's words; scaled is whether the last one multiplied.
func (c *cardinal) add(parts []string) (scaled, matched bool) {
	matched = true
	for _, p := range parts {
		if v, ok := Units[p]; ok {
			c.current += v
			c.seen = true
			scaled = false
		} else if p == "hundred" && c.seen || p == "hundred" && len(parts) == 1 {
			if c.current == 0 {
				c.current = 1
			}
			c.current *= 100
			c.seen = true
			scaled = true
		} else if s, ok := Scales[p]; ok && c.seen {
			if c.current == 0 {
				c.current = 1
			}
			c.total += c.current * s
			c.current = 0
			scaled = true
		} else {
			matched = false
		}
	}
	return scaled, matched
}

// and reads an "and" at i that goes on with the number: "one and a half", and "one
// hundred and five", where "and" joins a scale to what follows (but "one and three
// quarters" is not four). It returns where reading goes on.
func (c *cardinal) and(tokens []string, i int, scaled bool) int {
	if i+1 >= len(tokens) || tokens[i] != "and" {
		return i
	}
	next := tokens[i+1]
	if next == "a" && i+2 < len(tokens) && tokens[i+2] == "half" {
		c.current += 0.5
		return i + 3
	}
	if _, ok := Units[next]; ok && scaled {
		return i + 1
	}
	return i
}

// splitHyphenated reads hyphenated number words ("twenty-five"), which arrive as
// one token, as their parts.
func splitHyphenated(tok string) []string {
	if !strings.Contains(tok, "-") {
		return []string{tok}
	}
	parts := strings.Split(tok, "-")
	for _, p := range parts {
		if _, ok := Units[p]; !ok {
			return []string{tok}
		}
	}
	return parts
}

// aBeforeScale reports whether token i is "a" or "an" before a scale ("a million",
// "an hundred").
func aBeforeScale(tokens []string, i int) bool {
	if (tokens[i] != "a" && tokens[i] != "an") || i+1 >= len(tokens) {
		return false
	}
	next := tokens[i+1]
	_, ok := Scales[next]
	return ok || next == "hundred"
}

// readHalf reads a number that opens with a half: "half", "a half", "half a
// million", "half million".
func readHalf(tokens []string, i int) (float64, int, bool) {
	if tokens[i] != "half" && (tokens[i] != "a" || i+1 >= len(tokens) || tokens[i+1] != "half") {
		return 0, i, false
	}
	if tokens[i] == "a" {
		i++
	}
	i++
	j := i
	if j < len(tokens) && (tokens[j] == "a" || tokens[j] == "an") {
		j++
	}
	if j < len(tokens) {
		if s, ok := Scales[tokens[j]]; ok {
			return s / 2, j + 1, true
		}
	}
	return 0.5, i, true
}

// ParseNumeral reads a number written in digits: "1500", "1,500", "2.5", "5.000"
// (a dot before exactly three digits groups thousands, as in most of Europe),
// "1.500,50" and "2,5". A sign or anything else that is not part of a number fails.
func ParseNumeral(s string) (float64, bool) {
	if s == "" || len(s) > 40 {
		return 0, false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != ',' && r != '.' {
			return 0, false
		}
	}
	if s[0] < '0' || s[0] > '9' {
		if !(s[0] == '.' && len(s) > 1) {
			return 0, false
		}
	}
	lastDot := strings.LastIndexByte(s, '.')
	lastComma := strings.LastIndexByte(s, ',')
	var clean string
	switch {
	case lastDot >= 0 && lastComma >= 0:
		// Both present: whichever comes last is the decimal mark.
		if lastDot > lastComma {
			clean = strings.ReplaceAll(s, ",", "")
		} else {
			clean = strings.ReplaceAll(s, ".", "")
			clean = strings.Replace(clean, ",", ".", 1)
		}
	case lastComma >= 0:
		if groupedByThree(s, ',') {
			clean = strings.ReplaceAll(s, ",", "")
		} else if strings.Count(s, ",") == 1 {
			clean = strings.Replace(s, ",", ".", 1)
		} else {
			return 0, false
		}
	case lastDot >= 0:
		if strings.Count(s, ".") > 1 {
			if !groupedByThree(s, '.') {
				return 0, false
			}
			clean = strings.ReplaceAll(s, ".", "")
		} else if groupedByThree(s, '.') && s[0] != '0' {
			clean = strings.ReplaceAll(s, ".", "")
		} else {
			clean = s
		}
	default:
		clean = s
	}
	v, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// groupedByThree reports whether every sep in s is followed by exactly three digits
// and the first group has one to three digits ("1,500,000", "5.000").
func groupedByThree(s string, sep byte) bool {
	groups := strings.Split(s, string(sep))
	if len(groups) < 2 || len(groups[0]) == 0 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}
