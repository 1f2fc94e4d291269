package goal

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/adplan/adplan/agents"
)

// covered quotes the words of m each source of res covers, by field.
func covered(m agents.Message, res agents.Result) map[string][]string {
	out := map[string][]string{}
	for _, s := range res.Sources {
		out[s.Field] = append(out[s.Field], m.Lower[s.Span.Start:s.Span.End])
	}
	return out
}

func TestDebugSources(t *testing.T) {
	for _, text := range []string{os.Getenv("GOALMSG")} {
		m := agents.NewMessage(text, testNow)
		res, _ := New().Run(context.Background(), agents.Request{Message: m, Now: testNow, FollowUp: os.Getenv("FU") != ""})
		fmt.Printf("%q\n  %#v\n", text, covered(m, res))
	}
}
