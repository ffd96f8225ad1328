package io.premiumbot.worker.queue;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

/** This process's worker id: WORKER_ID, or hostname-pid (unique per pod and per restart). */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;

    public WorkerIdentity(WorkerConfig config) {
        this.id = config.id().filter(value -> !value.isBlank()).orElseGet(WorkerIdentity::hostAndPid);
    }

    public String id() {
        return id;
    }

    private static String hostAndPid() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
