package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keeping _miroir_shard out of full-text matching (SPEC §1.5, D13; docs/search-merge.md). */
class SearchableFieldsTest {
  @Test
  void digitsAreFoundAlsoAfterCompatibilityDecomposition() {
    assertTrue(SearchableFields.hasDigit("volume 2"));
    assertTrue(SearchableFields.hasDigit("x²"), "superscript two decomposes to 2");
    assertTrue(SearchableFields.hasDigit("２"), "full-width two");
    assertFalse(SearchableFields.hasDigit("déjà vu"));
  }

  @Test
  void fieldsComeFromEveryNodesStatsWithoutReservedOnes() {
    JsonObject a = new JsonObject().put("fieldDistribution", new JsonObject().put("id", 3).put("title", 3)
        .put("_miroir_shard", 3));
    JsonObject b = new JsonObject().put("fieldDistribution", new JsonObject().put("id", 2).put("émission", 1));
    Set<String> fields = SearchableFields.fromStats(List.of(a, b));
    assertEquals(Set.of("id", "title", "_miroir_shard", "émission"), fields);
    assertEquals(new JsonArray().add("id").add("id.*").add("title").add("title.*").add("émission").add("émission.*"),
        SearchableFields.restrict(null, fields));
  }

  @Test
  void aClientListKeepsItsEntriesWithTheStarReplaced() {
    assertEquals(new JsonArray().add("title").add("a").add("a.*"),
        SearchableFields.restrict(new JsonArray().add("title").add("*"), List.of("a", "_miroir_shard")));
  }

  @Test
  void onlyQueriesThatCanProduceANumberWordAreRestricted() {
    IndexView all = IndexView.defaults();
    assertTrue(SearchableFields.needed(new JsonObject().put("q", "7"), all));
    assertFalse(SearchableFields.needed(new JsonObject().put("q", "seven"), all));
    assertFalse(SearchableFields.needed(new JsonObject().put("q", "  "), all));
    assertFalse(SearchableFields.needed(new JsonObject().put("q", 7), all), "a bad q is the node's to reject");
    assertFalse(SearchableFields.needed(new JsonObject().put("q", "7").put("attributesToSearchOn", "x"), all));
  }
}
