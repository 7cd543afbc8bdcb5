package io.miroir.diff;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares the reference node's answer to a request with Miroir's, field by field (SPEC §0 principle 1), and
 * reports every difference with the query, the field and both values.
 *
 * <p>Everything is compared exactly (status, error code/type/message/link, totals, pagination echo, facet values
 * in their order, facet stats, key order of the answer) except the order of hits that one node cannot tell apart.
 * Ties are read from a second run of the same search with {@code showRankingScoreDetails} and the ids retrieved
 * ("details run"): consecutive reference hits with identical details form a tie group, and Miroir's hits must carry
 * the same details position by position. Within a group, Miroir may show other members, or the same ones in another
 * order; every hit it shows that the reference did not show in that group is <em>probed</em>: the reference is
 * asked the same search restricted to that document ({@code id = X} ANDed to the filter) and must return it with
 * the same details and the same rendering. This proves the document is a genuine tie member (for groups cut by the
 * window edge) without trusting Miroir. Under {@code distinct}, which member represents a value among equally
 * ranked ones is free too, so groups compare by distinct value instead, and no value may repeat.
 */
final class DiffComparator {
  /** Most probes per query, so a broken merge reports quickly instead of probing hundreds of hits. */
  private static final int MAX_PROBES = 250;
  private static final int MAX_REPORTED_POSITIONS = 5;

  /** An HTTP answer: status and body text. */
  record Answer(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** One difference: which query, which field, both values. */
  record Difference(String query, String field, String reference, String miroir) {
    @Override
    public String toString() {
      return query + " :: " + field + "\n    reference: " + clip(reference) + "\n    miroir:    " + clip(miroir);
    }

    private static String clip(String s) {
      return s == null || s.length() <= 600 ? s : s.substring(0, 600) + "…(" + s.length() + " chars)";
    }
  }

  /** POST searches on the reference node, for probes. */
  @FunctionalInterface
  interface Reference {
    Answer search(String index, JsonObject body);
  }

  /** POSTs of any other route on the reference node, for probes (similar documents). */
  @FunctionalInterface
  interface ReferencePost {
    Answer post(String path, JsonObject body);
  }

  private final Reference reference;
  private final ReferencePost referencePost;

  DiffComparator(Reference reference, ReferencePost referencePost) {
    this.reference = reference;
    this.referencePost = referencePost;
  }

  /** The body of the details run: the same search, with details, scores and the attributes the comparison reads. */
  static JsonObject detailsBody(JsonObject body, String distinct) {
    JsonObject d = body.copy();
    d.put("showRankingScoreDetails", true).put("showRankingScore", true);
    JsonArray retrieve = new JsonArray().add("id");
    if (distinct != null) {
      retrieve.add(distinct);
    }
    d.put("attributesToRetrieve", retrieve);
    d.remove("attributesToHighlight");
    d.remove("attributesToCrop");
    d.remove("showMatchesPosition");
    return d;
  }

  /** The distinct attribute in force for a query: the request's, else the index's. */
  static String distinctOf(DiffQuery q) {
    JsonObject body = q.json();
    if (body != null && body.getValue("distinct") instanceof String s) {
      return s;
    }
    return q.index().equals(DiffCorpus.DISTINCT) ? "family" : null;
  }

  // ------------------------------------------------------------------------------------- search

  List<Difference> search(DiffQuery q, Answer ref, Answer mir, Answer refDetails, Answer mirDetails) {
    List<Difference> out = new ArrayList<>();
    if (!compareStatus(q, ref, mir, out) || ref.status() != 200) {
      return out;
    }
    JsonObject r = ref.json();
    JsonObject m = mir.json();
    compareKeys(q, "", r, m, out);
    for (String key : r.fieldNames()) {
      if (key.equals("hits") || key.equals("processingTimeMs") || !m.containsKey(key)) {
        continue;
      }
      if (key.equals("facetDistribution") || key.equals("facetStats")) {
        compareByAttribute(q, key, r.getJsonObject(key), m.getJsonObject(key), out);
      } else if (key.equals("estimatedTotalHits") && !Objects.equals(r.getValue(key), m.getValue(key))) {
        out.add(new Difference(q.name(), estimateField(q, r.getInteger(key)), Json.encode(r.getValue(key)),
            Json.encode(m.getValue(key))));
      } else {
        same(q, key, r.getValue(key), m.getValue(key), out);
      }
    }
    compareHits(q, r.getJsonArray("hits"), m.getJsonArray("hits"), refDetails.json().getJsonArray("hits"),
        mirDetails.status() == 200 ? mirDetails.json().getJsonArray("hits") : null, out);
    return out;
  }

  /**
   * Names a differing {@code estimatedTotalHits}, saying whether the reference's own figure is exact: the exhaustive
   * count of the same search (page mode, {@code hitsPerPage: 0}) tells. Only a figure that is not exact on one node
   * may differ (SPEC §0 principle 1).
   */
  private String estimateField(DiffQuery q, int estimate) {
    JsonObject exhaustive = q.json().copy();
    for (String key : List.of("offset", "limit", "facets", "attributesToHighlight", "attributesToCrop")) {
      exhaustive.remove(key);
    }
    exhaustive.put("page", 1).put("hitsPerPage", 0);
    Answer a = reference.search(q.index(), exhaustive);
    if (a.status() != 200) {
      return "estimatedTotalHits";
    }
    int exact = a.json().getInteger("totalHits");
    return exact == estimate ? "estimatedTotalHits" : "estimatedTotalHits (the reference's is an estimate; exact "
        + exact + ")";
  }

  List<Difference> facetSearch(DiffQuery q, Answer ref, Answer mir) {
    List<Difference> out = new ArrayList<>();
    if (!compareStatus(q, ref, mir, out) || ref.status() != 200) {
      return out;
    }
    JsonObject r = ref.json();
    JsonObject m = mir.json();
    compareKeys(q, "", r, m, out);
    same(q, "facetQuery", r.getValue("facetQuery"), m.getValue("facetQuery"), out);
    JsonArray rh = r.getJsonArray("facetHits");
    JsonArray mh = m.getJsonArray("facetHits");
    if (!rh.equals(mh)) {
      out.add(new Difference(q.name(), "facetHits", rh.encode(), mh == null ? null : mh.encode()));
    }
    return out;
  }

  /** Status, and for errors the whole error object; false when the statuses differ. */
  private static boolean compareStatus(DiffQuery q, Answer ref, Answer mir, List<Difference> out) {
    if (ref.status() != mir.status()) {
      out.add(new Difference(q.name(), "status", ref.status() + " " + ref.body(), mir.status() + " " + mir.body()));
      return false;
    }
    if (ref.status() != 200) {
      JsonObject r = ref.json();
      JsonObject m = mir.json();
      for (String key : List.of("code", "type", "message", "link")) {
        same(q, "error." + key, r.getValue(key), m.getValue(key), out);
      }
      compareKeys(q, "error", r, m, out);
    }
    return true;
  }

  /** Same keys in the same order. */
  private static void compareKeys(DiffQuery q, String where, JsonObject r, JsonObject m, List<Difference> out) {
    List<String> rk = new ArrayList<>(r.fieldNames());
    List<String> mk = new ArrayList<>(m.fieldNames());
    if (!rk.equals(mk)) {
      out.add(new Difference(q.name(), where.isEmpty() ? "keys" : where + ".keys", rk.toString(), mk.toString()));
    }
  }

  /** Per attribute, values and their order (a JSON object's encoding keeps its order). */
  private static void compareByAttribute(DiffQuery q, String key, JsonObject r, JsonObject m,
      List<Difference> out) {
    if (m == null) {
      out.add(new Difference(q.name(), key, r.encode(), null));
      return;
    }
    Set<String> attributes = new HashSet<>(r.fieldNames());
    attributes.addAll(m.fieldNames());
    for (String attribute : attributes.stream().sorted().toList()) {
      Object rv = r.getValue(attribute);
      Object mv = m.getValue(attribute);
      String re = rv == null ? null : Json.encode(rv);
      String me = mv == null ? null : Json.encode(mv);
      if (!Objects.equals(re, me)) {
        out.add(new Difference(q.name(), key + "." + attribute, re, me));
      }
    }
    if (!new ArrayList<>(r.fieldNames()).equals(new ArrayList<>(m.fieldNames()))) {
      out.add(new Difference(q.name(), key + ".keys", r.fieldNames().toString(), m.fieldNames().toString()));
    }
  }

  private static void same(DiffQuery q, String field, Object r, Object m, List<Difference> out) {
    String re = r == null ? "null" : Json.encode(r);
    String me = m == null ? "null" : Json.encode(m);
    if (!re.equals(me)) {
      out.add(new Difference(q.name(), field, re, me));
    }
  }

  // ---------------------------------------------------------------------------- federated search

  /**
   * The body of a federated details run: every query also shows its score and details and retrieves only {@code id}
   * (and its distinct attribute), without formatting.
   */
  static JsonObject federatedDetailsBody(JsonObject body) {
    JsonObject d = body.copy();
    for (Object o : d.getJsonArray("queries")) {
      JsonObject query = (JsonObject) o;
      query.put("showRankingScoreDetails", true).put("showRankingScore", true);
      JsonArray retrieve = new JsonArray().add("id");
      String distinct = query.getValue("distinct") instanceof String s ? s
          : DiffCorpus.DISTINCT.equals(query.getString("indexUid")) ? "family" : null;
      if (distinct != null) {
        retrieve.add(distinct);
      }
      query.put("attributesToRetrieve", retrieve);
      query.remove("attributesToHighlight");
      query.remove("attributesToCrop");
      query.remove("showMatchesPosition");
    }
    return d;
  }

  /**
   * A federated multi-search: everything but {@code processingTimeMs} compared exactly, facets per attribute (and per
   * index), hits position by position by their ranking key (index, query, weighted score, details) read from the
   * details runs; inside a group of equal keys, a document Miroir shows that the reference did not is probed on the
   * reference (its query as a single search restricted to it) and must carry the group's details.
   */
  List<Difference> federated(DiffQuery q, Answer ref, Answer mir, Answer refDetails, Answer mirDetails) {
    List<Difference> out = new ArrayList<>();
    if (!compareStatus(q, ref, mir, out) || ref.status() != 200) {
      return out;
    }
    JsonObject r = ref.json();
    JsonObject m = mir.json();
    compareKeys(q, "", r, m, out);
    for (String key : r.fieldNames()) {
      if (key.equals("hits") || key.equals("processingTimeMs") || !m.containsKey(key)) {
        continue;
      }
      if (key.equals("facetDistribution") || key.equals("facetStats")) {
        compareByAttribute(q, key, r.getJsonObject(key), m.getJsonObject(key), out);
      } else if (key.equals("facetsByIndex")) {
        JsonObject rb = r.getJsonObject(key);
        JsonObject mb = m.getJsonObject(key);
        if (!new ArrayList<>(rb.fieldNames()).equals(new ArrayList<>(mb.fieldNames()))) {
          out.add(new Difference(q.name(), "facetsByIndex.keys", rb.fieldNames().toString(),
              mb.fieldNames().toString()));
        }
        for (String index : rb.fieldNames()) {
          JsonObject ri = rb.getJsonObject(index);
          JsonObject mi = mb.getJsonObject(index);
          if (mi == null) {
            continue;
          }
          compareKeys(q, "facetsByIndex." + index, ri, mi, out);
          compareByAttribute(q, "facetsByIndex." + index + ".distribution", ri.getJsonObject("distribution"),
              mi.getJsonObject("distribution"), out);
          compareByAttribute(q, "facetsByIndex." + index + ".stats", ri.getJsonObject("stats"),
              mi.getJsonObject("stats"), out);
        }
      } else {
        same(q, key, r.getValue(key), m.getValue(key), out);
      }
    }
    JsonArray rh = r.getJsonArray("hits");
    JsonArray mh = m.getJsonArray("hits");
    JsonArray rd = refDetails.json().getJsonArray("hits");
    JsonArray md = mirDetails.status() == 200 ? mirDetails.json().getJsonArray("hits") : null;
    if (mh == null || mh.size() != rh.size()) {
      out.add(new Difference(q.name(), "hits.length", String.valueOf(rh.size()),
          mh == null ? null : String.valueOf(mh.size())));
      return out;
    }
    if (rd.size() != rh.size() || md == null || md.size() != rd.size()) {
      out.add(new Difference(q.name(), "details-run.hits.length", rd.size() + " (as-is " + rh.size() + ")",
          md == null ? null : String.valueOf(md.size())));
      return out;
    }
    int reported = 0;
    for (int i = 0; i < rd.size() && reported < MAX_REPORTED_POSITIONS; i++) {
      JsonObject rk = federatedKey(rd.getJsonObject(i));
      JsonObject mk = federatedKey(md.getJsonObject(i));
      if (!rk.equals(mk)) {
        out.add(new Difference(q.name(), "hits[" + i + "] ranking (id " + rd.getJsonObject(i).getValue("id")
            + " vs " + md.getJsonObject(i).getValue("id") + ")", rk.encode(), mk.encode()));
        reported++;
      }
    }
    if (reported > 0) {
      return out;
    }
    Probes probes = new Probes(q);
    int start = 0;
    for (int i = 1; i <= rd.size(); i++) {
      if (i < rd.size() && federatedKey(rd.getJsonObject(i)).equals(federatedKey(rd.getJsonObject(start)))) {
        continue;
      }
      compareFederatedGroup(q, rh, mh, rd, md, start, i, probes, out);
      start = i;
    }
    return out;
  }

  private static JsonObject federatedKey(JsonObject hit) {
    JsonObject federation = hit.getJsonObject("_federation", new JsonObject());
    return new JsonObject().put("indexUid", federation.getValue("indexUid"))
        .put("queriesPosition", federation.getValue("queriesPosition"))
        .put("weightedRankingScore", federation.getValue("weightedRankingScore"))
        .put("details", hit.getValue("_rankingScoreDetails"));
  }

  /**
   * One group of equal ranking keys: members missing from the reference's group are probed; the rendered hits (as
   * the client asked them) are equal as multisets, except for as many as were substituted. Renderings compare as
   * multisets because Miroir's details run may read other replicas, whose equal hits come in another order.
   */
  private void compareFederatedGroup(DiffQuery q, JsonArray rh, JsonArray mh, JsonArray rd, JsonArray md, int from,
      int to, Probes probes, List<Difference> out) {
    Map<String, Integer> refIds = counts(rd, new int[] {from, to}, "id");
    JsonObject key = federatedKey(rd.getJsonObject(from));
    int substituted = 0;
    for (int i = from; i < to; i++) {
      JsonObject hit = md.getJsonObject(i);
      String id = String.valueOf(hit.getValue("id"));
      if (refIds.containsKey(id)) {
        continue;
      }
      substituted++;
      JsonObject query = q.json().getJsonArray("queries").getJsonObject(key.getInteger("queriesPosition")).copy();
      String index = (String) query.remove("indexUid");
      query.remove("federationOptions");
      JsonObject probed = probes.one(index, detailsBody(query, null), hit.getValue("id"), out);
      if (probed == null) {
        return;
      }
      if (!Objects.equals(probed.getValue("_rankingScoreDetails"), key.getValue("details"))) {
        out.add(new Difference(q.name(), "hits[" + i + "] id " + id + " is no tie member of its group",
            Json.encode(key.getValue("details")), Json.encode(probed.getValue("_rankingScoreDetails"))));
      }
    }
    Map<String, Integer> expected = encoded(rh, new int[] {from, to});
    int unmatched = 0;
    List<String> extra = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String own = canonical(mh.getValue(i));
      if (expected.merge(own, -1, Integer::sum) < 0) {
        unmatched++;
        extra.add(own);
      }
    }
    if (unmatched > substituted) {
      out.add(new Difference(q.name(), "hits[" + from + ".." + to + ") renderings of a tie group",
          encoded(rh, new int[] {from, to}).keySet().toString(), extra.toString()));
    } else if (from == 0) {
      compareKeyOrder(q, rh, mh, out);
    }
  }

  /**
   * Similar documents: everything but {@code processingTimeMs} and the hits compared exactly; hits position by
   * position on the scored runs. Nearest neighbours come from approximate indexes, so a position may hold another
   * document (A8) only if the reference itself, asked the same request restricted to that document, gives it with
   * the similarity and rendering Miroir shows, and Miroir's similarities never increase down the list.
   *
   * @param refScored the reference's answer to the request with {@code showRankingScore}
   * @param mirScored Miroir's answer to it
   */
  List<Difference> similar(DiffQuery q, Answer ref, Answer mir, Answer refScored, Answer mirScored) {
    List<Difference> out = new ArrayList<>();
    if (!compareStatus(q, ref, mir, out) || ref.status() != 200) {
      return out;
    }
    JsonObject r = ref.json();
    JsonObject m = mir.json();
    compareKeys(q, "", r, m, out);
    for (String key : r.fieldNames()) {
      if (!key.equals("processingTimeMs") && !key.equals("hits")) {
        same(q, key, r.getValue(key), m.getValue(key), out);
      }
    }
    JsonArray rh = r.getJsonArray("hits");
    JsonArray mh = m.getJsonArray("hits");
    JsonArray rs = refScored.status() == 200 ? refScored.json().getJsonArray("hits") : null;
    JsonArray ms = mirScored.status() == 200 ? mirScored.json().getJsonArray("hits") : null;
    if (mh == null || mh.size() != rh.size() || rs == null || ms == null || ms.size() != rs.size()) {
      out.add(new Difference(q.name(), "hits.length", rh.size() + " (scored run " + (rs == null ? null : rs.size())
          + ")", (mh == null ? null : mh.size()) + " (scored run " + (ms == null ? null : ms.size()) + ")"));
      return out;
    }
    // Positions are compared on the scored runs, which carry the similarity and the id (Miroir may read other
    // replicas for the scored request, whose neighbour indexes were built differently).
    double previous = Double.POSITIVE_INFINITY;
    for (int i = 0; i < rs.size(); i++) {
      double score = ms.getJsonObject(i).getDouble("_rankingScore", -1.0);
      if (score > previous) {
        out.add(new Difference(q.name(), "hits[" + i + "] similarity order", "non-increasing",
            previous + " then " + score));
      }
      previous = score;
      String expected = canonical(rs.getValue(i));
      String actual = canonical(ms.getValue(i));
      if (expected.equals(actual)) {
        continue;
      }
      Object id = ms.getJsonObject(i).getValue("id");
      JsonObject probe = scoredBody(q.json());
      probe.put("offset", 0).put("limit", 1);
      String clause = "id = " + id;
      Object filter = probe.getValue("filter");
      probe.put("filter", filter instanceof JsonArray a ? a.copy().add(clause)
          : filter instanceof String f ? new JsonArray().add(f).add(clause) : clause);
      Answer a = referencePost.post(q.path(), probe);
      JsonArray hits = a.status() == 200 ? a.json().getJsonArray("hits") : null;
      if (hits == null || hits.size() != 1) {
        out.add(new Difference(q.name(), "probe of id " + id, "a neighbour of the target", a.status() + " "
            + a.body()));
        continue;
      }
      String probed = canonical(hits.getValue(0));
      if (!probed.equals(actual)) {
        out.add(new Difference(q.name(), "hits[" + i + "] (id " + id + ", similarity " + score + ")", probed,
            actual));
      } else {
        out.add(new Difference(q.name(), "hits[" + i + "] another neighbour", expected, actual));
      }
    }
    compareKeyOrder(q, rh, mh, out);
    return out;
  }

  /** A similar-documents body that also shows the similarity and retrieves {@code id}. */
  static JsonObject scoredBody(JsonObject body) {
    JsonObject scored = body.copy().put("showRankingScore", true);
    if (scored.getValue("attributesToRetrieve") instanceof JsonArray retrieve && !retrieve.contains("*")
        && !retrieve.contains("id")) {
      scored.put("attributesToRetrieve", retrieve.copy().add("id"));
    }
    return scored;
  }

  /** Any other request (multi-search errors): status and error, or the whole answer. */
  List<Difference> whole(DiffQuery q, Answer ref, Answer mir) {
    List<Difference> out = new ArrayList<>();
    if (!compareStatus(q, ref, mir, out) || ref.status() != 200) {
      return out;
    }
    JsonObject r = ref.json();
    JsonObject m = mir.json();
    compareKeys(q, "", r, m, out);
    for (String key : r.fieldNames()) {
      if (key.equals("hits") && r.getValue(key) instanceof JsonArray rh && m.getValue(key) instanceof JsonArray mh
          && rh.size() == mh.size()) {
        for (int i = 0; i < rh.size(); i++) {
          if (!canonical(rh.getValue(i)).equals(canonical(mh.getValue(i)))) {
            out.add(new Difference(q.name(), "hits[" + i + "]", canonical(rh.getValue(i)),
                canonical(mh.getValue(i))));
          }
        }
        compareKeyOrder(q, rh, mh, out);
      } else if (!key.equals("processingTimeMs")) {
        same(q, key, r.getValue(key), m.getValue(key), out);
      }
    }
    return out;
  }

  // --------------------------------------------------------------------------------------- hits

  private void compareHits(DiffQuery q, JsonArray ref, JsonArray mir, JsonArray refD, JsonArray mirD,
      List<Difference> out) {
    if (mir == null || mir.size() != ref.size()) {
      out.add(new Difference(q.name(), "hits.length", String.valueOf(ref.size()),
          mir == null ? null : String.valueOf(mir.size())));
      return;
    }
    if (refD.size() != ref.size() || mirD == null || mirD.size() != refD.size()) {
      out.add(new Difference(q.name(), "details-run.hits.length", refD.size() + " (as-is " + ref.size() + ")",
          mirD == null ? null : String.valueOf(mirD.size())));
      return;
    }
    if (!sameDetailsByPosition(q, refD, mirD, out)) {
      return;
    }
    String distinct = distinctOf(q);
    Probes probes = new Probes(q);
    List<int[]> groups = tieGroups(refD);
    for (int[] g : groups) {
      compareDetailsGroup(q, refD, mirD, g, distinct, probes, out);
    }
    if (distinct != null) {
      noRepeatedDistinctValue(q, mirD, distinct, out);
    }
    for (int[] g : groups) {
      compareRenderedGroup(q, ref, mir, mirD, g, probes, out);
    }
    compareKeyOrder(q, ref, mir, out);
  }

  /**
   * Hits compare with their keys sorted (JSON objects are unordered); the order of a document's keys is reported
   * on its own, once per query: a node prints them in the order its index first saw each field.
   */
  private static void compareKeyOrder(DiffQuery q, JsonArray ref, JsonArray mir, List<Difference> out) {
    for (int i = 0; i < ref.size(); i++) {
      String r = Json.encode(ref.getValue(i));
      String m = Json.encode(mir.getValue(i));
      if (!r.equals(m) && canonical(ref.getValue(i)).equals(canonical(mir.getValue(i)))) {
        out.add(new Difference(q.name(), "hits[" + i + "] key order", r, m));
        return;
      }
    }
  }

  /** JSON text with every object's keys sorted. */
  static String canonical(Object value) {
    return Json.encode(sorted(value));
  }

  private static Object sorted(Object value) {
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.fieldNames().stream().sorted().forEach(k -> out.put(k, sorted(o.getValue(k))));
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return value;
  }

  /** Ranking keys position by position: the merge order must equal the node's up to ties. */
  private static boolean sameDetailsByPosition(DiffQuery q, JsonArray refD, JsonArray mirD, List<Difference> out) {
    int reported = 0;
    for (int i = 0; i < refD.size() && reported < MAX_REPORTED_POSITIONS; i++) {
      Object rd = details(refD.getJsonObject(i));
      Object md = details(mirD.getJsonObject(i));
      if (!Objects.equals(rd, md)) {
        out.add(new Difference(q.name(), "hits[" + i + "] ranking (id " + refD.getJsonObject(i).getValue("id")
            + " vs " + mirD.getJsonObject(i).getValue("id") + ")", Json.encode(rd), Json.encode(md)));
        reported++;
      }
    }
    return reported == 0;
  }

  /** Consecutive positions with identical details, as {@code [from, to)}. */
  private static List<int[]> tieGroups(JsonArray refD) {
    List<int[]> groups = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= refD.size(); i++) {
      if (i == refD.size() || !Objects.equals(details(refD.getJsonObject(i)), details(refD.getJsonObject(start)))) {
        groups.add(new int[] {start, i});
        start = i;
      }
    }
    return groups;
  }

  private static Object details(JsonObject hit) {
    return hit.getValue("_rankingScoreDetails");
  }

  /**
   * Members of one tie group in the details runs: the same ids, or (distinct) the same distinct values; any other
   * member Miroir shows must be a genuine tie member of the reference.
   */
  private void compareDetailsGroup(DiffQuery q, JsonArray refD, JsonArray mirD, int[] g, String distinct,
      Probes probes, List<Difference> out) {
    Map<String, Integer> refIds = counts(refD, g, "id");
    Map<String, Integer> mirIds = counts(mirD, g, "id");
    if (refIds.equals(mirIds)) {
      return;
    }
    boolean edge = g[0] == 0 || g[1] == refD.size();
    if (distinct != null && !edge) {
      Map<String, Integer> refValues = counts(refD, g, distinct);
      Map<String, Integer> mirValues = counts(mirD, g, distinct);
      if (!refValues.equals(mirValues)) {
        out.add(new Difference(q.name(), "hits[" + g[0] + ".." + g[1] + ") distinct values of a tie group",
            refValues.toString(), mirValues.toString()));
        return;
      }
    }
    Object groupDetails = details(refD.getJsonObject(g[0]));
    for (int i = g[0]; i < g[1]; i++) {
      JsonObject hit = mirD.getJsonObject(i);
      String id = String.valueOf(hit.getValue("id"));
      if (refIds.containsKey(id)) {
        continue;
      }
      JsonObject probed = probes.one(detailsBody(q.json(), distinct), hit.getValue("id"), out);
      if (probed == null) {
        return;
      }
      if (!Objects.equals(details(probed), groupDetails)) {
        out.add(new Difference(q.name(), "hits[" + i + "] id " + id + " is no tie member of its group",
            Json.encode(groupDetails), Json.encode(details(probed))));
      }
    }
  }

  private static void noRepeatedDistinctValue(DiffQuery q, JsonArray mirD, String distinct, List<Difference> out) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < mirD.size(); i++) {
      Object v = value(mirD.getJsonObject(i), distinct);
      if (v != null && !(v instanceof JsonArray) && !seen.add(String.valueOf(v).toLowerCase())) {
        out.add(new Difference(q.name(), "hits[" + i + "] repeats distinct value", "unique", String.valueOf(v)));
      }
    }
  }

  /**
   * The rendered hits (as the client asked them) of one group: equal as multisets, or every hit Miroir shows
   * that the reference did not is the reference's own rendering of a probed tie member.
   */
  private void compareRenderedGroup(DiffQuery q, JsonArray ref, JsonArray mir, JsonArray mirD, int[] g,
      Probes probes, List<Difference> out) {
    Map<String, Integer> refHits = encoded(ref, g);
    Map<String, Integer> mirHits = encoded(mir, g);
    if (refHits.equals(mirHits)) {
      return;
    }
    Map<String, Integer> expected = new HashMap<>(refHits);
    for (int i = g[0]; i < g[1]; i++) {
      JsonObject hit = mir.getJsonObject(i);
      Object id = hit.containsKey("id") ? hit.getValue("id") : mirD.getJsonObject(i).getValue("id");
      String own = canonical(hit);
      if (expected.merge(own, -1, Integer::sum) >= 0) {
        continue;
      }
      expected.merge(own, 1, Integer::sum);
      JsonObject probed = probes.one(q.json(), id, out);
      if (probed == null) {
        return;
      }
      if (!canonical(probed).equals(own)) {
        out.add(new Difference(q.name(), "hits[" + i + "] (id " + id + ")", canonical(probed), own));
      }
    }
  }

  private static Map<String, Integer> encoded(JsonArray hits, int[] g) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = g[0]; i < g[1]; i++) {
      out.merge(canonical(hits.getValue(i)), 1, Integer::sum);
    }
    return out;
  }

  private static Map<String, Integer> counts(JsonArray hits, int[] g, String attribute) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = g[0]; i < g[1]; i++) {
      out.merge(String.valueOf(value(hits.getJsonObject(i), attribute)), 1, Integer::sum);
    }
    return out;
  }

  /** A dotted attribute of a hit ({@code author.country}). */
  private static Object value(JsonObject hit, String path) {
    Object current = hit;
    for (String part : path.split("\\.")) {
      if (!(current instanceof JsonObject o)) {
        return null;
      }
      current = o.getValue(part);
    }
    return current;
  }

  /** Asks the reference for one document under the query's own parameters. */
  private final class Probes {
    private final DiffQuery q;
    private int used;

    Probes(DiffQuery q) {
      this.q = q;
    }

    /** The reference's hit for document {@code id} under {@code body}, or null (difference recorded). */
    JsonObject one(JsonObject body, Object id, List<Difference> out) {
      return one(q.index(), body, id, out);
    }

    /** {@link #one(JsonObject, Object, List)} on another index (a query of a multi-search). */
    JsonObject one(String index, JsonObject body, Object id, List<Difference> out) {
      if (id == null) {
        out.add(new Difference(q.name(), "tie member without id", "a probe-able hit", "a hit without id"));
        return null;
      }
      if (++used > MAX_PROBES) {
        if (used == MAX_PROBES + 1) {
          out.add(new Difference(q.name(), "ties", "at most " + MAX_PROBES + " substituted tie members",
              "more"));
        }
        return null;
      }
      Answer a = reference.search(index, restricted(body, id));
      JsonArray hits = a.status() == 200 ? a.json().getJsonArray("hits") : null;
      if (hits == null || hits.size() != 1) {
        out.add(new Difference(q.name(), "probe of id " + id, "the document matches the query",
            a.status() + " " + a.body()));
        return null;
      }
      return hits.getJsonObject(0);
    }

    private JsonObject restricted(JsonObject body, Object id) {
      JsonObject b = body.copy();
      for (String key : List.of("offset", "limit", "page", "hitsPerPage", "facets")) {
        b.remove(key);
      }
      b.put("limit", 2);
      String clause = "id = " + id;
      Object filter = body.getValue("filter");
      if (filter instanceof JsonArray array) {
        b.put("filter", array.copy().add(clause));
      } else if (filter instanceof String s && !s.isBlank()) {
        b.put("filter", new JsonArray().add(s).add(clause));
      } else {
        b.put("filter", clause);
      }
      return b;
    }
  }
}
