package main

import "testing"

// TestNewModel checks each provider is built from its settings, and a missing key or
// model, or an unknown provider, is refused.
func TestNewModel(t *testing.T) {
	tests := []struct {
		provider, model, baseURL, key string
		wantNil, wantErr              bool
	}{
		{provider: "none", wantNil: true},
		{provider: "", wantNil: true},
		{provider: "openai", model: "gpt-4o-mini", key: "k"},
		{provider: "openai", model: "local", baseURL: "http://localhost:8000/v1"},
		{provider: "openai", model: "gpt-4o-mini", wantErr: true},
		{provider: "openai", wantErr: true, key: "k"},
		{provider: "anthropic", model: "claude", key: "k"},
		{provider: "anthropic", model: "claude", wantErr: true},
		{provider: "ollama", model: "llama3.2"},
		{provider: "ollama", model: "llama3.2", baseURL: "http://gpu-box:11434"},
		{provider: "googleai", model: "gemini-2.0-flash", key: "k"},
		{provider: "googleai", model: "gemini-2.0-flash", wantErr: true},
		{provider: "bedrock", model: "x", key: "k", wantErr: true},
	}
	for _, tt := range tests {
		m, err := newModel(tt.provider, tt.model, tt.baseURL, tt.key)
		switch {
		case tt.wantErr && err == nil:
			t.Errorf("newModel(%q, %q, %q): no error", tt.provider, tt.model, tt.baseURL)
		case !tt.wantErr && err != nil:
			t.Errorf("newModel(%q, %q, %q): %v", tt.provider, tt.model, tt.baseURL, err)
		case !tt.wantErr && (m == nil) != tt.wantNil:
			t.Errorf("newModel(%q): model %v, want nil %v", tt.provider, m, tt.wantNil)
		}
	}
}
