package io.chroma.server.internal;

import io.chroma.api.AlreadyExistsException;
import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Database;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.ModifyCollection;
import io.chroma.api.NotFoundException;
import io.chroma.api.Records;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /api/v1} with the semantics of Chroma 0.5.20 – 0.6.3's legacy routes: tenant and database
 * as query parameters, collections by name for GET/DELETE and by id for PUT and records, success
 * bodies {@code true}/{@code null}, collection misses as 400 {@code InvalidCollection}, and the
 * 63-character collection-name rule. Python 0.5 and JS 1.x clients speak this.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
public class V1Controller {

    /** What {@code /api/v1/version} reports: the last 0.5 release, whose semantics these routes follow. */
    public static final String V1_VERSION = "0.5.23";

    private static final RequestReader READ = new RequestReader(true);
    private static final Pattern V1_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]$");
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$");

    private final ChromaService service;

    public V1Controller(ChromaService service) {
        this.service = service;
    }

    private static MutableHttpResponse<byte[]> handle(Supplier<MutableHttpResponse<byte[]>> h) {
        return Http.handle(ApiError::v1, h);
    }

    private static String tenant(String t) {
        return t == null || t.isEmpty() ? ChromaClient.DEFAULT_TENANT : t;
    }

    private static String database(String d) {
        return d == null || d.isEmpty() ? ChromaClient.DEFAULT_DATABASE : d;
    }

    /** Chroma 0.5's {@code check_index_name}: one message for every way a name can be wrong. */
    static void checkName(String name) {
        if (name == null || !V1_NAME.matcher(name).matches() || name.contains("..") || IPV4.matcher(name).matches()) {
            throw new InvalidArgumentException("Expected collection name that (1) contains 3-63 characters, (2) starts "
                    + "and ends with an alphanumeric character, (3) otherwise contains only alphanumeric characters, "
                    + "underscores or hyphens (-), (4) contains no two consecutive periods (..) and (5) is not a valid "
                    + "IPv4 address, got " + name);
        }
    }

    private static UUID uuid(String id) {
        try {
            if (id.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiError.V1Error(400, "InvalidUUID", "Could not parse " + id + " as a UUID");
        }
    }

    private Collection byId(String id) {
        UUID uuid = uuid(id);
        return service.collection(uuid).orElseThrow(
                () -> new ApiError.V1Error(400, "InvalidCollection", "Collection " + uuid + " does not exist."));
    }

    /** A missing collection is 400 on v1, but a missing tenant or database stays 404. */
    private RuntimeException collectionMiss(String tenant, String database, String name, String errorName) {
        service.getDatabase(tenant, database); // throws the 404 when the database itself is missing
        return new ApiError.V1Error(400, errorName, "Collection " + name + " does not exist.");
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
        return Http.ok(ResponseWriter.value(V1_VERSION));
    }

    @Get("/pre-flight-checks")
    public MutableHttpResponse<byte[]> preFlightChecks() {
        return handle(() -> Http.ok(ResponseWriter.json(g -> {
            g.writeStartObject();
            g.writeNumberField("max_batch_size", service.maxBatchSize());
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

    // ---------------------------------------------------------------- tenants and databases

    @Post("/tenants")
    public MutableHttpResponse<byte[]> createTenant(@Nullable @Body byte[] body) {
        return handle(() -> {
            service.createTenant(READ.name(body));
            return Http.ok(Http.NULL);
        });
    }

    @Get("/tenants/{tenant}")
    public MutableHttpResponse<byte[]> getTenant(@PathVariable String tenant) {
        return handle(() -> {
            String name = service.getTenant(tenant).name();
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartObject();
                g.writeStringField("name", name);
                g.writeEndObject();
            }));
        });
    }

    @Post("/databases")
    public MutableHttpResponse<byte[]> createDatabase(@Nullable @QueryValue String tenant, @Nullable @Body byte[] body) {
        return handle(() -> {
            String name = READ.name(body);
            // Chroma 0.5 inserts a database only under a tenant that exists (1.x, on v2, does not ask)
            service.getTenant(tenant(tenant));
            service.createDatabase(tenant(tenant), name);
            return Http.ok(Http.NULL);
        });
    }

    @Get("/databases")
    public MutableHttpResponse<byte[]> listDatabases(@Nullable @QueryValue String tenant,
                                                     @Nullable @QueryValue String limit,
                                                     @Nullable @QueryValue String offset) {
        return handle(() -> {
            List<Database> dbs = service.listDatabases(tenant(tenant), Http.uintParam("limit", limit),
                    Http.uintParam("offset", offset));
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartArray();
                for (Database d : dbs) {
                    ResponseWriter.writeDatabase(g, d);
                }
                g.writeEndArray();
            }));
        });
    }

    @Get("/databases/{database}")
    public MutableHttpResponse<byte[]> getDatabase(@PathVariable String database, @Nullable @QueryValue String tenant) {
        return handle(() -> {
            Database d = service.getDatabase(tenant(tenant), database);
            return Http.ok(ResponseWriter.json(g -> ResponseWriter.writeDatabase(g, d)));
        });
    }

    @Delete("/databases/{database}")
    public MutableHttpResponse<byte[]> deleteDatabase(@PathVariable String database, @Nullable @QueryValue String tenant) {
        return handle(() -> {
            service.deleteDatabase(tenant(tenant), database);
            return Http.ok(Http.NULL);
        });
    }

    // ---------------------------------------------------------------- collections

    @Get("/collections")
    public MutableHttpResponse<byte[]> listCollections(@Nullable @QueryValue String tenant,
                                                       @Nullable @QueryValue String database,
                                                       @Nullable @QueryValue String limit,
                                                       @Nullable @QueryValue String offset) {
        return handle(() -> {
            // Chroma 0.5 answers 404 for an unknown tenant or database; 1.x (and the engine) list nothing
            service.getDatabase(tenant(tenant), database(database));
            List<Collection> cs = service.listCollections(tenant(tenant), database(database),
                    Http.uintParam("limit", limit), Http.uintParam("offset", offset));
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartArray();
                for (Collection c : cs) {
                    ResponseWriter.writeCollectionV1(g, c);
                }
                g.writeEndArray();
            }));
        });
    }

    @Get("/count_collections")
    public MutableHttpResponse<byte[]> countCollections(@Nullable @QueryValue String tenant,
                                                        @Nullable @QueryValue String database) {
        return handle(() -> {
            service.getDatabase(tenant(tenant), database(database)); // 404 for an unknown tenant/database, as 0.5
            return Http.ok(ResponseWriter.value(service.countCollections(tenant(tenant), database(database))));
        });
    }

    @Post("/collections")
    public MutableHttpResponse<byte[]> createCollection(@Nullable @QueryValue String tenant,
                                                        @Nullable @QueryValue String database,
                                                        @Nullable @Body byte[] body) {
        return handle(() -> {
            RequestReader.CreateCollectionBody b = READ.createCollection(body);
            checkName(b.name());
            CollectionConfiguration cfg = ChromaService.legacyConfiguration(b.configuration());
            CreateCollection request = CreateCollection.named(b.name())
                    .metadata(b.metadata())
                    .configuration(cfg)
                    .getOrCreate(b.getOrCreate());
            try {
                Collection c = service.createCollection(tenant(tenant), database(database), request);
                return Http.ok(collection(c));
            } catch (AlreadyExistsException e) {
                throw new ApiError.V1Error(409, "UniqueConstraintError", "Collection " + b.name() + " already exists");
            }
        });
    }

    @Get("/collections/{name}")
    public MutableHttpResponse<byte[]> getCollection(@PathVariable String name, @Nullable @QueryValue String tenant,
                                                     @Nullable @QueryValue String database) {
        return handle(() -> {
            try {
                return Http.ok(collection(service.getCollection(tenant(tenant), database(database), name)));
            } catch (NotFoundException e) {
                throw collectionMiss(tenant(tenant), database(database), name, "InvalidCollection");
            }
        });
    }

    @Put("/collections/{id}")
    public MutableHttpResponse<byte[]> modifyCollection(@PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            uuid(id);
            RequestReader.ModifyBody b = READ.modifyCollection(body);
            if (b.newName() != null) {
                checkName(b.newName());
            }
            service.modifyCollection(byId(id), new ModifyCollection(b.newName(), b.newMetadata(), null));
            return Http.ok(Http.NULL);
        });
    }

    @Delete("/collections/{name}")
    public MutableHttpResponse<byte[]> deleteCollection(@PathVariable String name, @Nullable @QueryValue String tenant,
                                                        @Nullable @QueryValue String database) {
        return handle(() -> {
            try {
                service.deleteCollection(tenant(tenant), database(database), name);
            } catch (NotFoundException e) {
                throw collectionMiss(tenant(tenant), database(database), name, "InvalidArgumentError");
            }
            return Http.ok(Http.NULL);
        });
    }

    private static byte[] collection(Collection c) {
        return ResponseWriter.json(g -> ResponseWriter.writeCollectionV1(g, c));
    }

    // ---------------------------------------------------------------- records

    @Post("/collections/{id}/add")
    public MutableHttpResponse<byte[]> add(@PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            uuid(id);
            Records r = READ.records(body);
            service.add(byId(id), r);
            return Http.json(201, Http.TRUE);
        });
    }

    @Post("/collections/{id}/update")
    public MutableHttpResponse<byte[]> update(@PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            uuid(id);
            Records r = READ.records(body);
            service.update(byId(id), r);
            return Http.ok(Http.NULL);
        });
    }

    @Post("/collections/{id}/upsert")
    public MutableHttpResponse<byte[]> upsert(@PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            uuid(id);
            Records r = READ.records(body);
            service.upsert(byId(id), r);
            return Http.ok(Http.NULL);
        });
    }

    @Post("/collections/{id}/delete")
    public MutableHttpResponse<byte[]> delete(@PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            uuid(id);
            io.chroma.api.Delete d = READ.delete(body);
            if ((d.ids() == null || d.ids().isEmpty()) && d.where() == null && d.whereDocument() == null) {
                throw new InvalidArgumentException("You must provide either ids, where, or where_document to delete. "
                        + "If you want to delete all data in a collection you can delete the collection itself "
                        + "using the delete_collection method. Or alternatively, you can get() all the relevant ids "
                        + "and then delete them.");
            }
            service.delete(byId(id), d);
            return Http.ok(Http.NULL);
        });
    }

    @Get("/collections/{id}/count")
    public MutableHttpResponse<byte[]> count(@PathVariable String id) {
        return handle(() -> Http.ok(ResponseWriter.value(service.count(byId(id)))));
    }

    @Post("/collections/{id}/get")
    public MutableHttpResponse<byte[]> get(@PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            uuid(id);
            io.chroma.api.Get request = READ.get(body);
            var result = service.get(byId(id), request);
            return Http.ok(ResponseWriter.json(g -> ResponseWriter.writeGetResult(g, result, true)));
        });
    }

    @Post("/collections/{id}/query")
    public MutableHttpResponse<byte[]> query(@PathVariable String id, @Nullable @Body byte[] body) {
        return handle(() -> {
            uuid(id);
            io.chroma.api.Query request = READ.query(body);
            var result = service.query(byId(id), request);
            return Http.ok(ResponseWriter.json(g -> ResponseWriter.writeQueryResult(g, result, true)));
        });
    }
}
