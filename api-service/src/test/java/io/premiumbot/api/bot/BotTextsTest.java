package io.premiumbot.api.bot;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Every language the bot speaks has every text: a missing one would silently fall back to English. */
class BotTextsTest {

    private static Set<String> keysOf(String resource) throws IOException {
        try (InputStream in = BotTextsTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            Properties texts = new Properties();
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new TreeSet<>(texts.stringPropertyNames());
        }
    }

    @Test
    void everyLanguageHasEveryBotText() throws IOException {
        Set<String> english = keysOf("/bot/texts.properties");
        Set<String> chinese = keysOf("/bot/texts_zh.properties");

        assertEquals(english, chinese);
    }
}
