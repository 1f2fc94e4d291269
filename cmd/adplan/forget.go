package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adplan/adplan/store"
)

// newForgetCommand deletes threads from the Redis store at once, for privacy
// requests: one thread by id, or every thread a Slack user wrote in or approved a
// plan in. (Threads otherwise expire store.thread_ttl after their last message.)
func newForgetCommand(a *app) *cobra.Command {
	var thread, user string
	cmd := &cobra.Command{
		Use:   "forget (--thread ID | --user UID)",
		Short: "Delete one thread, or every thread of one Slack user, from the store",
		Long: `Delete from the Redis store ($ADPLAN_REDIS_URL) one thread (--thread, its id as the logs
print it: TEAM/CHANNEL/THREAD_TS) or every thread in which a Slack user (--user U012ABC) sent a
message or approved a plan, for privacy requests. It prints what it deleted. Threads
otherwise expire store.thread_ttl after their last message. Threads kept in memory live
only as long as their serve process.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("forget takes no arguments; use --thread or --user")
			}
			if (thread == "") == (user == "") {
				return usageError("give exactly one of --thread ID and --user UID")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			url := a.cfg.Store.RedisURL
			if url == "" {
				return &exitError{code: exitUsage, err: fmt.Errorf("redis.url is not set: threads kept in memory live only in their serve process")}
			}
			st, err := store.OpenRedis(cmd.Context(), url, store.RedisOptions{Prefix: a.cfg.Store.KeyPrefix, ThreadTTL: a.cfg.Store.ThreadTTL})
			if err != nil {
				return &exitError{code: exitFailure, err: fmt.Errorf("config: redis.url: %w", err)}
			}
			defer st.Close()
			if thread != "" {
				ok, err := st.Forget(cmd.Context(), thread)
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintf(a.stdout, "no thread %s in the store (deleted or expired already)\n", thread)
					return nil
				}
				fmt.Fprintf(a.stdout, "deleted thread %s\n", thread)
				return nil
			}
			ids, err := st.ForgetUser(cmd.Context(), user)
			if len(ids) > 0 {
				fmt.Fprintf(a.stdout, "deleted %d thread(s) of %s:\n  %s\n", len(ids), user, strings.Join(ids, "\n  "))
			} else if err == nil {
				fmt.Fprintf(a.stdout, "no thread of %s in the store\n", user)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&thread, "thread", "", "the id of the thread to delete (TEAM/CHANNEL/THREAD_TS)")
	cmd.Flags().StringVar(&user, "user", "", "the Slack user id whose threads to delete")
	return cmd
}
