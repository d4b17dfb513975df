package io.chroma.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.chroma.api.Records;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Float arrays on the wire: reading an add body of {@code batch} × 384 embeddings as JSON numbers
 * and as Chroma's base64 float32, and writing the same floats as JSON. This is most of an ingest
 * request's and a get-with-embeddings response's CPU.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
public class JsonFloatsJmh {

    @Param({"100"})
    int batch;

    static final int DIM = 384;
    final RequestReader reader = new RequestReader(false);
    byte[] jsonBody;
    byte[] base64Body;
    List<float[]> vectors;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(3);
        vectors = new ArrayList<>();
        StringBuilder json = new StringBuilder("{\"ids\":[");
        StringBuilder b64 = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < batch; i++) {
            String sep = i == 0 ? "" : ",";
            json.append(sep).append("\"id-").append(i).append('"');
            b64.append(sep).append("\"id-").append(i).append('"');
        }
        json.append("],\"embeddings\":[");
        b64.append("],\"embeddings\":[");
        for (int i = 0; i < batch; i++) {
            float[] v = new float[DIM];
            ByteBuffer buf = ByteBuffer.allocate(DIM * 4).order(ByteOrder.LITTLE_ENDIAN);
            json.append(i == 0 ? "[" : ",[");
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) r.nextGaussian() * 0.05f;
                buf.putFloat(v[d]);
                json.append(d == 0 ? "" : ",").append(v[d]);
            }
            json.append(']');
            b64.append(i == 0 ? "\"" : ",\"").append(Base64.getEncoder().encodeToString(buf.array())).append('"');
            vectors.add(v);
        }
        json.append("]}");
        b64.append("]}");
        jsonBody = json.toString().getBytes(StandardCharsets.UTF_8);
        base64Body = b64.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Records readJsonFloats() {
        return reader.records(jsonBody);
    }

    @Benchmark
    public Records readBase64Floats() {
        return reader.records(base64Body);
    }

    @Benchmark
    public int writeJsonFloats() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch * DIM * 12);
        try (JsonGenerator g = RequestReader.factory().createGenerator(out)) {
            g.writeStartArray();
            for (float[] v : vectors) {
                ResponseWriter.writeFloats(g, v);
            }
            g.writeEndArray();
        }
        return out.size();
    }

    // Jackson with and without its FastDoubleParser / Schubfach writer: why RequestReader's factory
    // turns them on (both give the correctly rounded float, so embeddings stay bit-exact).
    static final JsonFactory PLAIN = new JsonFactory();
    static final JsonFactory FAST = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private float sumFloats(JsonFactory f) throws IOException {
        float sum = 0;
        try (JsonParser p = f.createParser(jsonBody)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                    sum += p.getFloatValue();
                }
            }
        }
        return sum;
    }

    private int writeWith(JsonFactory f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch * DIM * 12);
        try (JsonGenerator g = f.createGenerator(out)) {
            g.writeStartArray();
            for (float[] v : vectors) {
                for (float x : v) {
                    g.writeNumber(x);
                }
            }
            g.writeEndArray();
        }
        return out.size();
    }

    @Benchmark
    public float parseFloatsPlainJackson() throws IOException {
        return sumFloats(PLAIN);
    }

    @Benchmark
    public float parseFloatsFastJackson() throws IOException {
        return sumFloats(FAST);
    }

    @Benchmark
    public int writeFloatsPlainJackson() throws IOException {
        return writeWith(PLAIN);
    }

    @Benchmark
    public int writeFloatsFastJackson() throws IOException {
        return writeWith(FAST);
    }
}
