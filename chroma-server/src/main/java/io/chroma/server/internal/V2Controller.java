package io.chroma.server.internal;

import io.chroma.api.Collection;
import io.chroma.api.CreateCollection;
import io.chroma.api.Database;
import io.chroma.api.ModifyCollection;
import io.chroma.api.NotFoundException;
import io.chroma.api.Records;
import io.chroma.api.internal.Names;
import io.chroma.server.auth.Identity;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/v2} with Chroma 1.x semantics (the Rust frontend's routes a single node serves).
 * Thin: parse, call {@link ChromaService}, write. Runs on the blocking executor, never on the
 * Netty event loop, because every call may touch RocksDB or Lucene.
 */
@Controller("/api/v2")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
public class V2Controller {

    private static final RequestReader READ = new RequestReader(false);
    private static final String COLLECTIONS = "/tenants/{tenant}/databases/{database}/collections";

    private final ChromaService service;

    public V2Controller(ChromaService service) {
        this.service = service;
    }

    private static MutableHttpResponse<byte[]> handle(Supplier<MutableHttpResponse<byte[]>> h) {
        return Http.handle(ApiError::v2, h);
    }

    // ---------------------------------------------------------------- system

    @Get
    public MutableHttpResponse<byte[]> root() {
        return heartbeat();
    }

    @Get("/heartbeat")
    public MutableHttpResponse<byte[]> heartbeat() {
        return handle(() -> Http.ok(ResponseWriter.heartbeat(service.heartbeat())));
    }

    @Get("/version")
    public MutableHttpResponse<byte[]> version() {
        // every Chroma 1.x release answers "1.0.0" here; clients only check the shape
        return Http.ok(ResponseWriter.value("1.0.0"));
    }

    @Get("/healthcheck")
    public MutableHttpResponse<byte[]> healthcheck() {
        return handle(() -> {
            service.heartbeat();
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartObject();
                g.writeBooleanField("is_executor_ready", true);
                g.writeBooleanField("is_log_client_ready", true);
                g.writeEndObject();
            }));
        });
    }

    @Get("/pre-flight-checks")
    public MutableHttpResponse<byte[]> preFlightChecks() {
        return handle(() -> Http.ok(ResponseWriter.json(g -> {
            g.writeStartObject();
            g.writeNumberField("max_batch_size", service.maxBatchSize());
            g.writeBooleanField("supports_base64_encoding", true);
            g.writeEndObject();
        })));
    }

    @Post("/reset")
    public MutableHttpResponse<byte[]> reset() {
        return handle(() -> {
            service.reset();
            return Http.ok(Http.TRUE);
        });
    }

    @Get("/auth/identity")
    public MutableHttpResponse<byte[]> identity(HttpRequest<?> request) {
        // AuthFilter stores who authenticated; with auth off everyone is the default user, as in Chroma OSS
        Identity who = request.getAttribute(Identity.REQUEST_ATTRIBUTE, Identity.class)
                .orElse(Identity.unauthenticated());
        return Http.ok(who.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- tenants and databases

    @Post("/tenants")
    public MutableHttpResponse<byte[]> createTenant(@Nullable @Body byte[] body) {
        return handle(() -> {
            service.createTenant(READ.name(body));
            return Http.ok(Http.EMPTY_OBJECT);
        });
    }

    @Get("/tenants/{tenant}")
    public MutableHttpResponse<byte[]> getTenant(@PathVariable String tenant) {
        return handle(() -> {
            String name = service.getTenant(tenant).name();
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartObject();
                g.writeStringField("name", name);
                g.writeNullField("resource_name");
                g.writeEndObject();
            }));
        });
    }

    @Patch("/tenants/{tenant}")
    public MutableHttpResponse<byte[]> updateTenant(@PathVariable String tenant, @Nullable @Body byte[] body) {
        return handle(() -> {
            READ.anyObject(body);
            // resource names are a Chroma Cloud notion: accepted, not stored; Chroma 1.x answers 200
            // for a tenant that does not exist too (and it still does not exist after)
            return Http.ok(Http.EMPTY_OBJECT);
        });
    }

    @Get("/tenants/{tenant}/databases")
    public MutableHttpResponse<byte[]> listDatabases(@PathVariable String tenant,
                                                     @Nullable @QueryValue String limit,
                                                     @Nullable @QueryValue String offset) {
        return handle(() -> {
            Integer l = Http.uintParam("limit", limit);
            Integer o = Http.uintParam("offset", offset);
            List<Database> dbs = orEmpty(() -> service.listDatabases(tenant, l, o));
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartArray();
                for (Database d : dbs) {
                    ResponseWriter.writeDatabase(g, d);
                }
                g.writeEndArray();
            }));
        });
    }

    @Post("/tenants/{tenant}/databases")
    public MutableHttpResponse<byte[]> createDatabase(@PathVariable String tenant, @Nullable @Body byte[] body) {
        return handle(() -> {
            String name = READ.name(body);
            Names.validateCollectionName(name, Names.CHROMA_1X_MAX_LENGTH); // 1.x uses the same rule
            service.createDatabase(tenant, name);
            return Http.ok(Http.EMPTY_OBJECT);
        });
    }

    @Get("/tenants/{tenant}/databases/{database}")
    public MutableHttpResponse<byte[]> getDatabase(@PathVariable String tenant, @PathVariable String database) {
        return handle(() -> {
            Database d = service.getDatabase(tenant, database);
            return Http.ok(ResponseWriter.json(g -> ResponseWriter.writeDatabase(g, d)));
        });
    }

    @Delete("/tenants/{tenant}/databases/{database}")
    public MutableHttpResponse<byte[]> deleteDatabase(@PathVariable String tenant, @PathVariable String database) {
        return handle(() -> {
            service.deleteDatabase(tenant, database);
            return Http.ok(Http.EMPTY_OBJECT);
        });
    }

    // ---------------------------------------------------------------- collections

    @Get(COLLECTIONS)
    public MutableHttpResponse<byte[]> listCollections(@PathVariable String tenant, @PathVariable String database,
                                                       @Nullable @QueryValue String limit,
                                                       @Nullable @QueryValue String offset) {
        return handle(() -> {
            Integer l = Http.uintParam("limit", limit);
            Integer o = Http.uintParam("offset", offset);
            List<Collection> cs = orEmpty(() -> service.listCollections(tenant, database, l, o));
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartArray();
                for (Collection c : cs) {
                    ResponseWriter.writeCollectionV2(g, c);
                }
                g.writeEndArray();
            }));
        });
    }

    @Get("/tenants/{tenant}/databases/{database}/collections_count")
    public MutableHttpResponse<byte[]> countCollections(@PathVariable String tenant, @PathVariable String database) {
        return handle(() -> {
            int n;
            try {
                n = service.countCollections(tenant, database);
            } catch (NotFoundException e) {
                n = 0; // as listing: Chroma 1.x counts nothing rather than failing
            }
            return Http.ok(ResponseWriter.value(n));
        });
    }

    @Post(COLLECTIONS)
    public MutableHttpResponse<byte[]> createCollection(@PathVariable String tenant, @PathVariable String database,
                                                        @Nullable @Body byte[] body) {
        return handle(() -> {
            RequestReader.CreateCollectionBody b = READ.createCollection(body);
            CreateCollection request = CreateCollection.named(b.name())
                    .metadata(b.metadata())
                    .configuration(withSchema(ChromaService.configuration(b.configuration()), b.schema()))
                    .getOrCreate(b.getOrCreate());
            Collection c = service.createCollection(tenant, database, request);
            return Http.ok(collection(c));
        });
    }

    /** The 1.x {@code schema} travels with the configuration (sparse-vector indexes for search). */
    private static io.chroma.api.CollectionConfiguration withSchema(io.chroma.api.CollectionConfiguration c,
                                                                    Map<String, Object> schema) {
        if (schema == null) {
            return c;
        }
        return (c == null ? io.chroma.api.CollectionConfiguration.DEFAULT : c).withSchema(schema);
    }

    @Get(COLLECTIONS + "/{name}")
    public MutableHttpResponse<byte[]> getCollection(@PathVariable String tenant, @PathVariable String database,
                                                     @PathVariable String name) {
        return handle(() -> Http.ok(collection(service.getCollection(tenant, database, name))));
    }

    @Get(COLLECTIONS + "/by-id/{id}")
    public MutableHttpResponse<byte[]> getCollectionById(@PathVariable String tenant, @PathVariable String database,
                                                         @PathVariable String id) {
        return handle(() -> Http.ok(collection(service.collection(tenant, database, ChromaService.collectionId(id)))));
    }

    @Put(COLLECTIONS + "/{id}")
    public MutableHttpResponse<byte[]> modifyCollection(@PathVariable String tenant, @PathVariable String database,
                                                        @PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            var uuid = ChromaService.collectionId(id);
            RequestReader.ModifyBody b = READ.modifyCollection(body);
            var cfg = ChromaService.configuration(b.newConfiguration(), true);
            var change = new ModifyCollection(b.newName(), b.newMetadata(),
                    cfg == null || b.newConfiguration().get("hnsw") == null ? null : cfg.hnsw());
            if (change.newName() != null) {
                Names.validateCollectionName(change.newName(), Names.CHROMA_1X_MAX_LENGTH);
            }
            service.modifyCollection(service.collection(tenant, database, uuid), change);
            return Http.ok(Http.EMPTY_OBJECT);
        });
    }

    @Delete(COLLECTIONS + "/{name}")
    public MutableHttpResponse<byte[]> deleteCollection(@PathVariable String tenant, @PathVariable String database,
                                                        @PathVariable String name) {
        return handle(() -> {
            service.deleteCollection(tenant, database, name);
            return Http.ok(Http.EMPTY_OBJECT);
        });
    }

    /** Chroma 1.x lists nothing (200 []) for an unknown tenant or database rather than failing. */
    private static <T> List<T> orEmpty(Supplier<List<T>> list) {
        try {
            return list.get();
        } catch (NotFoundException e) {
            return List.of();
        }
    }

    private static byte[] collection(Collection c) {
        return ResponseWriter.json(g -> ResponseWriter.writeCollectionV2(g, c));
    }

    // ---------------------------------------------------------------- records

    /** Resolves the collection only after the body parsed, so a bad body never costs a lookup. */
    private Collection target(String tenant, String database, String id) {
        return service.collection(tenant, database, ChromaService.collectionId(id));
    }

    /**
     * Chroma 1.x requires {@code embeddings} on add and upsert. We also let documents alone through
     * (the engine embeds them when the collection has a known embedding function, else it says why).
     */
    private static Records requireEmbeddings(Records r) {
        if (r.embeddings() == null && r.documents() == null) {
            throw MalformedBodyException.type(null, "missing field `embeddings`");
        }
        return r;
    }

    /** On add, a metadata value may not be null (1.x reads add metadata as plain, not update, values). */
    private static Records noNullMetadataValues(Records r) {
        if (r.metadatas() != null) {
            for (int i = 0; i < r.metadatas().size(); i++) {
                Map<String, Object> m = r.metadatas().get(i);
                if (m != null) {
                    for (Map.Entry<String, Object> e : m.entrySet()) {
                        if (e.getValue() == null) {
                            throw MalformedBodyException.type("metadatas[" + i + "]." + e.getKey(),
                                    "data did not match any variant of untagged enum MetadataValue");
                        }
                    }
                }
            }
        }
        return r;
    }

    @Post(COLLECTIONS + "/{id}/add")
    public MutableHttpResponse<byte[]> add(@PathVariable String tenant, @PathVariable String database,
                                           @PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            ChromaService.collectionId(id);
            Records r = noNullMetadataValues(requireEmbeddings(READ.records(body)));
            service.add(target(tenant, database, id), r);
            return Http.json(201, Http.EMPTY_OBJECT);
        });
    }

    @Post(COLLECTIONS + "/{id}/update")
    public MutableHttpResponse<byte[]> update(@PathVariable String tenant, @PathVariable String database,
                                              @PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            ChromaService.collectionId(id);
            Records r = READ.records(body);
            service.update(target(tenant, database, id), r);
            return Http.ok(Http.EMPTY_OBJECT);
        });
    }

    @Post(COLLECTIONS + "/{id}/upsert")
    public MutableHttpResponse<byte[]> upsert(@PathVariable String tenant, @PathVariable String database,
                                              @PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            ChromaService.collectionId(id);
            Records r = requireEmbeddings(READ.records(body));
            service.upsert(target(tenant, database, id), r);
            return Http.ok(Http.EMPTY_OBJECT);
        });
    }

    @Post(COLLECTIONS + "/{id}/delete")
    public MutableHttpResponse<byte[]> delete(@PathVariable String tenant, @PathVariable String database,
                                              @PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            ChromaService.collectionId(id);
            io.chroma.api.Delete d = READ.delete(body);
            if (d.ids() != null && d.ids().isEmpty() && d.where() == null && d.whereDocument() == null) {
                throw new io.chroma.api.InvalidArgumentException(
                        "Validation error: ids, where: Either ids or where must be specified");
            }
            if (d.limit() != null && d.where() == null && d.whereDocument() == null) {
                throw new io.chroma.api.InvalidArgumentException(
                        "limit can only be specified when a where clause is provided");
            }
            int n = service.delete(target(tenant, database, id), d);
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartObject();
                g.writeNumberField("deleted", n);
                g.writeEndObject();
            }));
        });
    }

    @Get(COLLECTIONS + "/{id}/count")
    public MutableHttpResponse<byte[]> count(@PathVariable String tenant, @PathVariable String database,
                                             @PathVariable String id,
                                             @Nullable @QueryValue("read_level") String readLevel) {
        // read_level is accepted for compatibility: a single node always counts index and WAL
        return handle(() -> Http.ok(ResponseWriter.value(service.count(target(tenant, database, id)))));
    }

    @Post(COLLECTIONS + "/{id}/get")
    public MutableHttpResponse<byte[]> get(@PathVariable String tenant, @PathVariable String database,
                                           @PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            ChromaService.collectionId(id);
            io.chroma.api.Get request = READ.get(body);
            var result = service.get(target(tenant, database, id), request);
            return Http.ok(ResponseWriter.json(g -> ResponseWriter.writeGetResult(g, result, false)));
        });
    }

    @Post(COLLECTIONS + "/{id}/query")
    public MutableHttpResponse<byte[]> query(@PathVariable String tenant, @PathVariable String database,
                                             @PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            ChromaService.collectionId(id);
            io.chroma.api.Query request = READ.query(body);
            var result = service.query(target(tenant, database, id), request);
            return Http.ok(ResponseWriter.json(g -> ResponseWriter.writeQueryResult(g, result, false)));
        });
    }
}
