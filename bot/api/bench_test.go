package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/adplan/adplan/conversation/session"
)

// BenchmarkPostPlan plans a brief through POST /v1/plans over loopback, as many at
// once as GOMAXPROCS; compare BenchmarkServicePlan, the same without HTTP.
func BenchmarkPostPlan(b *testing.B) {
	ts := newServer(b, nil)
	body, _ := json.Marshal(map[string]string{"brief": brief})
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/plans", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+aliceToken)
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
}

// BenchmarkServicePlan reads and plans the brief in-process, as POST /v1/plans does.
func BenchmarkServicePlan(b *testing.B) {
	p, c := engine(b)
	svc := &session.Service{Reader: c, Planner: p}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svc.Plan(b.Context(), brief); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
