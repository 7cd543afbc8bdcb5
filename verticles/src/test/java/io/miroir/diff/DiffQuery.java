package io.miroir.diff;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One named request of the differential suite, sent unchanged to the reference node and to Miroir.
 *
 * @param name unique, stable name (reported with every difference)
 * @param kind search, facet search, multi-search (federated or not, the whole body) or similar documents
 * @param index the index uid the request goes to (multi-search: the first query's, for reports only)
 * @param body the JSON body ({@link JsonObject}) or, for malformed requests, the raw text sent as is
 * @param get send the search in its GET form (query parameters) instead of POST
 * @param accepted ids of the accepted differences of docs/search-merge.md this query may show (usually none)
 */
record DiffQuery(String name, Kind kind, String index, Object body, boolean get, Set<String> accepted) {
  enum Kind { SEARCH, FACET_SEARCH, MULTI_SEARCH, SIMILAR }

  JsonObject json() {
    return body instanceof JsonObject o ? o : null;
  }

  String path() {
    return switch (kind) {
      case SEARCH -> "/indexes/" + index + "/search";
      case FACET_SEARCH -> "/indexes/" + index + "/facet-search";
      case MULTI_SEARCH -> "/multi-search";
      case SIMILAR -> "/indexes/" + index + "/similar";
    };
  }

  /** True for a multi-search body with {@code federation}. */
  boolean federated() {
    return kind == Kind.MULTI_SEARCH && json() != null && json().getValue("federation") != null;
  }
}
