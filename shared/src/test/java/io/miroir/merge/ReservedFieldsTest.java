package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reserved fields are invisible to clients and stay filterable on nodes (SPEC §1.5, D6, D13). */
class ReservedFieldsTest {

  private static JsonObject rule(String pattern, boolean filter) {
    return new JsonObject().put("attributePatterns", new JsonArray().add(pattern))
        .put("features", new JsonObject().put("facetSearch", false)
            .put("filter", new JsonObject().put("equality", filter).put("comparison", filter)));
  }

  @Test
  void activeFieldsFollowTheFeatures() {
    assertEquals(List.of("_miroir_shard"), ReservedFields.shardOnly().active());
    assertEquals(List.of("_miroir_shard", "_miroir_updated_at", "_miroir_expires_at"),
        ReservedFields.of(true, true).active());
    assertTrue(ReservedFields.isReserved("_miroir_anything"));
    assertFalse(ReservedFields.isReserved("miroir_shard"));
  }

  @Test
  void documentsAndHitsLoseEveryReservedField() {
    JsonObject doc = new JsonObject().put("id", 1).put("_miroir_shard", 3).put("_miroir_updated_at", 5)
        .put("_miroir_expires_at", 9);
    assertEquals(new JsonObject().put("id", 1), ReservedFields.stripDocument(doc));
    JsonArray hits = new JsonArray().add(new JsonObject().put("id", 2).put("_miroir_shard", 1)
        .put("_formatted", new JsonObject().put("id", "2").put("_miroir_shard", "1"))
        .put("_matchesPosition", new JsonObject().put("_miroir_shard", new JsonArray()).put("id", new JsonArray())));
    ReservedFields.stripHits(hits);
    assertEquals(new JsonObject().put("id", 2).put("_formatted", new JsonObject().put("id", "2"))
        .put("_matchesPosition", new JsonObject().put("id", new JsonArray())), hits.getJsonObject(0));
  }

  @Test
  void settingsAnswersHideReservedNamesInStringsAndRuleObjects() {
    JsonObject settings = new JsonObject()
        .put("filterableAttributes", new JsonArray().add("genre").add("_miroir_shard").add(rule("_miroir_expires_at",
            true)).add(new JsonObject().put("attributePatterns", new JsonArray().add("year").add("_miroir_shard"))))
        .put("sortableAttributes", new JsonArray().add("_miroir_updated_at").add("year"))
        .put("displayedAttributes", new JsonArray().add("*"))
        .put("searchableAttributes", new JsonArray().add("title").add("_miroir_shard"));
    ReservedFields.stripSettings(settings);
    assertEquals(new JsonArray().add("genre").add(new JsonObject().put("attributePatterns", new JsonArray().add("year"))),
        settings.getJsonArray("filterableAttributes"));
    assertEquals(new JsonArray().add("year"), settings.getJsonArray("sortableAttributes"));
    assertEquals(new JsonArray().add("*"), settings.getJsonArray("displayedAttributes"));
    assertEquals(new JsonArray().add("title"), settings.getJsonArray("searchableAttributes"));
    assertEquals(new JsonArray(), ReservedFields.stripAttributeList(new JsonArray().add("_miroir_shard")));
  }

  @Test
  void statsAndFacetsLoseReservedKeys() {
    JsonObject fields = new JsonObject().put("id", 3).put("_miroir_shard", 3);
    assertEquals(new JsonObject().put("id", 3), ReservedFields.stripKeys(fields));
  }

  @Test
  void filterableWritesKeepTheActiveFieldsFilterable() {
    ReservedFields ttl = ReservedFields.of(false, true);
    assertEquals(new JsonArray().add("_miroir_shard").add("_miroir_expires_at"), ttl.filterableForNodes(null),
        "a reset keeps them");
    JsonArray client = new JsonArray().add("genre");
    assertEquals(new JsonArray().add("genre").add("_miroir_shard").add("_miroir_expires_at"),
        ttl.filterableForNodes(client));
    assertEquals(new JsonArray().add("genre"), client, "the client's value is not modified");
    assertEquals(new JsonArray().add("_miroir_shard").add("genre"),
        ReservedFields.shardOnly().filterableForNodes(new JsonArray().add("_miroir_shard").add("genre")),
        "nothing added twice");
  }

  @Test
  void aClientPatternThatWouldShadowOursPutsOursFirst() {
    JsonArray client = new JsonArray().add(rule("*", false));
    JsonArray nodes = ReservedFields.shardOnly().filterableForNodes(client);
    assertEquals("_miroir_shard", nodes.getValue(0), "first match wins in Meilisearch");
    assertEquals(client.getJsonObject(0), nodes.getJsonObject(1));
    JsonArray objects = ReservedFields.shardOnly().filterableForNodes(new JsonArray().add(rule("genre", true)));
    assertEquals("_miroir_shard", objects.getValue(1), "no shadowing: appended, client rule indexes unchanged");
  }

  @Test
  void globMatchesMeilisearchAttributePatterns() {
    assertTrue(ReservedFields.globMatches("*", "_miroir_shard"));
    assertTrue(ReservedFields.globMatches("_mir*", "_miroir_shard"));
    assertTrue(ReservedFields.globMatches("*shard", "_miroir_shard"));
    assertTrue(ReservedFields.globMatches("*roir*", "_miroir_shard"));
    assertFalse(ReservedFields.globMatches("genre*", "_miroir_shard"));
    assertFalse(ReservedFields.globMatches("*shard*x", "_miroir_shard"));
  }

  /** Real Meilisearch 1.21 messages of a node holding {@code _miroir_shard}, and what one node without it says. */
  @Test
  void errorMessagesNameNoReservedField() {
    assertEquals("Index `b`: Attribute `isbn` is not filterable. Available filterable attribute patterns are: `_geo`, "
        + "`author`, `year`.\n1:5 isbn = 978", ReservedFields.stripErrorMessage("Index `b`: Attribute `isbn` is not "
        + "filterable. Available filterable attribute patterns are: `_geo`, `_miroir_shard`, `author`, `year`.\n1:5 "
        + "isbn = 978"));
    assertEquals("Attribute `a` is not filterable. Available filterable attribute patterns are: `x`.",
        ReservedFields.stripErrorMessage("Attribute `a` is not filterable. Available filterable attribute patterns "
            + "are: `x`, `_miroir_shard`."));
    assertEquals("Invalid facet distribution: Attribute `isbn` is not filterable. Available filterable attributes "
        + "patterns are: `_geo, author.country, year`.", ReservedFields.stripErrorMessage("Invalid facet "
        + "distribution: Attribute `isbn` is not filterable. Available filterable attributes patterns are: `_geo, "
        + "_miroir_shard, author.country, year`."));
    assertEquals("patterns are: `a, b`.", ReservedFields.stripErrorMessage("patterns are: `_miroir_shard, a, b`."));
    assertEquals("patterns are: `a, b`.", ReservedFields.stripErrorMessage("patterns are: `a, b, _miroir_shard`."));
    assertEquals("Index `t4`: Attribute `g` is not filterable. This index does not have configured filterable "
        + "attributes.\n1:2 g = a", ReservedFields.stripErrorMessage("Index `t4`: Attribute `g` is not filterable. "
        + "Available filterable attribute patterns are: `_miroir_shard`.\n1:2 g = a"));
    assertEquals("Attribute `g` is not facet-searchable. This index does not have configured facet-searchable "
        + "attributes. To make it facet-searchable add it to the `filterableAttributes` index settings.",
        ReservedFields.stripErrorMessage("Attribute `g` is not facet-searchable. Available facet-searchable "
            + "attributes patterns are: `_miroir_shard`. To make it facet-searchable add it to the "
            + "`filterableAttributes` index settings."));
    assertEquals("Invalid facet distribution: Attribute `g` is not filterable. This index does not have configured "
        + "filterable attributes.", ReservedFields.stripErrorMessage("Invalid facet distribution: Attribute `g` is "
        + "not filterable. Available filterable attributes patterns are: `_miroir_shard`."));
    assertEquals("no reserved name", ReservedFields.stripErrorMessage("no reserved name"));
  }
}
