// Package datafile reads the engine's embedded data files: one JSON document each,
// read strictly, so that a misspelt table name fails instead of leaving a table empty.
package datafile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// Decode reads the one JSON document in b into v, refusing fields v does not have and
// anything after the document.
func Decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the table")
	}
	return nil
}

// MustDecode is Decode for a file that is part of the program: a malformed one is a
// build defect, and it panics naming the file.
func MustDecode(name string, b []byte, v any) {
	if err := Decode(b, v); err != nil {
		panic(fmt.Sprintf("reading %s: %v", name, err))
	}
}

// MustRead reads name from fsys (an embedded folder) and decodes it with MustDecode.
func MustRead(fsys fs.ReadFileFS, name string, v any) {
	b, err := fsys.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("reading %s: %v", name, err))
	}
	MustDecode(name, b, v)
}
