package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
)

type forgetter interface {
	Save(ctx context.Context, t *conversation.Thread) error
	Load(ctx context.Context, id string) (*conversation.Thread, error)
	Forget(ctx context.Context, id string) (bool, error)
	ForgetUser(ctx context.Context, user string) ([]string, error)
}

// A privacy request deletes every thread a person wrote in or approved a plan in,
// and nothing else; one thread can be deleted by id.
func TestForgetDeletesAThreadOrEveryThreadOfAUser(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) forgetter{
		"memory": func(*testing.T) forgetter { return store.NewMemory() },
		"redis": func(t *testing.T) forgetter {
			st, _, _ := openRedis(t, store.RedisOptions{})
			return st
		},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			threads := []*conversation.Thread{
				{ID: "T1/C1/1.1", Versions: []conversation.Version{{N: 1, User: "U1", Message: "brief"}, {N: 2, User: "U2", Message: "make it 8k"}}},
				{ID: "T1/C1/2.2", Versions: []conversation.Version{{N: 1, User: "U2", Message: "brief"}},
					Approvals: []conversation.Approval{{User: "U1", Version: 1, At: time.Unix(1700000000, 0)}}},
				{ID: "T1/C2/3.3", Versions: []conversation.Version{{N: 1, User: "U2", Message: "brief"}}},
				{ID: "T1/C2/4.4", Versions: []conversation.Version{{N: 1, User: "U3", Message: "brief"}}},
			}
			for _, th := range threads {
				if err := st.Save(ctx, th); err != nil {
					t.Fatal(err)
				}
			}
			ids, err := st.ForgetUser(ctx, "U1")
			slices.Sort(ids)
			if err != nil || !slices.Equal(ids, []string{"T1/C1/1.1", "T1/C1/2.2"}) {
				t.Errorf("ForgetUser(U1) = %q, %v; want the thread U1 wrote in and the one U1 approved", ids, err)
			}
			for _, th := range threads {
				_, err := st.Load(ctx, th.ID)
				if gone := err != nil; gone != slices.Contains(ids, th.ID) {
					t.Errorf("thread %s: loaded err %v after forgetting U1", th.ID, err)
				}
			}
			if ok, err := st.Forget(ctx, "T1/C2/3.3"); !ok || err != nil {
				t.Errorf("Forget(T1/C2/3.3) = %v, %v; want deleted", ok, err)
			}
			if ok, err := st.Forget(ctx, "T1/C2/3.3"); ok || err != nil {
				t.Errorf("Forget again = %v, %v; want nothing to delete", ok, err)
			}
			if _, err := st.Load(ctx, "T1/C2/4.4"); err != nil {
				t.Errorf("an unrelated thread was deleted: %v", err)
			}
			if _, err := st.ForgetUser(ctx, ""); err == nil {
				t.Error("ForgetUser with no user deleted without complaint")
			}
		})
	}
}
