package io.chroma.server.internal;

import io.chroma.api.InvalidArgumentException;
import io.chroma.core.EmbeddedClient;
import io.chroma.core.MaintenanceException;
import io.chroma.core.StoreMaintenance;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * {@code /api/v2/admin}: maintenance of the store this server holds (vacuum, backup, check). Not
 * part of Chroma's API. With auth on, these need an unrestricted user, like reset: the auth
 * scope of any unknown {@code /api/v2} path (see {@code RequestScope}). Each call runs for as
 * long as the operation takes, on the blocking executor, never on the event loop; other requests
 * keep being served meanwhile.
 */
@Controller("/api/v2/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
public class AdminController {

    private static final RequestReader READ = new RequestReader(false);

    private final StoreAdmin admin;

    public AdminController(StoreAdmin admin) {
        this.admin = admin;
    }

    /**
     * The engine the server serves, as a bean: the admin routes need more than the client API.
     * {@code store} waits for the store to be open (the server starts while it opens).
     */
    public record StoreAdmin(Supplier<EmbeddedClient> store) {
        EmbeddedClient engine() {
            return store.get();
        }
    }

    private static MutableHttpResponse<byte[]> handle(Supplier<MutableHttpResponse<byte[]>> h) {
        return Http.handle(AdminController::error, h);
    }

    static ApiError error(Throwable t) {
        if (t instanceof MaintenanceException m) {
            int status = switch (m.reason()) {
                case TARGET_NOT_EMPTY, BUSY -> 409;
                default -> 400;
            };
            return new ApiError(status, m.reason() == MaintenanceException.Reason.BUSY ? "ChromaError"
                    : "InvalidArgumentError", m.getMessage());
        }
        return ApiError.v2(t);
    }

    @Post("/vacuum")
    public MutableHttpResponse<byte[]> vacuum(@Nullable @Body byte[] body) {
        return handle(() -> {
            READ.anyObject(body);
            StoreMaintenance.VacuumResult r = StoreMaintenance.vacuum(admin.engine());
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartObject();
                g.writeStringField("path", r.path().toString());
                g.writeNumberField("bytes_before", r.bytesBefore());
                g.writeNumberField("bytes_after", r.bytesAfter());
                g.writeNumberField("indexes", r.indexes());
                g.writeNumberField("took_ms", r.took().toMillis());
                g.writeEndObject();
            }));
        });
    }

    /** {@code {"path": "/abs/dir"}}: a new (or empty) directory on the server's machine. */
    @Post("/backup")
    public MutableHttpResponse<byte[]> backup(@Nullable @Body byte[] body) {
        return handle(() -> {
            String given = READ.path(body);
            Path to;
            try {
                to = Path.of(given);
            } catch (InvalidPathException e) {
                throw new InvalidArgumentException("Invalid backup path: " + e.getMessage());
            }
            if (!to.isAbsolute()) {
                // relative to what? the server's working directory means nothing to the caller
                throw new InvalidArgumentException("The backup path must be absolute (a directory on the server's "
                        + "machine), got: " + given);
            }
            StoreMaintenance.BackupResult r = StoreMaintenance.backup(admin.engine(), to);
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartObject();
                g.writeStringField("path", r.path().toString());
                g.writeStringField("created", r.manifest().created().toString());
                g.writeStringField("source", r.manifest().source());
                g.writeNumberField("format_version", r.manifest().formatVersion());
                g.writeNumberField("collections", r.manifest().collections());
                g.writeNumberField("records", r.manifest().records());
                g.writeNumberField("indexes_copied", r.manifest().indexesCopied());
                g.writeNumberField("bytes", r.bytes());
                g.writeNumberField("took_ms", r.took().toMillis());
                g.writeEndObject();
            }));
        });
    }

    @Post("/check")
    public MutableHttpResponse<byte[]> check(@Nullable @Body byte[] body) {
        return handle(() -> {
            READ.anyObject(body);
            StoreMaintenance.CheckResult r = StoreMaintenance.check(admin.engine());
            return Http.ok(ResponseWriter.json(g -> {
                g.writeStartObject();
                g.writeBooleanField("consistent", r.consistent());
                g.writeNumberField("collections", r.collections());
                g.writeNumberField("records", r.records());
                g.writeArrayFieldStart("problems");
                for (String p : r.problems()) {
                    g.writeString(p);
                }
                g.writeEndArray();
                g.writeEndObject();
            }));
        });
    }
}
