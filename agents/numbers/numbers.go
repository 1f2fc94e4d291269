// Package numbers reads numbers written in words or digits, shared by every
// specialist that reads amounts ("twenty-five hundred dollars", "half a million",
// "thirty days", "2.5 million").
package numbers

import (
	"strconv"
	"strings"
)

var Units = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
	"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var Scales = map[string]float64{
	"thousand": 1e3, "million": 1e6, "billion": 1e9, "lakh": 1e5, "lakhs": 1e5,
	"lac": 1e5, "lacs": 1e5, "crore": 1e7, "crores": 1e7, "thousands": 1e3,
	"millions": 1e6, "billions": 1e9,
}

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
	var total, current float64
	seen := false
	i := 0
	// Hyphenated words ("twenty-five") arrive as one token; read their parts.
	expand := func(tok string) []string {
		if strings.Contains(tok, "-") {
			parts := strings.Split(tok, "-")
			for _, p := range parts {
				if _, ok := Units[p]; !ok {
					return []string{tok}
				}
			}
			return parts
		}
		return []string{tok}
	}
	for i < len(tokens) {
		tok := tokens[i]
		if !seen {
			if v, ok := ParseNumeral(tok); ok {
				current, seen = v, true
				i++
				continue
			}
			if (tok == "a" || tok == "an") && i+1 < len(tokens) {
				next := tokens[i+1]
				if _, ok := Scales[next]; ok || next == "hundred" {
					current, seen = 1, true
					i++
					continue
				}
			}
			if tok == "half" || (tok == "a" && i+1 < len(tokens) && tokens[i+1] == "half") {
				if tok == "a" {
					i++
				}
				i++
				// "half a million", "half million"
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
		}
		parts := expand(tok)
		matched := true
		scaled := false
		for _, p := range parts {
			if v, ok := Units[p]; ok {
				current += v
				seen = true
				scaled = false
			} else if p == "hundred" && seen || p == "hundred" && len(parts) == 1 {
				if current == 0 {
					current = 1
				}
				current *= 100
				seen = true
				scaled = true
			} else if s, ok := Scales[p]; ok && seen {
				if current == 0 {
					current = 1
				}
				total += current * s
				current = 0
				scaled = true
			} else {
				matched = false
			}
		}
		if !matched {
			break
		}
		i++
		// "one and a half"; and "one hundred and five", where "and" joins a scale to
		// what follows (but "one and three quarters" is not four).
		if i+1 < len(tokens) && tokens[i] == "and" {
			next := tokens[i+1]
			if next == "a" && i+2 < len(tokens) && tokens[i+2] == "half" {
				current += 0.5
				i += 3
				continue
			}
			if _, ok := Units[next]; ok && scaled {
				i++
			}
		}
	}
	if !seen {
		return 0, 0, false
	}
	return total + current, i, true
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
