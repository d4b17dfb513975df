package io.chroma.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Local stand-ins for the providers' embedding APIs: each checks the request shape and limits its
 * real counterpart enforces and answers in that API's response and error shapes (taken from the
 * providers' API references), with deterministic fake vectors so tests can check order.
 */
final class ProviderMocks {
    static final ObjectMapper JSON = new ObjectMapper();

    private ProviderMocks() {
    }

    /** A vector derived from the text alone, so any reordering shows. */
    static float[] fake(String text, int dims) {
        float[] v = new float[dims];
        int h = text.hashCode();
        for (int i = 0; i < dims; i++) {
            h = h * 31 + i + 7;
            v[i] = (h % 1000) / 1000f;
        }
        v[0] = text.length();
        return v;
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** Records every request and replays queued faults (429, 503, ...) before answering normally. */
    abstract static class Api extends Dispatcher {
        final Deque<MockResponse> faults = new ConcurrentLinkedDeque<>();
        final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
        final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            JsonNode body;
            try {
                body = JSON.readTree(request.getBody() == null ? "" : request.getBody().string(StandardCharsets.UTF_8));
            } catch (Exception e) {
                return json(400, "{\"error\":\"could not parse JSON body\"}");
            }
            bodies.add(body);
            MockResponse fault = faults.poll();
            if (fault != null) {
                return fault;
            }
            if (!"POST".equals(request.getMethod())) {
                return json(405, "{\"error\":\"method not allowed\"}");
            }
            return handle(request, body);
        }

        abstract MockResponse handle(RecordedRequest request, JsonNode body);

        static List<String> strings(JsonNode n) {
            List<String> out = new ArrayList<>();
            if (n != null && n.isArray()) {
                for (JsonNode x : n) {
                    if (!x.isTextual()) {
                        return null;
                    }
                    out.add(x.asText());
                }
                return out;
            }
            return n != null && n.isTextual() ? List.of(n.asText()) : null;
        }

        static ArrayNode vector(String text, int dims) {
            ArrayNode a = JSON.createArrayNode();
            for (float f : fake(text, dims)) {
                a.add(f);
            }
            return a;
        }
    }

    /** OpenAI {@code POST /v1/embeddings}. */
    static final class OpenAI extends Api {
        static final String KEY = "sk-test";

        @Override
        MockResponse handle(RecordedRequest r, JsonNode body) {
            String path = r.getUrl().encodedPath();
            boolean azure = path.startsWith("/openai/deployments/");
            if (!azure && !path.equals("/v1/embeddings")) {
                return json(404, "{\"error\":{\"message\":\"Invalid URL (POST " + path + ")\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
            }
            String auth = azure ? r.getHeaders().get("api-key") : r.getHeaders().get("Authorization");
            String expected = azure ? KEY : "Bearer " + KEY;
            if (!expected.equals(auth)) {
                return json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + auth
                        + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
            }
            if (!body.hasNonNull("model")) {
                return json(400, "{\"error\":{\"message\":\"you must provide a model parameter\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
            }
            List<String> input = strings(body.get("input"));
            if (input == null || input.isEmpty() || input.size() > 2048 || input.stream().anyMatch(String::isEmpty)) {
                return json(400, "{\"error\":{\"message\":\"'$.input' is invalid. Please check the API reference: "
                        + "https://platform.openai.com/docs/api-reference.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
            }
            int dims = body.path("dimensions").asInt(8);
            ObjectNode out = JSON.createObjectNode().put("object", "list");
            ArrayNode data = out.putArray("data");
            // answer in reverse order: clients must sort by index, as Chroma's does
            for (int i = input.size() - 1; i >= 0; i--) {
                ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
                e.set("embedding", vector(input.get(i), dims));
            }
            out.put("model", body.get("model").asText());
            out.putObject("usage").put("prompt_tokens", input.size()).put("total_tokens", input.size());
            return json(200, out.toString());
        }
    }

    /** Ollama {@code POST /api/embed}. */
    static final class Ollama extends Api {
        static final String MODEL = "chroma/all-minilm-l6-v2-f32";

        @Override
        MockResponse handle(RecordedRequest r, JsonNode body) {
            if (!r.getUrl().encodedPath().equals("/api/embed")) {
                return new MockResponse.Builder().code(404).body("404 page not found").build();
            }
            String model = body.path("model").asText("");
            if (!model.equals(MODEL)) {
                return json(404, "{\"error\":\"model \\\"" + model + "\\\" not found, try pulling it first\"}");
            }
            List<String> input = strings(body.get("input"));
            if (input == null) {
                return json(400, "{\"error\":\"invalid input type\"}");
            }
            ObjectNode out = JSON.createObjectNode().put("model", model);
            ArrayNode emb = out.putArray("embeddings");
            for (String t : input) {
                emb.add(vector(t, 8));
            }
            out.put("total_duration", 14143917).put("load_duration", 1019500).put("prompt_eval_count", input.size());
            return json(200, out.toString());
        }
    }

    /** text-embeddings-inference {@code POST /embed} (default --max-client-batch-size 32). */
    static final class Tei extends Api {
        @Override
        MockResponse handle(RecordedRequest r, JsonNode body) {
            if (!r.getUrl().encodedPath().equals("/embed")) {
                return new MockResponse.Builder().code(404).build();
            }
            List<String> input = strings(body.get("inputs"));
            if (input == null) {
                return json(422, "{\"error\":\"Failed to deserialize the JSON body into the target type: inputs: "
                        + "data did not match any variant of untagged enum Input\",\"error_type\":\"Validation\"}");
            }
            if (input.isEmpty()) {
                return json(422, "{\"error\":\"`inputs` cannot be empty\",\"error_type\":\"Validation\"}");
            }
            if (input.size() > 32) {
                return json(413, "{\"error\":\"batch size " + input.size()
                        + " > maximum allowed batch size 32\",\"error_type\":\"Validation\"}");
            }
            ArrayNode out = JSON.createArrayNode();
            for (String t : input) {
                out.add(vector(t, 8));
            }
            return json(200, out.toString());
        }
    }

    /** Cohere {@code POST /v1/embed}. */
    static final class Cohere extends Api {
        static final String KEY = "co-test";

        @Override
        MockResponse handle(RecordedRequest r, JsonNode body) {
            if (!r.getUrl().encodedPath().equals("/v1/embed")) {
                return json(404, "{\"message\":\"Not Found\"}");
            }
            if (!("Bearer " + KEY).equals(r.getHeaders().get("Authorization"))) {
                return json(401, "{\"message\":\"invalid api token\"}");
            }
            List<String> texts = strings(body.get("texts"));
            if (texts == null || texts.isEmpty()) {
                return json(400, "{\"message\":\"invalid request: list of texts must not be empty\"}");
            }
            if (texts.size() > 96) {
                return json(400, "{\"message\":\"invalid request: total number of texts must be at most 96 - received "
                        + texts.size() + "\"}");
            }
            if (body.path("model").asText("").endsWith("v3.0") && !body.hasNonNull("input_type")) {
                return json(400, "{\"message\":\"invalid request: valid input_type must be provided with the provided model\"}");
            }
            ObjectNode out = JSON.createObjectNode().put("id", "5807ee2e-0cda-445a-9ec8-864c60a06606");
            ArrayNode ts = out.putArray("texts");
            ArrayNode emb = out.putArray("embeddings");
            for (String t : texts) {
                ts.add(t);
                emb.add(vector(t, 8));
            }
            out.putObject("meta").putObject("api_version").put("version", "1");
            out.put("response_type", "embeddings_floats");
            return json(200, out.toString());
        }
    }
}
