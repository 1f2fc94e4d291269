package mcpserver

import (
	"slices"
	"strings"
)

// FormatRef names a creative format: the agent that defines it and its id there.
type FormatRef struct {
	AgentURL string `json:"agent_url"`
	ID       string `json:"id"`
}

// Format is an AdCP creative format.
type Format struct {
	FormatID    FormatRef     `json:"format_id"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Assets      []FormatAsset `json:"assets"`
}

// FormatAsset is one asset a format takes.
type FormatAsset struct {
	ItemType  string `json:"item_type"`
	AssetID   string `json:"asset_id"`
	AssetType string `json:"asset_type"`
	AssetRole string `json:"asset_role,omitempty"`
	Required  bool   `json:"required"`
	// Requirements are AdCP's requirements of the asset's type (file formats,
	// aspect ratio, length).
	Requirements map[string]any `json:"requirements,omitempty"`
}

// The ids of Spotify's three ad formats, one per asset_format of a Spotify ad set.
const (
	formatAudio = "spotify_audio"
	formatVideo = "spotify_video"
	formatImage = "spotify_image"
)

// formatFor is the creative format of a plan's line item format (AUDIO, VIDEO, IMAGE).
func formatFor(planFormat string) string {
	switch strings.ToUpper(planFormat) {
	case "VIDEO":
		return formatVideo
	case "IMAGE":
		return formatImage
	default:
		return formatAudio
	}
}

// spotifyFormats are Spotify's ad formats as the Ads API v3 takes them
// (shared/spotify-ads-api/external-v3.yaml): an ad set's asset_format is AUDIO, VIDEO
// or IMAGE; every ad has its main asset (asset_id), a companion image and a logo
// image (companion_asset_id, logo_asset_id, both required), an optional 9:16 canvas
// (canvas_asset_id) and a tagline of 2 to 40 characters; audio files are MP3, OGG or
// WAV, video files MP4 or QuickTime, images JPEG or PNG. Sizes and lengths the API
// document does not state are left out rather than guessed.
func spotifyFormats(agentURL string) []Format {
	companion := func() []FormatAsset {
		return []FormatAsset{
			{ItemType: "individual", AssetID: "companion_asset_id", AssetType: "image", AssetRole: "companion", Required: true,
				Requirements: map[string]any{"formats": []string{"jpg", "jpeg", "png"}}},
			{ItemType: "individual", AssetID: "logo_asset_id", AssetType: "image", AssetRole: "logo", Required: true,
				Requirements: map[string]any{"formats": []string{"jpg", "jpeg", "png"}}},
			{ItemType: "individual", AssetID: "canvas_asset_id", AssetType: "image", AssetRole: "canvas", Required: false,
				Requirements: map[string]any{"formats": []string{"jpg", "jpeg", "png"}, "aspect_ratio": "9:16"}},
			{ItemType: "individual", AssetID: "tagline", AssetType: "text", AssetRole: "tagline", Required: true,
				Requirements: map[string]any{"min_length": 2, "max_length": 40}},
		}
	}
	return []Format{
		{
			FormatID: FormatRef{AgentURL: agentURL, ID: formatAudio},
			Name:     "Spotify audio ad",
			Description: "An audio spot played between songs or in podcasts (a Spotify ad set with asset_format AUDIO), " +
				"shown with a companion image, the advertiser's logo and a tagline on a call-to-action card.",
			Assets: append([]FormatAsset{{ItemType: "individual", AssetID: "asset_id", AssetType: "audio", AssetRole: "audio_spot", Required: true,
				Requirements: map[string]any{"formats": []string{"mp3", "ogg", "wav"}}}}, companion()...),
		},
		{
			FormatID: FormatRef{AgentURL: agentURL, ID: formatVideo},
			Name:     "Spotify video ad",
			Description: "A video played while the app is in view (a Spotify ad set with asset_format VIDEO), in 16:9, 1.91:1, " +
				"1.2:1, square or 9:16, with a companion image, the advertiser's logo and a tagline.",
			Assets: append([]FormatAsset{{ItemType: "individual", AssetID: "asset_id", AssetType: "video", AssetRole: "video", Required: true,
				Requirements: map[string]any{"containers": []string{"mp4", "mov"}}}}, companion()...),
		},
		{
			FormatID: FormatRef{AgentURL: agentURL, ID: formatImage},
			Name:     "Spotify image ad",
			Description: "A display image in the app (a Spotify ad set with asset_format IMAGE), with a companion image, " +
				"the advertiser's logo and a tagline.",
			Assets: append([]FormatAsset{{ItemType: "individual", AssetID: "asset_id", AssetType: "image", AssetRole: "image", Required: true,
				Requirements: map[string]any{"formats": []string{"jpg", "jpeg", "png"}}}}, companion()...),
		},
	}
}

// formatsMatching filters formats as list_creative_formats asks: by id, by the asset
// types they take (any of them), by words in their name.
func formatsMatching(all []Format, ids []string, assetTypes []string, nameSearch string) []Format {
	out := []Format{}
	for _, f := range all {
		if len(ids) > 0 && !slices.Contains(ids, f.FormatID.ID) {
			continue
		}
		if len(assetTypes) > 0 && !slices.ContainsFunc(f.Assets, func(a FormatAsset) bool { return slices.Contains(assetTypes, a.AssetType) }) {
			continue
		}
		if nameSearch != "" && !strings.Contains(strings.ToLower(f.Name), strings.ToLower(nameSearch)) {
			continue
		}
		out = append(out, f)
	}
	return out
}
