package io.premiumbot.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/** Parses the connection URLs the services take (docs/contracts.md) and probes loopback ports. */
final class Endpoints {

    /** A server address with optional credentials and path, e.g. from {@code redis://:secret@127.0.0.1:6379/0}. */
    record Address(String host, int port, String path, String password) {}

    private Endpoints() {}

    /** {@code postgresql://127.0.0.1:5432/premium} (a {@code jdbc:} prefix is tolerated). */
    static Address postgres(String url) {
        return parse(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url, "postgresql", 5432);
    }

    /** {@code redis://127.0.0.1:6379/0}, optionally {@code redis://:password@host:port/db}. */
    static Address redis(String url) {
        return parse(url, "redis", 6379);
    }

    private static Address parse(String url, String scheme, int defaultPort) {
        URI uri = URI.create(url);
        if (!scheme.equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected " + scheme + "://host:port/..., got a URL of another form");
        }
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String path = uri.getPath() == null || uri.getPath().length() <= 1
                ? ""
                : uri.getPath().substring(1);
        String password = null;
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        }
        return new Address(uri.getHost(), port, path, password);
    }

    /** Whether something accepts TCP connections there within a short timeout. */
    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port nobody listens on right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /**
     * Loopback ports for servers a test starts itself (Redis nodes, sentinels, PostgreSQL, proxies): free ports from
     * {@code E2E_SERVER_PORTS} ({@code 7600-7699}) when set, so runs that share a machine stay in their own range;
     * otherwise any free ports.
     */
    static synchronized int[] serverPorts(int count) {
        String range = System.getenv("E2E_SERVER_PORTS");
        int[] ports = new int[count];
        if (range == null || range.isBlank()) {
            for (int i = 0; i < count; i++) {
                ports[i] = freePort();
            }
            return ports;
        }
        String[] bounds = range.trim().split("-");
        int from = Integer.parseInt(bounds[0]);
        int size = Integer.parseInt(bounds[1]) - from + 1;
        // consecutive calls start further along the range, so a port just released is not handed out again at once
        offset = (offset + 11) % size;
        int found = 0;
        for (int i = 0; i < size && found < count; i++) {
            int port = from + (offset + i) % size;
            if (!answers("127.0.0.1", port) && bindable(port)) {
                ports[found++] = port;
            }
        }
        if (found < count) {
            throw new IllegalStateException("fewer than " + count + " free ports in E2E_SERVER_PORTS " + range);
        }
        offset = (offset + count) % size;
        return ports;
    }

    private static int offset;

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code preferred} if it is free, otherwise any free port. */
    static int portOr(int preferred) {
        if (preferred > 0 && !answers("127.0.0.1", preferred)) {
            return preferred;
        }
        return freePort();
    }
}
