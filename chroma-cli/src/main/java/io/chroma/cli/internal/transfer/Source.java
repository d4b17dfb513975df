package io.chroma.cli.internal.transfer;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.NotFoundException;
import io.chroma.api.Records;
import io.chroma.cli.internal.ExitCodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Reads collections page by page, so nothing holds more than one batch of a collection. */
final class Source {
    private static final int LIST_PAGE = 100;
    private static final List<Include> EVERYTHING =
            List.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS);

    private Source() {
    }

    /** The named collections in the given order, or every collection of the database when none are named. */
    static List<Collection> collections(ChromaClient client, List<String> names, String where) {
        if (names != null && !names.isEmpty()) {
            List<Collection> out = new ArrayList<>();
            for (String n : names) {
                try {
                    out.add(client.getCollection(n, null));
                } catch (NotFoundException e) {
                    throw new TransferException(ExitCodes.NOT_FOUND, "collection " + n + " does not exist at " + where, e);
                }
            }
            return out;
        }
        List<Collection> all = new ArrayList<>();
        for (int offset = 0; ; offset += LIST_PAGE) {
            List<Collection> page = client.listCollections(LIST_PAGE, offset);
            all.addAll(page);
            if (page.size() < LIST_PAGE) {
                return all;
            }
        }
    }

    /** What one page of records is handed to. */
    interface Sink {
        void accept(Records batch) throws IOException;
    }

    /**
     * Pages through a collection in insertion order with get(limit, offset), everything included.
     * Embeddings come back as the float32 values stored. Writes to the source while this runs can
     * shift the pages (as with any offset paging): export a store nobody is writing to.
     */
    static long pages(Collection c, int batchSize, Sink sink) throws IOException {
        long total = 0;
        for (int offset = 0; ; offset += batchSize) {
            GetResult r = page(c, batchSize, offset);
            if (r.size() > 0) {
                sink.accept(records(r));
                total += r.size();
            }
            if (r.size() < batchSize) {
                return total;
            }
        }
    }

    /**
     * As {@link #pages}, but the next page is read on another thread while the sink writes the
     * current one, so a copy takes about the longer of reading and writing rather than their sum.
     * At most two pages are held: the one being written and the one being read.
     */
    static long pagesPrefetched(Collection c, int batchSize, Sink sink) throws IOException {
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "chroma-copy-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            long total = 0;
            Future<GetResult> next = reader.submit(() -> page(c, batchSize, 0));
            for (int offset = 0; ; ) {
                GetResult r = await(next);
                boolean last = r.size() < batchSize;
                offset += batchSize;
                if (!last) {
                    int o = offset;
                    next = reader.submit(() -> page(c, batchSize, o));
                }
                if (r.size() > 0) {
                    sink.accept(records(r));
                    total += r.size();
                }
                if (last) {
                    return total;
                }
            }
        } finally {
            reader.shutdownNow();
        }
    }

    private static GetResult page(Collection c, int batchSize, int offset) {
        return c.get(Get.all().limit(batchSize).offset(offset).include(EVERYTHING));
    }

    private static Records records(GetResult r) {
        return new Records(r.ids(), r.embeddings(), r.documents(), r.metadatas(), r.uris());
    }

    /** The page, or the read's own exception (so a lost server still maps to its exit code). */
    private static GetResult await(Future<GetResult> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading from the source", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException(e.getCause());
        }
    }
}
