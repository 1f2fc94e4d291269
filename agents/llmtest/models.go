package llmtest

import (
	"testing"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/anthropic"
	"github.com/tmc/langchaingo/llms/openai"
)

// OpenAIModel is the real langchaingo OpenAI client, pointed at this server.
func (s *Server) OpenAIModel(tb testing.TB) llms.Model {
	tb.Helper()
	m, err := openai.New(openai.WithModel("test-model"), openai.WithBaseURL(s.OpenAIBaseURL()), openai.WithToken(APIKey))
	if err != nil {
		tb.Fatalf("starting the openai client: %v", err)
	}
	return m
}

// AnthropicModel is the real langchaingo Anthropic client, pointed at this server.
func (s *Server) AnthropicModel(tb testing.TB) llms.Model {
	tb.Helper()
	m, err := anthropic.New(anthropic.WithModel("test-model"), anthropic.WithToken(APIKey), anthropic.WithBaseURL(s.AnthropicBaseURL()))
	if err != nil {
		tb.Fatalf("starting the anthropic client: %v", err)
	}
	return m
}
