// Command gen writes the default history data set: synthetic past campaigns from
// history.Generate, as gzipped CSV. Run by go generate in agents/history.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"

	"github.com/adplan/adplan/agents/history"
	"github.com/adplan/adplan/agents/market"
)

func main() {
	n := flag.Int("n", 60000, "number of campaigns")
	seed := flag.Uint64("seed", 20260101, "random seed")
	out := flag.String("o", "data/campaigns.csv.gz", "output file (gzipped CSV)")
	flag.Parse()
	if err := run(*n, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, out string) error {
	facts, err := market.Load()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := history.Write(zw, history.Generate(n, seed, facts)); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
