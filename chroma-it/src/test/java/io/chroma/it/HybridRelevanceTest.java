package io.chroma.it;

import io.chroma.api.Collection;
import io.chroma.api.CreateCollection;
import io.chroma.api.Records;
import io.chroma.api.search.Knn;
import io.chroma.api.search.Rank;
import io.chroma.api.search.Rrf;
import io.chroma.api.search.Search;
import io.chroma.core.EphemeralClient;
import io.chroma.embeddings.DefaultEmbeddingFunction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relevance on a small labelled catalogue where exact terms matter: 4 product families × 25
 * near-identical variants that differ by model code and specs. Vectors are real all-MiniLM-L6-v2
 * embeddings (chroma-embeddings' DefaultEmbeddingFunction, offline). Queries: 32 "code + noun"
 * lookups (one relevant record each) and 4 descriptive queries (the 25 records of a family are
 * relevant). Vector-only = dense {@code $knn}; hybrid = RRF (k 60) of the dense knn and the Lucene
 * BM25 {@code $bm25} rank. The figures are printed and recorded in docs/search.md.
 */
class HybridRelevanceTest {

    record Family(String noun, String prefix, String template, String describe) {
    }

    static final List<Family> FAMILIES = List.of(
            new Family("drill", "XK", "Cordless drill %s: %d V brushless motor, %d Ah battery, %d mm chuck, %d Nm torque.",
                    "a battery powered drill for screws and holes in wood"),
            new Family("headphones", "HX", "Wireless headphones %s with active noise cancelling, %d h battery, %d mm drivers, %d g, %d dB isolation.",
                    "noise cancelling headphones for a long flight"),
            new Family("router", "RT", "Wi-Fi router %s: dual band, %d ports, %d MHz channels, %d antennas, range %d m.",
                    "a router for fast wireless internet at home"),
            new Family("coffee machine", "CM", "Espresso coffee machine %s, %d bar pump, %d l water tank, %d W heater, %d cups.",
                    "a machine that makes espresso and cappuccino"));

    record Query(String text, Set<String> relevant) {
    }

    @Test
    void hybridBeatsVectorOnlyWhereExactTermsMatter() {
        Random rnd = new Random(20261204);
        List<String> ids = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        Set<String> usedCodes = new HashSet<>();
        for (Family f : FAMILIES) {
            Set<String> family = new HashSet<>();
            List<String> codes = new ArrayList<>();
            for (int v = 0; v < 25; v++) {
                String code;
                do {
                    code = f.prefix() + "-" + (1000 + rnd.nextInt(9000));
                } while (!usedCodes.add(code));
                String id = f.prefix().toLowerCase(Locale.ROOT) + v;
                ids.add(id);
                docs.add(String.format(Locale.ROOT, f.template(), code, 10 + rnd.nextInt(30), 1 + rnd.nextInt(9),
                        5 + rnd.nextInt(60), 10 + rnd.nextInt(90)));
                family.add(id);
                codes.add(code);
            }
            for (int q = 0; q < 8; q++) {
                int v = rnd.nextInt(25);
                queries.add(new Query(codes.get(v) + " " + f.noun(), Set.of(f.prefix().toLowerCase(Locale.ROOT) + v)));
            }
            queries.add(new Query(f.describe(), family));
        }
        DefaultEmbeddingFunction ef = new DefaultEmbeddingFunction();
        try (EphemeralClient client = new EphemeralClient()) {
            Collection c = client.createCollection(CreateCollection.named("catalogue").embeddingFunction(ef));
            c.add(Records.ids(ids).documents(docs));
            List<float[]> qv = ef.embedQuery(queries.stream().map(Query::text).toList());
            double[] vector = new double[2], hybrid = new double[2], codeVector = new double[2], codeHybrid = new double[2];
            int codeQueries = 0;
            for (int i = 0; i < queries.size(); i++) {
                Query q = queries.get(i);
                Rank dense = Knn.dense(qv.get(i)).limit(10);
                Rank fused = Rrf.of(Knn.dense(qv.get(i)).returnRank(true).limit(100).defaultScore(1000),
                        Knn.text(q.text()).returnRank(true).limit(100).defaultScore(1000)).toRank();
                List<String> v = c.search(new Search().rank(dense).limit(10)).ids().get(0);
                List<String> h = c.search(new Search().rank(fused).limit(10)).ids().get(0);
                double[] mv = {recall(v, q.relevant()), ndcg(v, q.relevant())};
                double[] mh = {recall(h, q.relevant()), ndcg(h, q.relevant())};
                for (int m = 0; m < 2; m++) {
                    vector[m] += mv[m] / queries.size();
                    hybrid[m] += mh[m] / queries.size();
                }
                if (q.relevant().size() == 1) {
                    codeQueries++;
                    for (int m = 0; m < 2; m++) {
                        codeVector[m] += mv[m];
                        codeHybrid[m] += mh[m];
                    }
                }
            }
            for (int m = 0; m < 2; m++) {
                codeVector[m] /= codeQueries;
                codeHybrid[m] /= codeQueries;
            }
            System.out.printf(Locale.ROOT, "HYBRID-RELEVANCE all %d queries: vector recall@10 %.3f nDCG@10 %.3f | hybrid recall@10 %.3f nDCG@10 %.3f%n",
                    queries.size(), vector[0], vector[1], hybrid[0], hybrid[1]);
            System.out.printf(Locale.ROOT, "HYBRID-RELEVANCE %d code queries: vector recall@10 %.3f nDCG@10 %.3f | hybrid recall@10 %.3f nDCG@10 %.3f%n",
                    codeQueries, codeVector[0], codeVector[1], codeHybrid[0], codeHybrid[1]);
            assertThat(hybrid[0]).as("recall@10").isGreaterThan(vector[0]);
            assertThat(hybrid[1]).as("nDCG@10").isGreaterThan(vector[1]);
        }
    }

    static double recall(List<String> got, Set<String> relevant) {
        long hits = got.stream().filter(relevant::contains).count();
        return (double) hits / Math.min(10, relevant.size());
    }

    /** Binary-gain nDCG@10; the ideal ranking puts min(10, |relevant|) relevant records first. */
    static double ndcg(List<String> got, Set<String> relevant) {
        double dcg = 0, ideal = 0;
        for (int i = 0; i < Math.min(10, got.size()); i++) {
            if (relevant.contains(got.get(i))) {
                dcg += 1 / (Math.log(i + 2) / Math.log(2));
            }
        }
        for (int i = 0; i < Math.min(10, relevant.size()); i++) {
            ideal += 1 / (Math.log(i + 2) / Math.log(2));
        }
        return dcg / ideal;
    }
}
