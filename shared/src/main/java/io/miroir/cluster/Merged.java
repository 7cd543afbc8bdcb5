package io.miroir.cluster;

import io.vertx.core.json.JsonObject;

/** The merger's reply: the client response, handed over without a copy inside one JVM. */
public record Merged(JsonObject response) {
}
