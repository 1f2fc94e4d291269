// Package typo corrects a misspelt word of a closed vocabulary ("germnay",
// "awarness", "womne") conservatively: a word of at least a minimum number of letters
// is read as a vocabulary entry when it is one edit away from it (a letter inserted,
// deleted, substituted, or two neighbours transposed), no other entry is that close,
// and the word is not itself a known word. Entries are found through an index of
// their one-letter deletions built once, so a look-up costs a few hashes.
package typo

import "hash/maphash"

// Index finds the vocabulary entry a misspelt word means.
type Index struct {
	entries []string
	// meanings are what each entry means: entries of one meaning ("clicks", "clics")
	// are not two guesses.
	meanings []string
	known    map[string]bool
	// deletions maps the hash of each entry and of each of its one-letter deletions
	// to the entries it came from.
	deletions  map[uint64][]int32
	minLetters int
	seed       maphash.Seed
}

// New indexes entries (lower-case ASCII words; others are left out, never corrected
// to), each with what it means; meanings may be nil when every entry means itself. known are words that are never corrected: real words one edit from an entry
// ("sales" is not "wales"). Words of fewer than minLetters letters are never
// corrected.
func New(entries, meanings, known []string, minLetters int) *Index {
	x := &Index{known: make(map[string]bool, len(known)), deletions: map[uint64][]int32{},
		minLetters: minLetters, seed: maphash.MakeSeed()}
	for _, w := range known {
		x.known[w] = true
	}
	seen := map[string]bool{}
	for n, e := range entries {
		if len(e) < minLetters || !lowerASCII(e) || seen[e] {
			continue
		}
		seen[e] = true
		k := int32(len(x.entries))
		x.entries = append(x.entries, e)
		meaning := e
		if n < len(meanings) {
			meaning = meanings[n]
		}
		x.meanings = append(x.meanings, meaning)
		x.addKey(x.hash(e, -1), k)
		for i := range len(e) {
			x.addKey(x.hash(e, i), k)
		}
	}
	return x
}

func (x *Index) addKey(h uint64, k int32) {
	for _, have := range x.deletions[h] {
		if have == k {
			return
		}
	}
	x.deletions[h] = append(x.deletions[h], k)
}

// Correct returns the entry w is a misspelling of, or "" and false when w is short,
// known, an entry itself, or the entries one edit away are not all of one meaning.
func (x *Index) Correct(w string) (string, bool) {
	if x == nil || len(w) < x.minLetters || len(w) > 40 || !lowerASCII(w) || x.known[w] {
		return "", false
	}
	found := int32(-1)
	check := func(h uint64) bool {
		for _, k := range x.deletions[h] {
			e := x.entries[k]
			if e == w {
				return false // an entry itself: nothing to correct
			}
			if k != found && withinOneEdit(w, e) {
				if found >= 0 && x.meanings[found] != x.meanings[k] {
					return false // two entries are as close: no guess
				}
				if found < 0 {
					found = k
				}
			}
		}
		return true
	}
	if !check(x.hash(w, -1)) {
		return "", false
	}
	for i := range len(w) {
		if !check(x.hash(w, i)) {
			return "", false
		}
	}
	if found < 0 {
		return "", false
	}
	return x.entries[found], true
}

// hash hashes s without its byte at skip (none when skip < 0).
func (x *Index) hash(s string, skip int) uint64 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	if skip < 0 {
		h.WriteString(s)
	} else {
		h.WriteString(s[:skip])
		h.WriteString(s[skip+1:])
	}
	return h.Sum64()
}

func lowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// withinOneEdit reports whether a and b differ by at most one insertion, deletion,
// substitution or transposition of neighbours (optimal string alignment distance ≤ 1).
func withinOneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return true
		}
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}
