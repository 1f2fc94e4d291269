package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/anthropic"
	"github.com/tmc/langchaingo/llms/googleai"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"
	"google.golang.org/api/option"
)

// LLM providers newModel knows, as llm.provider names them.
const (
	providerNone      = "none"
	providerOpenAI    = "openai"
	providerAnthropic = "anthropic"
	providerOllama    = "ollama"
	providerGoogleAI  = "googleai"
)

// openAIDefaultBaseURL is OpenAI's own endpoint. It is always passed explicitly, so
// that OPENAI_BASE_URL in the environment cannot redirect adplan's calls.
const openAIDefaultBaseURL = "https://api.openai.com/v1"

// noKey is sent as the key to OpenAI-compatible servers that need none (a local
// vLLM, LM Studio or llama.cpp server), since the client refuses an empty one.
const noKey = "not-needed"

// newModel returns the langchaingo model for a provider: openai (and any
// OpenAI-compatible endpoint through baseURL: vLLM, LM Studio, llama.cpp server,
// Azure OpenAI's /openai/v1 endpoint), anthropic, ollama or googleai. "none" (or "")
// returns nil: the rule-based engine alone. model is required for every provider.
func newModel(provider, model, baseURL, apiKey string) (llms.Model, error) {
	provider = strings.ToLower(strings.TrimSpace(provider))
	if provider == "" || provider == providerNone {
		return nil, nil
	}
	if strings.TrimSpace(model) == "" {
		return nil, fmt.Errorf("provider %s needs a model name (llm.model)", provider)
	}
	switch provider {
	case providerOpenAI:
		if baseURL == "" {
			baseURL = openAIDefaultBaseURL
			if apiKey == "" {
				return nil, errors.New("provider openai needs an API key (ADPLAN_LLM_API_KEY), or llm.base_url for a local server")
			}
		}
		if apiKey == "" {
			apiKey = noKey
		}
		m, err := openai.New(openai.WithModel(model), openai.WithBaseURL(strings.TrimRight(baseURL, "/")), openai.WithToken(apiKey))
		if err != nil {
			return nil, fmt.Errorf("starting the openai client: %w", err)
		}
		return m, nil
	case providerAnthropic:
		if apiKey == "" {
			return nil, errors.New("provider anthropic needs an API key (ADPLAN_LLM_API_KEY)")
		}
		opts := []anthropic.Option{anthropic.WithModel(model), anthropic.WithToken(apiKey)}
		if baseURL != "" {
			opts = append(opts, anthropic.WithBaseURL(strings.TrimRight(baseURL, "/")))
		}
		m, err := anthropic.New(opts...)
		if err != nil {
			return nil, fmt.Errorf("starting the anthropic client: %w", err)
		}
		return m, nil
	case providerOllama:
		opts := []ollama.Option{ollama.WithModel(model)}
		if baseURL != "" {
			opts = append(opts, ollama.WithServerURL(baseURL))
		}
		m, err := ollama.New(opts...)
		if err != nil {
			return nil, fmt.Errorf("starting the ollama client: %w", err)
		}
		return m, nil
	case providerGoogleAI:
		if apiKey == "" {
			return nil, errors.New("provider googleai needs an API key (ADPLAN_LLM_API_KEY)")
		}
		opts := []googleai.Option{googleai.WithAPIKey(apiKey), googleai.WithDefaultModel(model)}
		if baseURL != "" {
			opts = append(opts, func(o *googleai.Options) {
				o.ClientOptions = append(o.ClientOptions, option.WithEndpoint(baseURL))
			})
		}
		m, err := googleai.New(context.Background(), opts...)
		if err != nil {
			return nil, fmt.Errorf("starting the googleai client: %w", err)
		}
		return m, nil
	}
	return nil, fmt.Errorf("unknown language model provider %q: use none, openai, anthropic, ollama or googleai", provider)
}
