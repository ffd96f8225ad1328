package io.premiumbot.api.console;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Every word of the glance bundle exists in every console language file, and no file has words the code lost. */
class GlanceWordsTest {

    @Test
    void everyGlanceWordHasItsChineseTranslation() throws IOException {
        Set<String> keys = Arrays.stream(GlanceMessages.class.getDeclaredMethods())
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Properties chinese = new Properties();
        try (Reader reader = new InputStreamReader(
                getClass().getResourceAsStream("/messages/glance_zh.properties"), StandardCharsets.UTF_8)) {
            chinese.load(reader);
        }

        assertEquals(keys, new TreeSet<>(chinese.stringPropertyNames()));
    }
}
