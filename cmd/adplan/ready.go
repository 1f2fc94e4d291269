package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// newReadyCommand asks a running `adplan serve` whether it is ready, through its
// /readyz on ops.addr: a health check for containers whose image has no curl (the
// distroless one), as in docker-compose.yml.
func newReadyCommand(a *app) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "ready",
		Short: "Exit 0 when the adplan serving on ops.addr is ready, 1 when not",
		Long: `Ask the adplan serve process listening on ops.addr ($ADPLAN_OPS_ADDR) for /readyz and
print its answer: exit 0 when it is ready (Socket Mode connected, the store taking
writes), 1 when it is not or does not answer. A wildcard listen address (0.0.0.0:9090,
:9090) is asked on the loopback.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("ready takes no arguments")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			addr := a.cfg.Ops.Addr
			if addr == "" {
				return &exitError{code: exitUsage, err: fmt.Errorf("ops.addr is off, so there is no /readyz to ask")}
			}
			url := "http://" + dialable(addr) + "/readyz"
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("ops.addr %q: %w", addr, err)}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return &exitError{code: exitFailure, err: fmt.Errorf("not ready: nothing answers on %s: %w", url, err)}
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			fmt.Fprint(a.stdout, string(body))
			if resp.StatusCode != http.StatusOK {
				return &exitError{code: exitFailure, err: fmt.Errorf("not ready (%s)", resp.Status)}
			}
			return nil
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "how long to wait for the answer")
	return cmd
}

// dialable turns a listen address into one to connect to: a wildcard or empty host
// is the loopback.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	switch strings.Trim(host, "[]") {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
