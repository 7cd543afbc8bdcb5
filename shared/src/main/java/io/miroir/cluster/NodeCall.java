package io.miroir.cluster;

import io.vertx.core.buffer.Buffer;

/**
 * One HTTP call to a Meilisearch node, as the router asks the scatter verticle to make it.
 *
 * @param url the node's base URL followed by path and query
 * @param body the encoded request body (JSON), or null
 * @param bearer the token to authenticate with, or null for none
 */
public record NodeCall(String nodeId, String method, String url, Buffer body, String bearer, long timeoutMs) {
}
