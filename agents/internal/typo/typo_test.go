package typo

import "testing"

func TestCorrect(t *testing.T) {
	x := New([]string{"germany", "france", "awareness", "women", "wales", "austria", "australia", "peru"}, nil,
		[]string{"sales"}, 5)
	tests := []struct {
		give, want string
	}{
		{"germnay", "germany"},    // transposition
		{"frnace", "france"},      // transposition
		{"awarness", "awareness"}, // deletion
		{"awareneess", "awareness"},
		{"womne", "women"},
		{"wpmen", "women"},      // substitution
		{"germanyy", "germany"}, // insertion
		{"sales", ""},           // a known word is never corrected
		{"germany", ""},         // an entry itself
		{"gremnay", ""},         // two edits
		{"peruu", ""},           // entries under five letters are no target
		{"wome", ""},            // too short
		{"Germnay", ""},         // only lower-case words are read
		{"austrlia", ""},        // one edit from both austria and australia
		{"australai", "australia"},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := x.Correct(tt.give)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Correct(%q) = %q, %v; want %q", tt.give, got, ok, tt.want)
		}
	}
}

// TestCorrectAmbiguous checks that a word as close to two entries is not guessed.
func TestCorrectAmbiguous(t *testing.T) {
	x := New([]string{"austria", "austral"}, nil, nil, 5)
	if got, ok := x.Correct("austra"); ok {
		t.Errorf("Correct(austra) = %q, want no guess between austria and austral", got)
	}
	// Entries of one meaning are one guess.
	x = New([]string{"clicks", "clics"}, []string{"CLICKS", "CLICKS"}, nil, 5)
	if got, ok := x.Correct("clikcs"); !ok || got != "clicks" {
		t.Errorf("Correct(clikcs) = %q, %v; want clicks", got, ok)
	}
	x = New([]string{"austria", "austral"}, []string{"AT", "AU"}, nil, 5)
	if got, ok := x.Correct("austra"); ok {
		t.Errorf("Correct(austra) = %q, want no guess between austria and austral", got)
	}
}

func TestWithinOneEdit(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"abcde", "abcde", true}, {"abcde", "abdce", true}, {"abcde", "abcd", true}, {"abcde", "xabcde", true},
		{"abcde", "abxde", true}, {"abcde", "badce", false}, {"abcde", "abc", false}, {"ab", "ba", true},
		{"abcde", "aebcd", false},
	} {
		if got := withinOneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzCorrect(f *testing.F) {
	x := New([]string{"germany", "france", "awareness"}, nil, nil, 5)
	f.Add("germnay")
	f.Add("ßßßßß")
	f.Fuzz(func(t *testing.T, w string) {
		got, ok := x.Correct(w)
		if ok && !withinOneEdit(w, got) {
			t.Errorf("Correct(%q) = %q, more than one edit away", w, got)
		}
	})
}
