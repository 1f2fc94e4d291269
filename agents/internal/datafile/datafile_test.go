package datafile

import "testing"

func TestDecodeIsStrict(t *testing.T) {
	type table struct {
		Words []string `json:"words"`
	}
	var ok table
	if err := Decode([]byte(`{"words": ["a", "b"]}`), &ok); err != nil || len(ok.Words) != 2 {
		t.Fatalf("Decode of a good table: %v, %+v", err, ok)
	}
	for name, give := range map[string]string{
		"unknown table": `{"wordz": []}`,
		"not json":      `{"words": [`,
		"two documents": `{} {}`,
	} {
		var v table
		if err := Decode([]byte(give), &v); err == nil {
			t.Errorf("%s: Decode(%s) = nil, want an error", name, give)
		}
	}
}

func TestMustDecodePanicsNamingTheFile(t *testing.T) {
	defer func() {
		if p, _ := recover().(string); p != "reading x.json: data after the table" {
			t.Errorf("panic = %q, want it to name the file and the fault", p)
		}
	}()
	var v struct{}
	MustDecode("x.json", []byte(`{} {}`), &v)
}
