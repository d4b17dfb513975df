package io.chroma.embeddings;

import io.chroma.api.EmbeddingFunction;
import io.chroma.api.EmbeddingFunctionFactory;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.internal.EmbeddingFunctions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryTest {
    @Test
    void everyFunctionIsRegisteredUnderChromasName() {
        List<String> names = new ArrayList<>();
        for (EmbeddingFunctionFactory f : ServiceLoader.load(EmbeddingFunctionFactory.class)) {
            names.add(f.name());
        }
        assertThat(names).containsExactlyInAnyOrder("default", "onnx_mini_lm_l6_v2", "openai", "ollama",
                "huggingface_server", "cohere");
    }

    @Test
    void recordsFromChromasClientsRebuild() {
        // as a Python 1.x client records them (configuration_json.embedding_function)
        EmbeddingFunction openai = EmbeddingFunctions.rebuild(Map.of("type", "known", "name", "openai", "config",
                Map.of("api_key_env_var", "CHROMA_OPENAI_API_KEY", "model_name", "text-embedding-3-small",
                        "dimensions", 256L)));
        assertThat(openai.config()).containsEntry("api_key_env_var", "CHROMA_OPENAI_API_KEY")
                .containsEntry("dimensions", 256);
        EmbeddingFunction ollama = EmbeddingFunctions.rebuild(Map.of("type", "known", "name", "ollama", "config",
                Map.of("url", "http://localhost:11434", "model_name", "nomic-embed-text", "timeout", 60)));
        assertThat(ollama.config()).containsEntry("model_name", "nomic-embed-text");
        assertThat(EmbeddingFunctions.rebuild(Map.of("type", "known", "name", "no_such_function", "config", Map.of())))
                .isNull();
        assertThat(EmbeddingFunctions.rebuild(Map.of("type", "legacy"))).isNull();
    }

    @Test
    void malformedConfigIsAClearError() {
        assertThatThrownBy(() -> EmbeddingFunctions.rebuild(Map.of("type", "known", "name", "ollama", "config",
                Map.of("url", 42))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("'url' must be a string");
        assertThatThrownBy(() -> EmbeddingFunctions.rebuild(Map.of("type", "known", "name", "openai", "config",
                Map.of("dimensions", 1.5))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("'dimensions' must be an integer");
    }
}
