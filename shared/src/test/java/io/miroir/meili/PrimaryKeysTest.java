package io.miroir.meili;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Primary-key resolution (task failures observed on Meilisearch 1.21.0). */
class PrimaryKeysTest {
  private static final String NONE = "The primary key inference failed as the engine did not find any field ending "
      + "with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.";

  private static PrimaryKeys.Resolution infer(String firstDocument) {
    return PrimaryKeys.resolve(null, null, new JsonObject(firstDocument));
  }

  @Test
  void singleCandidateIsChosen() {
    assertEquals("id", infer("{\"id\":1}").primaryKey());
    assertEquals("paid", infer("{\"paid\":1,\"name\":\"x\"}").primaryKey());
    assertEquals("Id", infer("{\"Id\":1}").primaryKey());
    assertEquals("éid", infer("{\"éid\":1}").primaryKey());
    assertTrue(infer("{\"id\":1}").chosenByThisWrite());
  }

  @Test
  void noCandidate() {
    for (String doc : new String[] {"{\"name\":\"x\"}", "{\"a\":{\"id\":1}}", "{\"d\":1}", "{}"}) {
      PrimaryKeys.Resolution r = infer(doc);
      assertEquals(new DocumentError("index_primary_key_no_candidate_found", NONE), r.error(), doc);
      assertNull(r.primaryKey());
    }
  }

  @Test
  void severalCandidatesNameTheFirstTwoSorted() {
    assertEquals(new DocumentError("index_primary_key_multiple_candidates_found", "The primary key inference failed "
        + "as the engine found 2 fields ending with `id` in their names: 'ID' and 'userId'. Please specify the "
        + "primary key manually using the `primaryKey` query parameter."),
        infer("{\"userId\":1,\"ID\":2,\"name\":\"x\"}").error());
    assertEquals(new DocumentError("index_primary_key_multiple_candidates_found", "The primary key inference failed "
        + "as the engine found 3 fields ending with `id` in their names: 'Bid' and 'a_id'. Please specify the "
        + "primary key manually using the `primaryKey` query parameter."),
        infer("{\"z_id\":1,\"a_id\":2,\"Bid\":3}").error());
  }

  @Test
  void indexKeyWinsAndAConflictingParameterFails() {
    PrimaryKeys.Resolution same = PrimaryKeys.resolve("id", "id", new JsonObject("{\"id\":1}"));
    assertEquals("id", same.primaryKey());
    assertFalse(same.chosenByThisWrite());
    PrimaryKeys.Resolution other = PrimaryKeys.resolve("id", "foo", new JsonObject("{\"foo\":1,\"id\":1}"));
    assertEquals(new DocumentError("index_primary_key_already_exists", "Index already has a primary key: `id`."),
        other.error());
    // even for an empty payload
    assertEquals(other.error(), PrimaryKeys.resolve("id", "foo", null).error());
  }

  @Test
  void parameterIsTakenAsGiven() {
    assertEquals("a b", PrimaryKeys.resolve(null, "a b", new JsonObject("{\"a b\":1}")).primaryKey());
    assertEquals("", PrimaryKeys.resolve(null, "", new JsonObject("{\"id\":1}")).primaryKey());
    PrimaryKeys.Resolution empty = PrimaryKeys.resolve(null, "foo", null);
    assertEquals("foo", empty.primaryKey());
    assertTrue(empty.chosenByThisWrite());
  }

  @Test
  void emptyPayloadWithoutAnyKeySucceedsWithoutKey() {
    PrimaryKeys.Resolution r = PrimaryKeys.resolve(null, null, null);
    assertFalse(r.isFailed());
    assertNull(r.primaryKey());
  }
}
