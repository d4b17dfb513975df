package io.chroma.cli.internal.transfer;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Get;
import io.chroma.api.NotFoundException;
import io.chroma.api.Records;
import io.chroma.api.Space;
import io.chroma.cli.internal.ExitCodes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes collections into a target for import and copy.
 *
 * <p>Resuming asks the target, not a checkpoint file: with {@code --resume} each batch is first
 * looked up by id ({@code get(ids, include=[])}) and only the ids not there yet are added. That
 * is exact even when the interrupted run was killed with a write in flight (a checkpoint can only
 * record what was acknowledged, and the last batch may have landed anyway), needs no file beside
 * an input that may be stdin or a server, and costs one id lookup per batch, only when resuming
 * into a collection that already existed.
 */
final class Loader {
    private final ChromaClient target;
    private final String where;
    private final boolean resume;
    private Collection current;
    private boolean checkExisting;
    private long added;
    private long skipped;

    Loader(ChromaClient target, String where, boolean resume) {
        this.target = target;
        this.where = where;
        this.resume = resume;
    }

    /** The batch size to write with: the one asked for, capped at what the target accepts. */
    int batchSize(int requested) {
        return Math.max(1, Math.min(requested, target.maxBatchSize()));
    }

    /** Fails early, before anything is written, when a collection exists and we may not write into it. */
    void requireAbsentUnlessResuming(List<String> names) {
        if (resume) {
            return;
        }
        for (String n : names) {
            if (find(n) != null) {
                throw exists(n);
            }
        }
    }

    /** Creates the collection (with its metadata and configuration), or with --resume opens the existing one. */
    void begin(CollectionHeader h) {
        added = 0;
        skipped = 0;
        Collection existing = find(h.name());
        CollectionConfiguration config = h.collectionConfiguration();
        if (existing == null) {
            current = target.createCollection(CreateCollection.named(h.name()).metadata(h.metadata()).configuration(config));
            checkExisting = false; // we created it: nobody else's records to step around
            return;
        }
        if (!resume) {
            throw exists(h.name());
        }
        Space want = config.hnsw().resolved().space();
        Space have = existing.configuration().hnsw().resolved().space();
        if (want != have) {
            throw new TransferException(ExitCodes.FAILURE, "collection " + h.name() + " exists at " + where
                    + " with space " + have.wireName() + " but the source has " + want.wireName()
                    + ": not resuming into a different collection");
        }
        current = existing;
        checkExisting = true;
    }

    void write(Records batch) {
        Records r = compact(batch);
        if (checkExisting) {
            Set<String> present = new HashSet<>(current.get(Get.ids(r.ids()).include(List.of())).ids());
            if (!present.isEmpty()) {
                skipped += present.size();
                r = without(r, present);
            }
        }
        if (r.size() > 0) {
            current.add(r);
            added += r.size();
        }
    }

    long added() {
        return added;
    }

    long skipped() {
        return skipped;
    }

    /** The target's record count for the current collection. */
    int count() {
        return current.count();
    }

    private Collection find(String name) {
        try {
            return target.getCollection(name, null);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private TransferException exists(String name) {
        return new TransferException(ExitCodes.EXISTS, "collection " + name + " already exists at " + where
                + " (use --resume to continue an interrupted import or copy into it; records already there are skipped)");
    }

    /** A field that is null for every record is sent as "not given", which every server accepts. */
    private static Records compact(Records r) {
        return new Records(r.ids(), allNull(r.embeddings()) ? null : r.embeddings(),
                allNull(r.documents()) ? null : r.documents(), allNull(r.metadatas()) ? null : r.metadatas(),
                allNull(r.uris()) ? null : r.uris());
    }

    private static boolean allNull(List<?> l) {
        if (l == null) {
            return true;
        }
        for (Object o : l) {
            if (o != null) {
                return false;
            }
        }
        return true;
    }

    private static Records without(Records r, Set<String> drop) {
        List<String> ids = new ArrayList<>();
        List<float[]> emb = r.embeddings() == null ? null : new ArrayList<>();
        List<String> docs = r.documents() == null ? null : new ArrayList<>();
        List<Map<String, Object>> mds = r.metadatas() == null ? null : new ArrayList<>();
        List<String> uris = r.uris() == null ? null : new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            if (drop.contains(r.ids().get(i))) {
                continue;
            }
            ids.add(r.ids().get(i));
            if (emb != null) {
                emb.add(r.embeddings().get(i));
            }
            if (docs != null) {
                docs.add(r.documents().get(i));
            }
            if (mds != null) {
                mds.add(r.metadatas().get(i));
            }
            if (uris != null) {
                uris.add(r.uris().get(i));
            }
        }
        return new Records(ids, emb, docs, mds, uris);
    }
}
