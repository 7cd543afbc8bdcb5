package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a search merge needs to know of an index's settings (SPEC §1.4, D3): the caps Meilisearch applies after
 * ranking ({@code pagination.maxTotalHits}, {@code faceting.maxValuesPerFacet}), the facet value order
 * ({@code faceting.sortFacetValuesBy}), the ranking rules (to know whether sort values must be compared), the index
 * distinct attribute and the displayed attributes (to know what a node can hand back for merging).
 *
 * @param rankingRules the index's ranking rules, in order
 * @param maxTotalHits {@code pagination.maxTotalHits}
 * @param maxValuesPerFacet {@code faceting.maxValuesPerFacet}
 * @param sortFacetValuesBy {@code faceting.sortFacetValuesBy}: attribute (or {@code *}) to {@code alpha}/{@code count}
 * @param distinctAttribute the index distinct attribute, or null
 * @param displayedAttributes {@code displayedAttributes} ({@code ["*"]} when all are displayed)
 * @param searchableAttributes {@code searchableAttributes} ({@code ["*"]} when every field is searchable)
 * @param synonymsWithDigits true when a synonym of the index contains a digit (a query without digits can then
 *     still produce a number word, see {@link SearchableFields})
 */
public record IndexView(List<String> rankingRules, int maxTotalHits, int maxValuesPerFacet,
    Map<String, String> sortFacetValuesBy, String distinctAttribute, List<String> displayedAttributes,
    List<String> searchableAttributes, boolean synonymsWithDigits) {

  /** Meilisearch 1.21's defaults. */
  public static final List<String> DEFAULT_RANKING_RULES =
      List.of("words", "typo", "proximity", "attribute", "sort", "exactness");
  public static final int DEFAULT_MAX_TOTAL_HITS = 1000;
  public static final int DEFAULT_MAX_VALUES_PER_FACET = 100;

  public IndexView {
    rankingRules = List.copyOf(rankingRules == null ? DEFAULT_RANKING_RULES : rankingRules);
    sortFacetValuesBy = Map.copyOf(sortFacetValuesBy == null ? Map.of("*", "alpha") : sortFacetValuesBy);
    displayedAttributes = List.copyOf(displayedAttributes == null ? List.of("*") : displayedAttributes);
    searchableAttributes = List.copyOf(searchableAttributes == null ? List.of("*") : searchableAttributes);
  }

  /** A view with every field searchable and no synonyms. */
  public IndexView(List<String> rankingRules, int maxTotalHits, int maxValuesPerFacet,
      Map<String, String> sortFacetValuesBy, String distinctAttribute, List<String> displayedAttributes) {
    this(rankingRules, maxTotalHits, maxValuesPerFacet, sortFacetValuesBy, distinctAttribute, displayedAttributes,
        List.of("*"), false);
  }

  /** An index with every setting at its default. */
  public static IndexView defaults() {
    return new IndexView(DEFAULT_RANKING_RULES, DEFAULT_MAX_TOTAL_HITS, DEFAULT_MAX_VALUES_PER_FACET,
        Map.of("*", "alpha"), null, List.of("*"));
  }

  /** Reads the view from a node's {@code GET /indexes/{uid}/settings} answer; absent parts take the defaults. */
  public static IndexView fromSettings(JsonObject settings) {
    JsonObject faceting = settings.getJsonObject("faceting", new JsonObject());
    JsonObject pagination = settings.getJsonObject("pagination", new JsonObject());
    Map<String, String> order = new TreeMap<>();
    JsonObject by = faceting.getJsonObject("sortFacetValuesBy");
    if (by != null) {
      by.forEach(e -> order.put(e.getKey(), String.valueOf(e.getValue())));
    } else {
      order.put("*", "alpha");
    }
    return new IndexView(strings(settings.getJsonArray("rankingRules"), DEFAULT_RANKING_RULES),
        pagination.getInteger("maxTotalHits", DEFAULT_MAX_TOTAL_HITS),
        faceting.getInteger("maxValuesPerFacet", DEFAULT_MAX_VALUES_PER_FACET), order,
        settings.getString("distinctAttribute"), strings(settings.getJsonArray("displayedAttributes"), List.of("*")),
        strings(settings.getJsonArray("searchableAttributes"), List.of("*")),
        SearchableFields.hasDigit(settings.getJsonObject("synonyms", new JsonObject()).encode()));
  }

  /** True when every field is searchable ({@code searchableAttributes: ["*"]}), reserved ones included. */
  public boolean searchesEveryField() {
    return searchableAttributes.contains("*");
  }

  /** True when facet values of {@code attribute} are ordered by count (else alphabetically), as OrderByMap::get. */
  public boolean sortsFacetByCount(String attribute) {
    String order = sortFacetValuesBy.get(attribute);
    if (order == null) {
      order = sortFacetValuesBy.get("*");
    }
    return "count".equals(order);
  }

  /**
   * This view for a search whose {@code facets} contain {@code *}: Meilisearch 1.21 then lists every attribute in
   * the order of {@code sortFacetValuesBy["*"]}, ignoring per-attribute orders (verified on the real binary: with
   * {@code {"*": "count", "h": "alpha"}}, {@code facets: ["*"]} lists {@code h} by count).
   */
  public IndexView starFacetOrder() {
    String star = sortFacetValuesBy.getOrDefault("*", "alpha");
    return new IndexView(rankingRules, maxTotalHits, maxValuesPerFacet, Map.of("*", star), distinctAttribute,
        displayedAttributes, searchableAttributes, synonymsWithDigits);
  }

  /** True when an index ranking rule is a custom {@code attr:asc}/{@code attr:desc} rule. */
  public boolean hasCustomSortRule() {
    for (String rule : rankingRules) {
      if (rule.endsWith(":asc") || rule.endsWith(":desc")) {
        return true;
      }
    }
    return false;
  }

  /** True when a hit can carry {@code attribute} (displayedAttributes is {@code *} or names it or a parent). */
  public boolean displays(String attribute) {
    for (String d : displayedAttributes) {
      if (d.equals("*") || d.equals(attribute) || attribute.startsWith(d + ".")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> strings(JsonArray array, List<String> fallback) {
    if (array == null) {
      return fallback;
    }
    return array.stream().map(String::valueOf).toList();
  }
}
