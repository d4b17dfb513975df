package io.chroma.client.internal;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class TransportSocketTest {

    /** With Nagle on, each POST would wait for the server's delayed ACK of its headers (~40 ms). */
    @Test
    void connectionsHaveNagleTurnedOff() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
            Duration t = Duration.ofSeconds(10);
            Transport transport = new Transport(new ClientConfig(server.url("/"), Map.of(), "default_tenant",
                    "default_database", t, t, t, false));
            List<Boolean> noDelay = new CopyOnWriteArrayList<>();
            var http = transport.okHttp().newBuilder().eventListener(new EventListener() {
                @Override
                public void connectionAcquired(Call call, Connection connection) {
                    try {
                        noDelay.add(connection.socket().getTcpNoDelay());
                    } catch (java.net.SocketException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).build();
            Request post = new Request.Builder().url(server.url("/api/v2/x"))
                    .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
            try (Response r = http.newCall(post).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
            assertThat(noDelay).containsExactly(true);
            transport.release();
        }
    }
}
