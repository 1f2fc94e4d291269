package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestAShortLoadRunLosesNothing runs the load test small, with the same faults as the
// full run: two `adplan serve` processes, one SIGKILLed a third of the way in, and
// redis-server killed and restarted two thirds of the way in. Every message must be
// answered once, in order. Latency is the full run's business (timings are not
// asserted on a shared machine).
func TestAShortLoadRunLosesNothing(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("ADPLAN_REQUIRE_REDIS") != "" {
			t.Fatal("redis-server is not installed, and ADPLAN_REQUIRE_REDIS is set")
		}
		t.Skip("skipping: redis-server is not installed")
	}
	if testing.Short() {
		t.Skip("skipping the load run in -short mode")
	}
	var stdout, stderr bytes.Buffer
	code := runMain([]string{"--json", "--threads", "20", "--messages", "120", "--rate", "40", "--max-p99", "1h"}, &stdout, &stderr)
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, report not JSON: %v\nstdout: %s\nstderr: %s", code, err, stdout.String(), stderr.String())
	}
	if code != 0 || rep.Answered != 120 || rep.Lost+rep.Duplicated+rep.OutOfOrder+rep.Errors != 0 {
		t.Errorf("exit %d: answered %d, lost %d, duplicated %d, out of order %d, errors %d\nproblems:\n%s",
			code, rep.Answered, rep.Lost, rep.Duplicated, rep.OutOfOrder, rep.Errors, strings.Join(rep.Problems, "\n"))
	}
	// The replicas share the work: Slack spreads events over their connections and
	// any replica takes any job.
	if len(rep.PerReplica) != 2 || !rep.PerReplica[0].Killed || rep.PerReplica[1].Events == 0 || rep.PerReplica[1].Plans == 0 {
		t.Errorf("per replica: %+v; want replica 0 killed and replica 1 receiving events and posting plans", rep.PerReplica)
	}
	if rep.KilledAt != 40 || rep.RedisRestartAt != 80 {
		t.Errorf("faults at messages %d and %d; want a replica killed at 40 and Redis restarted at 80", rep.KilledAt, rep.RedisRestartAt)
	}
}

func TestBadFlagsAreUsageErrors(t *testing.T) {
	tests := []struct {
		give []string
		want string
	}{
		{[]string{"--replicas", "11"}, "--replicas must be from 1 to 10"},
		{[]string{"--replicas", "1"}, "killing a replica needs --replicas 2"},
		{[]string{"--threads", "10", "--messages", "5"}, "--messages at least --threads"},
		{[]string{"--rate", "0"}, "--rate must be positive"},
		{[]string{"extra"}, "takes no arguments"},
		{[]string{"--nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := runMain(tt.give, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.give, code, stderr.String(), tt.want)
		}
	}
}
