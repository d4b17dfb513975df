package io.chroma.core.internal;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StoredRecordTest {

    @Test
    void roundTripKeepsExactFloatsAndValueKinds() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("s", "text é");
        meta.put("i", 42L);
        meta.put("neg", -7L);
        meta.put("big", Long.MAX_VALUE);
        meta.put("f", 2.002);
        meta.put("t", true);
        meta.put("b", false);
        meta.put("l", List.of("a", "b"));
        meta.put("li", List.of(1L, 2L));
        float[] emb = {0.1f, -0f, Float.MIN_VALUE, 1e30f, -3.5f};
        StoredRecord r = new StoredRecord("id-ü", emb, "doc", meta, "file://x");
        StoredRecord back = StoredRecord.decode(r.encode());
        assertThat(back.id()).isEqualTo("id-ü");
        assertThat(back.embedding()).containsExactly(emb);
        assertThat(Float.floatToRawIntBits(back.embedding()[1])).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(back.document()).isEqualTo("doc");
        assertThat(back.uri()).isEqualTo("file://x");
        assertThat(back.metadata()).isEqualTo(meta);
        assertThat(back.metadata().get("i")).isInstanceOf(Long.class);
        assertThat(back.metadata().get("f")).isInstanceOf(Double.class);
        assertThat(back.metadata().keySet()).containsExactlyElementsOf(meta.keySet());
    }

    @Test
    void partialDecodeSkipsUnwantedFieldsAndNullsStayNull() {
        StoredRecord r = new StoredRecord("x", new float[]{1, 2}, null, null, null);
        StoredRecord back = StoredRecord.decode(r.encode(), false, true, true, true);
        assertThat(back.embedding()).isNull();
        assertThat(back.document()).isNull();
        assertThat(back.metadata()).isNull();
        StoredRecord full = new StoredRecord("y", new float[]{1}, "d", Map.of("a", 1L), "u");
        StoredRecord onlyMeta = StoredRecord.decode(full.encode(), false, false, true, false);
        assertThat(onlyMeta.metadata()).containsEntry("a", 1L);
        assertThat(onlyMeta.document()).isNull();
        assertThat(onlyMeta.uri()).isNull();
    }
}
