package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/adplan/adplan/agents"
)

// benchBriefs is a varied set of briefs: objectives, markets, currencies, formats,
// placements and flights a planner meets in a week.
//
//go:embed bench_briefs.txt
var benchBriefs string

// benchReport is what `adplan bench --json` prints.
type benchReport struct {
	Plans       int     `json:"plans"`
	Briefs      int     `json:"briefs"`
	HistorySize int     `json:"history_size"`
	StartupMS   float64 `json:"startup_ms"`
	HeapMB      float64 `json:"heap_mb"`
	SysMB       float64 `json:"sys_mb"`
	// RSSMB and PeakRSSMB are the process's resident memory after start-up and its
	// peak so far, from /proc/self/status (0 where that is not available).
	RSSMB          float64 `json:"rss_mb"`
	PeakRSSMB      float64 `json:"peak_rss_mb"`
	ParseP50US     float64 `json:"parse_p50_us"`
	PlanP50MS      float64 `json:"plan_p50_ms"`
	PlanP99MS      float64 `json:"plan_p99_ms"`
	PlansPerSecond float64 `json:"plans_per_second"`
	// HTTP is the same planning through POST /v1/plans on loopback (bench --http).
	HTTP *httpBench `json:"http,omitempty"`
}

func newBenchCommand(a *app) *cobra.Command {
	var n int
	var asJSON bool
	var hb httpBenchFlags
	cmd := &cobra.Command{
		Use:   "bench [--n N] [--json]",
		Short: "Measure start-up, memory and planning speed in this process",
		Long: `Load the history and fit the forecasts (timed, with the memory they take), read a
varied set of briefs, then plan N of them one after another and print the median and
99th-percentile time of one plan and plans per second.

With --http it then starts the HTTP API on a loopback port in this process and sends N
POST /v1/plans requests (the same briefs, read and planned by the server) from a Go client,
--concurrency at a time, and prints plans per second with the median and 99th-percentile
latency beside the in-process figures. --rate paces the requests instead.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("bench takes no arguments")
			}
			if n < 1 {
				return usageError("--n must be at least 1")
			}
			if hb.concurrency < 1 || hb.concurrency > 1024 {
				return usageError("--concurrency must be from 1 to 1024")
			}
			if hb.rate < 0 {
				return usageError("--rate must be 0 (as fast as it goes) or more")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := a.bench(cmd.Context(), n)
			if err != nil {
				return err
			}
			if hb.on {
				h, err := a.benchHTTP(cmd.Context(), n, hb)
				if err != nil {
					return err
				}
				r.HTTP = &h
			}
			if asJSON {
				return writeJSON(a.stdout, r)
			}
			fmt.Fprintf(a.stdout, "start-up: %.0f ms to load %d past campaigns and fit the forecasts; heap %.0f MB, resident %.0f MB (peak %.0f MB)\n",
				r.StartupMS, r.HistorySize, r.HeapMB, r.RSSMB, r.PeakRSSMB)
			fmt.Fprintf(a.stdout, "parse: p50 %.0f µs over %d briefs\n", r.ParseP50US, r.Briefs)
			fmt.Fprintf(a.stdout, "plan:  p50 %.2f ms, p99 %.2f ms, %.0f plans/s over %d plans\n", r.PlanP50MS, r.PlanP99MS, r.PlansPerSecond, r.Plans)
			if h := r.HTTP; h != nil {
				fmt.Fprintf(a.stdout, "in-process, read and plan, %d at once: %.0f plans/s\n", h.Concurrency, h.InProcessPlansPerSecond)
				paced := "as fast as it goes"
				if h.Rate > 0 {
					paced = fmt.Sprintf("paced at %.0f/s", h.Rate)
				}
				fmt.Fprintf(a.stdout, "HTTP POST /v1/plans, %d at once, %s: %.0f plans/s (%.0f%% of in-process plan), p50 %.2f ms, p99 %.2f ms, %d errors over %d requests\n",
					h.Concurrency, paced, h.PlansPerSecond, 100*h.PlansPerSecond/r.PlansPerSecond, h.P50MS, h.P99MS, h.Errors, h.Requests)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&n, "n", 2000, "how many plans to make")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the figures as one JSON object")
	cmd.Flags().BoolVar(&hb.on, "http", false, "also start the HTTP API on loopback and plan the briefs through POST /v1/plans")
	cmd.Flags().IntVar(&hb.concurrency, "concurrency", 4, "with --http: requests in flight at once")
	cmd.Flags().Float64Var(&hb.rate, "rate", 0, "with --http: send requests at this many a second (latency counted from when each was due), instead of as fast as they are answered")
	return cmd
}

func (a *app) bench(ctx context.Context, n int) (benchReport, error) {
	start := time.Now()
	planner, err := a.planner()
	if err != nil {
		return benchReport{}, err
	}
	r := benchReport{Plans: n, StartupMS: ms(time.Since(start)), HistorySize: planner.HistorySize()}
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	r.HeapMB, r.SysMB = float64(mem.HeapAlloc)/(1<<20), float64(mem.Sys)/(1<<20)
	r.RSSMB, r.PeakRSSMB = residentMB()

	var briefs []agents.Brief
	var parseTimes []time.Duration
	for _, line := range strings.Split(strings.TrimSpace(benchBriefs), "\n") {
		t0 := time.Now()
		reading, err := a.coordinator.Read(ctx, agents.Brief{}, line, false, a.now)
		parseTimes = append(parseTimes, time.Since(t0))
		if err != nil {
			return r, fmt.Errorf("reading bench brief %q: %w", line, err)
		}
		briefs = append(briefs, reading.Brief)
	}
	r.Briefs = len(briefs)
	r.ParseP50US = float64(percentile(parseTimes, 0.5).Nanoseconds()) / 1e3

	took := make([]time.Duration, 0, n)
	all := time.Now()
	for i := range n {
		t0 := time.Now()
		if _, err := planner.Plan(ctx, briefs[i%len(briefs)], a.now, a.cfg.Planner.Channel); err != nil {
			return r, fmt.Errorf("planning bench brief %d: %w", i%len(briefs)+1, err)
		}
		took = append(took, time.Since(t0))
	}
	r.PlansPerSecond = float64(n) / time.Since(all).Seconds()
	r.PlanP50MS = ms(percentile(took, 0.5))
	r.PlanP99MS = ms(percentile(took, 0.99))
	return r, nil
}

func percentile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// residentMB reads the resident set size and its peak (VmRSS, VmHWM) of this process.
func residentMB() (rss, peak float64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		var kb float64
		if _, err := fmt.Sscanf(strings.TrimSpace(value), "%f kB", &kb); err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			peak = kb / 1024
		}
	}
	return rss, peak
}
