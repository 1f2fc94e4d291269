package goal

import (
	"slices"
	"strings"

	"github.com/adplan/adplan/agents"
)

// Asset formats as bits, so that sets of them are cheap to combine.
const (
	audio uint8 = 1 << iota
	video
	image
	anyFormat = audio | video | image
)

// formatCount is how many asset formats there are.
const formatCount = 3

var formatBits = [formatCount]struct {
	bit  uint8
	name string
	word string
}{
	{audio, agents.FormatAudio, "audio"},
	{video, agents.FormatVideo, "video"},
	{image, agents.FormatImage, "display"},
}

// compatible lists the formats each objective can run on, from the Ads API's
// descriptions of its objectives; objectives it says nothing about take any format.
var compatible = map[agents.Objective]uint8{
	agents.ObjectiveReach:                  audio | video,
	agents.ObjectiveClicks:                 audio | video,
	agents.ObjectiveWebsiteVisits:          audio | video,
	agents.ObjectiveVideoViews:             video,
	agents.ObjectivePodcastStreams:         audio,
	agents.ObjectiveLeadGen:                audio,
	agents.ObjectiveEvenImpressionDelivery: anyFormat,
	agents.ObjectiveAppInstalls:            anyFormat,
	agents.ObjectiveConversions:            anyFormat,
}

func bitsOf(formats []string) uint8 {
	if len(formats) == 0 {
		return anyFormat
	}
	var bits uint8
	for _, f := range formatBits {
		if slices.Contains(formats, f.name) {
			bits |= f.bit
		}
	}
	if bits == 0 {
		return anyFormat
	}
	return bits
}

func formatsOf(bits uint8) []string {
	if bits == anyFormat || bits == 0 {
		return nil
	}
	var out []string
	for _, f := range formatBits {
		if bits&f.bit != 0 {
			out = append(out, f.name)
		}
	}
	return out
}

func firstBit(bits uint8) uint8 {
	for _, f := range formatBits {
		if bits&f.bit != 0 {
			return f.bit
		}
	}
	return 0
}

// formatIndex is the place of a single format's bit in formatBits.
func formatIndex(bit uint8) int {
	for i, f := range formatBits {
		if f.bit == bit {
			return i
		}
	}
	return -1
}

func or(bits uint8) string {
	return strings.Replace(goalNames(bits), " and ", " or ", 1)
}

// goalNames writes formats in words for notes: "video", "audio and video".
func goalNames(bits uint8) string {
	var names []string
	for _, f := range formatBits {
		if bits&f.bit != 0 {
			names = append(names, f.word)
		}
	}
	return strings.Join(names, " and ")
}
