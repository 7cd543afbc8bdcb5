package io.miroir.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL handling of node calls matches Vert.x's own parsing of an absolute URI. */
class HttpNodeTransportTest {

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:7700/indexes/movies/search", "http://node-a:7701/health",
      "http://node-a:7701", "http://node-a:7701/tasks?statuses=enqueued&limit=20", "http://node-a/health",
      "https://node-a:7443/health", "http://[::1]:7700/health", "http://user@node-a:7700/health",
      "http://node-a:7700/indexes/a%20b/documents/x%2Fy"})
  void targetsLikeAnAbsoluteUri(String url) {
    RequestOptions expected = new RequestOptions().setAbsoluteURI(url);
    RequestOptions actual = new RequestOptions();
    HttpNodeTransport.target(actual, url);
    assertEquals(expected.getHost(), actual.getHost(), "host");
    assertEquals(expected.getPort(), actual.getPort(), "port");
    assertEquals(expected.isSsl(), actual.isSsl(), "ssl");
    assertEquals(expected.getURI(), actual.getURI(), "uri");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:7700/indexes/movies/search|/indexes/movies/search",
      "http://node-a:7701|/", "http://node-a:7701/tasks?x=1|/tasks?x=1"})
  void pathOf(String pair) {
    String[] p = pair.split("\\|");
    assertEquals(p[1], HttpNodeTransport.pathOf(p[0]));
  }
}
