package io.chroma.api.internal;

import io.chroma.api.DuplicateIdException;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Records;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordBatchesTest {

    @Test
    void duplicateIdsInOneBatchAreAnError() {
        Records r = Records.ids("a", "b", "a").embeddings(new float[]{1}, new float[]{2}, new float[]{3});
        assertThatThrownBy(() -> RecordBatches.prepare(r, RecordBatches.Kind.ADD, null))
                .isInstanceOf(DuplicateIdException.class)
                .hasMessageContaining("duplicates of: a");
    }

    @Test
    void documentsWithoutEmbeddingFunctionSayHowToPassOne() {
        Records r = Records.ids("a").documents("hello");
        assertThatThrownBy(() -> RecordBatches.prepare(r, RecordBatches.Kind.ADD, null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("embedding function");
    }

    @Test
    void documentsAreEmbeddedByTheFunction() {
        EmbeddingFunction ef = texts -> texts.stream().map(t -> new float[]{t.length(), 1}).toList();
        Records out = RecordBatches.prepare(Records.ids("a", "b").documents("xy", "xyz"), RecordBatches.Kind.ADD, ef);
        assertThat(out.embeddings()).hasSize(2);
        assertThat(out.embeddings().get(1)).containsExactly(3f, 1f);
    }

    @Test
    void metadataNormalisedAndValidated() {
        Map<String, Object> md = new HashMap<>();
        md.put("i", 3);
        md.put("f", 2.5f);
        md.put("l", List.of(1, 2));
        Records out = RecordBatches.prepare(Records.ids("a").embeddings(new float[]{1}).metadatas(md),
                RecordBatches.Kind.ADD, null);
        assertThat(out.metadatas().get(0)).containsEntry("i", 3L).containsEntry("f", 2.5d).containsEntry("l", List.of(1L, 2L));

        Records nested = Records.ids("a").embeddings(new float[]{1}).metadatas(Map.of("x", Map.of("y", 1)));
        assertThatThrownBy(() -> RecordBatches.prepare(nested, RecordBatches.Kind.ADD, null))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("metadata");
        Records mixed = Records.ids("a").embeddings(new float[]{1}).metadatas(Map.of("x", List.of(1, "a")));
        assertThatThrownBy(() -> RecordBatches.prepare(mixed, RecordBatches.Kind.ADD, null))
                .hasMessageContaining("same type");
    }

    @Test
    void nullMetadataValueOnlyAllowedOnUpdateAndUpsert() {
        Map<String, Object> md = new HashMap<>();
        md.put("gone", null);
        Records r = Records.ids("a").embeddings(new float[]{1}).metadatas(md);
        assertThatThrownBy(() -> RecordBatches.prepare(r, RecordBatches.Kind.ADD, null))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(RecordBatches.prepare(r, RecordBatches.Kind.UPSERT, null).metadatas().get(0)).containsKey("gone");
    }

    @Test
    void embeddingChecks() {
        assertThatThrownBy(() -> RecordBatches.prepare(Records.ids("a").embeddings(new float[0]), RecordBatches.Kind.ADD, null))
                .hasMessageContaining("at least 1 dimension");
        assertThatThrownBy(() -> RecordBatches.prepare(Records.ids("a").embeddings(new float[]{Float.NaN}), RecordBatches.Kind.ADD, null))
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> RecordBatches.prepare(Records.ids("a", "b").embeddings(new float[]{1}, new float[]{1, 2}),
                RecordBatches.Kind.ADD, null)).hasMessageContaining("Inconsistent dimensions");
        assertThatThrownBy(() -> RecordBatches.prepare(Records.ids("a", "b").embeddings(new float[]{1}), RecordBatches.Kind.ADD, null))
                .hasMessageContaining("Inconsistent number");
        assertThatThrownBy(() -> RecordBatches.prepare(Records.ids(""), RecordBatches.Kind.UPDATE, null))
                .hasMessageContaining("Empty ID");
    }

    @Test
    void updateMayOmitEmbeddingsAndSkipRows() {
        List<float[]> emb = new ArrayList<>(Arrays.asList(new float[]{1}, null));
        Records out = RecordBatches.prepare(Records.ids("a", "b").embeddings(emb), RecordBatches.Kind.UPDATE, null);
        assertThat(out.embeddings().get(1)).isNull();
        assertThat(RecordBatches.prepare(Records.ids("a").documents("x"), RecordBatches.Kind.UPDATE, null).embeddings()).isNull();
    }
}
