package io.miroir.diff;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One named request of the differential suite, sent unchanged to the reference node and to Miroir.
 *
 * @param name unique, stable name (reported with every difference)
 * @param kind search or facet search
 * @param index the index uid the request goes to
 * @param body the JSON body ({@link JsonObject}) or, for malformed requests, the raw text sent as is
 * @param get send the search in its GET form (query parameters) instead of POST
 * @param accepted ids of the accepted differences of docs/search-merge.md this query may show (usually none)
 */
record DiffQuery(String name, Kind kind, String index, Object body, boolean get, Set<String> accepted) {
  enum Kind { SEARCH, FACET_SEARCH }

  JsonObject json() {
    return body instanceof JsonObject o ? o : null;
  }

  String path() {
    return "/indexes/" + index + (kind == Kind.SEARCH ? "/search" : "/facet-search");
  }
}
