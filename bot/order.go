package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/adplan/adplan/conversation"
)

// waitTurn decides whether a queued job may run now. A thread's job s runs once job
// s−1 is finished — its plan posted, not only saved — so plans appear in the thread in
// the order they were asked for; until then it answers errNotYet. It asks only the
// queue, so a job waiting its turn never reads the thread (nor tells the thread the
// store is down while an earlier job is already saying so). applied is how far the
// thread's jobs are finished, for madeBefore.
func (b *Bot) waitTurn(ctx context.Context, j job) (applied int64, err error) {
	if j.seq == 0 {
		return 0, nil
	}
	applied, err = b.order.Applied(ctx, j.threadID())
	if err != nil {
		return 0, &storeError{err}
	}
	if applied < j.seq-1 {
		return applied, errNotYet
	}
	return applied, nil
}

// madeBefore reports whether this job already made its version, in an earlier run
// whose worker died before finishing: finishApplied completes it. th was loaded after
// waitTurn answered applied.
func (b *Bot) madeBefore(j job, th *conversation.Thread, applied int64) bool {
	if j.seq > 0 && applied >= j.seq {
		return true
	}
	return slices.ContainsFunc(th.Versions, j.made)
}

// rootWait is how long after a thread's first message a follow-up in a thread with no
// plan yet waits for that first message to be planned, instead of being taken for a
// reply in a thread adplan is not part of: Slack may deliver the brief late (it
// retries an envelope a dead replica never acknowledged) or to another replica.
const rootWait = time.Minute

// mayAwaitRoot reports whether j, a follow-up in a thread with no plan, may still see
// the thread's brief arrive.
func (b *Bot) mayAwaitRoot(j job) bool {
	if j.sentTS == "" {
		return false
	}
	sent, err1 := strconv.ParseFloat(j.sentTS, 64)
	root, err2 := strconv.ParseFloat(j.threadTS, 64)
	return err1 == nil && err2 == nil && sent-root < rootWait.Seconds()
}

// claimOwnerAlive reports whether the replica that claimed a version's posting is
// still alive; then it is posting the plan, and nobody else may.
func (b *Bot) claimOwnerAlive(ctx context.Context, claim string) (bool, error) {
	owner := strings.TrimPrefix(claim, postingPrefix)
	if i := strings.LastIndexByte(owner, '@'); i >= 0 {
		owner = owner[:i]
	}
	if !b.storeSteadyFor(b.opts.ReclaimAfter) {
		return true, nil // nobody could heartbeat lately; give the owner time to
	}
	alive, err := b.replicas.Alive(ctx, owner)
	if err != nil {
		return false, &storeError{err}
	}
	return alive, nil
}
