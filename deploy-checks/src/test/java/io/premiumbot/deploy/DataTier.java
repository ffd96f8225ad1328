package io.premiumbot.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/** The data tier an overlay may add whole (PostgreSQL and Redis it runs itself): labelled part-of premium-data. */
final class DataTier {

    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String NAME = "premium-data";

    private DataTier() {}

    static boolean isPartOf(JsonNode document) {
        return NAME.equals(
                document.path("metadata").path("labels").path(PART_OF).asText());
    }
}
