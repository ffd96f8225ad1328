package io.premiumbot.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loopback address in front of whichever server is primary now, the way a Kubernetes Service of CloudNativePG
 * ({@code <cluster>-rw}) follows the primary: {@link #follow} points it at a new server and cuts every connection to
 * the old one; {@link #cut} leaves it without a target (a connection is accepted and closed at once, as a Service
 * without endpoints refuses). Thread per connection: it carries a test's traffic, not a benchmark's.
 */
public final class FollowingProxy implements AutoCloseable {

    private final String name;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int target;
    private volatile boolean closed;

    private FollowingProxy(String name, ServerSocket listener, int target) {
        this.name = name;
        this.listener = listener;
        this.target = target;
    }

    public static FollowingProxy start(String name, int port, int target) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            FollowingProxy proxy = new FollowingProxy(name, listener, target);
            Thread acceptor = new Thread(proxy::accept, name + "-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException(name + " could not listen on " + port, e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on connections go to {@code port}; every connection to the old target is cut. */
    public void follow(int port) {
        target = port;
        dropAll();
    }

    /** No target: open connections are cut, new ones closed at once. */
    public void cut() {
        target = 0;
        dropAll();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            int to = target;
            if (to == 0) {
                closeQuietly(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), to), 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            open.add(client);
            open.add(server);
            pump(client, server, "up");
            pump(server, client, "down");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side went away: the pair ends below
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                name + "-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    private void dropAll() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        dropAll();
    }
}
