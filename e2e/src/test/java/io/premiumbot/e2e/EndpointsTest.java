package io.premiumbot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class EndpointsTest {

    @Test
    void readsTheServicesDatabaseUrl() {
        Endpoints.Address address = Endpoints.postgres("postgresql://db.internal:6543/premium");

        assertEquals(new Endpoints.Address("db.internal", 6543, "premium", null), address);
    }

    @Test
    void acceptsJdbcFormAndDefaultsThePort() {
        Endpoints.Address address = Endpoints.postgres("jdbc:postgresql://127.0.0.1/premium");

        assertEquals(5432, address.port());
        assertEquals("premium", address.path());
    }

    @Test
    void readsRedisPasswordAndDatabase() {
        Endpoints.Address address = Endpoints.redis("redis://:s3cret@10.0.0.5:6380/2");

        assertEquals(new Endpoints.Address("10.0.0.5", 6380, "2", "s3cret"), address);
    }

    @Test
    void redisWithoutPathOrPassword() {
        Endpoints.Address address = Endpoints.redis("redis://127.0.0.1");

        assertEquals(6379, address.port());
        assertEquals("", address.path());
        assertNull(address.password());
    }

    @Test
    void rejectsAnotherScheme() {
        assertThrows(IllegalArgumentException.class, () -> Endpoints.postgres("mysql://127.0.0.1:3306/premium"));
    }

    @Test
    void keepsAPreferredPortOnlyWhileItIsFree() throws IOException {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();

            assertNotEquals(port, Endpoints.portOr(port));
        }
        assertEquals(port, Endpoints.portOr(port));
    }
}
