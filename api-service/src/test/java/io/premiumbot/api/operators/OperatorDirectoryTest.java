package io.premiumbot.api.operators;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.premiumbot.api.support.ApiConfig;

class OperatorDirectoryTest {

    private static ApiConfig.Admin config(String scriptToken, String operators) {
        return new ApiConfig.Admin() {
            @Override
            public String apiToken() {
                return scriptToken;
            }

            @Override
            public Optional<String> operators() {
                return Optional.ofNullable(operators);
            }

            @Override
            public String adjustmentLimit() {
                return "10000.000000";
            }
        };
    }

    @Test
    void aNamedOperatorIsKnownByTheirTokenFromItsHashAlone() {
        var directory =
                new OperatorDirectory(config("script", "bob:viewer:" + OperatorDirectory.hashHex("bobs-token")));
        assertEquals(Optional.of(new Account("bob", Role.VIEWER)), directory.byToken("bobs-token"));
        assertEquals(Optional.empty(), directory.byToken("bobs-token "));
        assertEquals(Optional.empty(), directory.byToken(OperatorDirectory.hashHex("bobs-token")));
    }

    @Test
    void anEntryMayNameTheOperatorsOwnTelegramAccountForTopUps() {
        var directory = new OperatorDirectory(config(
                "script",
                "bob:operator:" + OperatorDirectory.hashHex("bobs-token") + ":123456789,carol:viewer:"
                        + OperatorDirectory.hashHex("carols-token")));
        assertEquals(Optional.of(new Account("bob", Role.OPERATOR, 123_456_789L)), directory.byToken("bobs-token"));
        assertNull(directory.byToken("carols-token").orElseThrow().telegramId());
    }

    @Test
    void theScriptTokenIsAnAdminNamedApiToken() {
        var directory = new OperatorDirectory(config("script", null));
        assertEquals(Optional.of(new Account("api-token", Role.ADMIN)), directory.byToken("script"));
        assertEquals(Optional.empty(), directory.byToken(""));
        assertEquals(Optional.empty(), directory.byToken(null));
    }

    @Test
    void aMalformedEntryStopsTheStartWithoutRepeatingIt() {
        String hash = OperatorDirectory.hashHex("x");
        for (String bad : new String[] {
            "bob:viewer",
            "bob:root:" + hash,
            "bob:viewer:nothex",
            "b b:viewer:" + hash,
            "api-token:admin:" + hash,
            "bob:viewer:" + hash + ",bob:admin:" + hash,
            "bob:viewer:" + hash + ":@bob",
            "bob:viewer:" + hash + ":-5",
            "bob:viewer:" + hash + ":1:2"
        }) {
            var failure = assertThrows(
                    IllegalArgumentException.class, () -> new OperatorDirectory(config("script", bad)), bad);
            assertFalse(failure.getMessage().contains(hash), "the message names the entry, not its hash");
        }
    }

    @Test
    void rolesIncludeTheOnesBelowThem() {
        assertTrue(Role.ADMIN.includes(Role.OPERATOR));
        assertTrue(Role.OPERATOR.includes(Role.VIEWER));
        assertFalse(Role.OPERATOR.includes(Role.ADMIN));
        assertFalse(Role.VIEWER.includes(Role.OPERATOR));
    }
}
