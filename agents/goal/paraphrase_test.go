package goal

import (
	"testing"

	"github.com/adplan/adplan/agents"
)

// TestGoalReadsParaphrasesAndChannels checks goals said in other words and in other
// languages, and the buying channel as planners name it.
func TestGoalReadsParaphrasesAndChannels(t *testing.T) {
	tests := []struct {
		give      string
		objective agents.Objective
		channel   string
	}{
		{"Queremos notoriedad de marca en Chile", agents.ObjectiveReach, ""},
		{"objetivo: divulgar a marca em Portugal", agents.ObjectiveReach, ""},
		{"Ziel ist Markenbekanntheit in Österreich", agents.ObjectiveReach, ""},
		{"objectif : notoriété, budget 20 000 €", agents.ObjectiveReach, ""},
		{"necesitamos más ventas online", agents.ObjectiveConversions, ""},
		{"foco em vendas no Natal", agents.ObjectiveConversions, ""},
		{"mehr Verkäufe im Webshop", agents.ObjectiveConversions, ""},
		{"augmenter les ventes", agents.ObjectiveConversions, ""},
		{"más tráfico a la tienda online", agents.ObjectiveWebsiteVisits, ""},
		{"mehr Besuche auf der Website", agents.ObjectiveWebsiteVisits, ""},
		{"obiettivo: clic", agents.ObjectiveClicks, ""},
		{"descargas de la app en Ecuador", agents.ObjectiveAppInstalls, ""},
		{"we'd love more people to hear about our new bistro", agents.ObjectiveReach, ""},
		{"podcast promo for our cooking show", agents.ObjectivePodcastStreams, ""},
		// A sales rep is how the campaign is bought, not a goal of sales.
		{"booked through our Spotify sales rep, awareness", agents.ObjectiveReach, agents.ChannelDirect},
		{"via our account manager at Spotify, reach", agents.ObjectiveReach, agents.ChannelDirect},
		{"we buy direct from Spotify, clicks", agents.ObjectiveClicks, agents.ChannelDirect},
		{"IO signed, app installs", agents.ObjectiveAppInstalls, agents.ChannelDirect},
		{"running as a PG deal, reach", agents.ObjectiveReach, agents.ChannelProgrammatic},
		// Reach stays reach beside audience and channel words.
		{"reach parents of teens, programmatic", agents.ObjectiveReach, agents.ChannelProgrammatic},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		if res.Goal == nil {
			t.Errorf("Run(%q) read no goal", tt.give)
			continue
		}
		if res.Goal.Objective != tt.objective || res.Goal.Channel != tt.channel {
			t.Errorf("Run(%q) = %s via %q, want %s via %q", tt.give, res.Goal.Objective, res.Goal.Channel, tt.objective, tt.channel)
		}
	}
}

// TestGoalSelfCorrections checks that a correction in one message keeps the goal the
// planner settled on, and that a side goal added after "actually" takes nothing back.
func TestGoalSelfCorrections(t *testing.T) {
	tests := []struct {
		give string
		want agents.Objective
	}{
		{"installs, no wait, make it website visits", agents.ObjectiveWebsiteVisits},
		{"awareness... actually we mostly want sign-ups", agents.ObjectiveLeadGen},
		{"clicks. sorry, I meant reach", agents.ObjectiveReach},
		{"Actually, we want clicks", agents.ObjectiveClicks},
		{"awareness, actually also some clicks", agents.ObjectiveReach},
		{"reach, actually conversions as well", agents.ObjectiveReach},
	}
	for _, tt := range tests {
		res := runFirst(t, tt.give)
		if res.Goal == nil || res.Goal.Objective != tt.want {
			t.Errorf("Run(%q) = %+v, want objective %s", tt.give, res.Goal, tt.want)
		}
	}
}
