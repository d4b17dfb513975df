package io.chroma.api.internal;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Plain sockets with Nagle's algorithm off, for OkHttp clients ({@code OkHttpClient.Builder.socketFactory}).
 *
 * <p>OkHttp leaves TCP_NODELAY off. An HTTP/1.1 POST then goes out as two writes (headers, then body):
 * Nagle holds the body back until the headers are acknowledged, and the server's kernel delays that
 * acknowledgement (40 ms on Linux). Measured against our server on one machine: a 384-d query took
 * 44 ms at the median through OkHttp's default sockets and 1.2 ms through these (okhttp issue 7173
 * describes the same stall).
 */
public final class NoDelaySocketFactory extends SocketFactory {
    public static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

    private final SocketFactory plain = SocketFactory.getDefault();

    private NoDelaySocketFactory() {
    }

    private static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public Socket createSocket() throws IOException {
        // OkHttp's path: an unconnected socket that it connects itself
        return noDelay(plain.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(plain.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(plain.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(plain.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(plain.createSocket(address, port, localAddress, localPort));
    }
}
