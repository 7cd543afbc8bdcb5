package io.miroir.meili;

import static io.miroir.meili.DocumentIdsTest.invalid;
import static io.miroir.meili.MeiliAssertions.assertMeili;
import static io.miroir.meili.MeiliAssertions.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whole-batch validation (task failures observed on Meilisearch 1.21.0; reserved fields are Miroir's own). */
class BatchValidatorTest {
  private static final String CRASH = "An unexpected crash occurred when processing the task: called "
      + "`Result::unwrap()` on an `Err` value: Error(";

  private static BatchValidator.BatchValidation validate(String contentType, String body, String primaryKey) {
    ParsedPayload payload = DocumentPayload.parsePayload(bytes(body), contentType, null);
    return BatchValidator.validate(payload, "pk5", primaryKey, Set.of());
  }

  private static DocumentError json(String body, String primaryKey) {
    return validate("application/json", body, primaryKey).error();
  }

  private static DocumentError ndjson(String body, String primaryKey) {
    return validate("application/x-ndjson", body, primaryKey).error();
  }

  private static DocumentError missing(String primaryKey, String shown) {
    return new DocumentError("missing_document_id", "Document doesn't have a `" + primaryKey + "` attribute: `" + shown
        + "`.");
  }

  private static DocumentError tooMany(String primaryKey, String shown) {
    return new DocumentError("invalid_document_id", "Document have too many matching `" + primaryKey + "` attribute: `"
        + shown + "`.");
  }

  private static DocumentError crash(String description, int line, int column) {
    return new DocumentError("internal", CRASH + "\"" + description + "\", line: " + line + ", column: " + column
        + ")");
  }

  @Test
  void validBatchGivesCanonicalIdsInPayloadOrder() {
    BatchValidator.BatchValidation v = validate("application/json", "[{\"id\":1},{\"id\":\"a\"},{\"id\":1}]", "id");
    assertTrue(v.isValid());
    assertNull(v.error());
    assertArrayEquals(new String[] {"1", "a", "1"}, v.ids());
  }

  @Test
  void theFirstBadDocumentIsReportedWhateverItsKind() {
    assertEquals(missing("id", "{\"x\":1}"), json("[{\"x\":1},{\"id\":\"a b\"}]", "id"));
    assertEquals(invalid("\"a b\""), json("[{\"id\":\"a b\"},{\"x\":1}]", "id"));
    assertEquals(missing("id", "{\"x\":1}"), json("[{\"id\":1},{\"id\":2},{\"x\":1}]", "id"));
    assertEquals(missing("id", "{\"uid\":2}"), json("[{\"id\":1},{\"uid\":2}]", "id"));
  }

  @Test
  void csvRowsWithAnEmptyIdCellHaveANullId() {
    ParsedPayload payload = DocumentPayload.parsePayload(bytes("id,x\n1,a\n,b\n"), "text/csv", null);
    assertEquals(invalid("null"), BatchValidator.validate(payload, "t", "id", Set.of()).error());
    ParsedPayload spaces = DocumentPayload.parsePayload(bytes("id\n1\n\n \n2\n"), "text/csv", null);
    assertEquals(invalid("\" \""), BatchValidator.validate(spaces, "t", "id", Set.of()).error());
    ParsedPayload typed = DocumentPayload.parsePayload(bytes("id:number\n1.5\n"), "text/csv", null);
    assertEquals(invalid("1.5"), BatchValidator.validate(typed, "t", "id", Set.of()).error());
  }

  @Test
  void ndjsonKeepsRepeatedKeysAndSeesEveryValue() {
    assertEquals(tooMany("id", "{\"id\":6,\"x\":1}"), ndjson("{\"id\":5,\"x\":1,\"id\":6}", "id"));
    assertEquals(tooMany("id", "{\"id\":2}"), ndjson("{\"id\":1,\"id\":2}\n{\"x\":1}", "id"));
    assertEquals(missing("id", "{\"x\":1}"), ndjson("{\"x\":1}\n{\"id\":1,\"id\":2}", "id"));
    assertEquals(tooMany("a.b", "{\"a\":{\"b\":2}}"), ndjson("{\"a\":{\"b\":1,\"b\":2}}", "a.b"));
    assertEquals(tooMany("a.b", "{\"a.b\":2}"), ndjson("{\"a.b\":1,\"a.b\":2}", "a.b"));
    assertTrue(validate("application/x-ndjson", "{\"a\":{\"b\":1},\"a\":{\"c\":2}}", "a.b").isValid());
    assertArrayEquals(new String[] {"7"}, validate("application/x-ndjson", "{\"id\":7,\"x\":1,\"x\":2}", "id").ids());
  }

  @Test
  void repeatedMatchesAreValidatedInOrderBeforeBeingCounted() {
    assertEquals(invalid("\"a b\""), ndjson("{\"id\":\"a b\",\"id\":1}", "id"));
    assertEquals(invalid("\"a b\""), ndjson("{\"id\":1,\"id\":\"a b\"}", "id"));
    assertEquals(new DocumentError("internal", "trailing comma at line 1 column 11"),
        ndjson("{\"a\":{\"b\":\"x y\",\"b\":2}}", "a.b"));
  }

  @Test
  void aJsonArrayMergesRepeatedTopLevelKeysButNotNestedOnes() {
    assertTrue(validate("application/json", "[{\"id\":1,\"id\":2}]", "id").isValid());
    assertEquals(tooMany("a.b", "{\"a\":{\"b\":2},\"id\":1}"), json("[{\"a\":{\"b\":1,\"b\":2},\"id\":1}]", "a.b"));
  }

  @Test
  void valuesMeilisearchCannotReReadCrashTheTaskWhenTheIdIsRead() {
    assertEquals(crash("number out of range", 1, 5), json("[{\"id\":1e400}]", "id"));
    assertEquals(crash("number out of range", 1, 12), json("[{\"id\":5e99999999999}]", "id"));
    assertEquals(crash("unexpected end of hex escape", 1, 8), json("[{\"id\":\"\\ud800\"}]", "id"));
  }

  @Test
  void orWhenTheDocumentIsPrintedIntoAnIdError() {
    // positions are those of the stored text: RawMap rewrote the top-level keys compactly
    assertEquals(crash("lone leading surrogate in hex escape", 1, 23), json("[{\"x\":1,\"y\":{\"a\":\"\\udc00\"}}]",
        "id"));
    assertEquals(crash("lone leading surrogate in hex escape", 1, 24),
        json("[{\"x\" : 1 ,\n \"y\" :\n {\"a\": \"\\udc00\"}}]", "id"));
    assertEquals(crash("lone leading surrogate in hex escape", 1, 17), json("[{\"y\":1,\"x\":2,\"y\":{\"a\":\"\\udc00\"}}]",
        "id"));
    assertEquals(crash("lone leading surrogate in hex escape", 1, 25),
        json("[{\"\\u0041\\n\":1,\"y\":{\"a\":\"\\udc00\"}}]", "id"));
    assertEquals(crash("lone leading surrogate in hex escape", 1, 30),
        json("[{\"ID\":{\"id\":[[42,\"\\u0000\\udc00\"]]},\"paid\":[],\"a.b\":null}]", "id"));
    assertEquals(crash("number out of range", 1, 16), json("[{\"x\":1,\"y\":1e400}]", "id"));
    assertEquals(crash("recursion limit exceeded", 1, 132),
        json("[{\"x\":" + "[".repeat(127) + "]".repeat(127) + "}]", "id"));
    assertEquals(crash("lone leading surrogate in hex escape", 1, 26), ndjson("{\"id\":1,\"id\":2,\"y\":\"\\udc00\"}",
        "id"));
    assertEquals(crash("lone leading surrogate in hex escape", 1, 23), ndjson("{\"x\":1,\"y\":{\"a\":\"\\udc00\"}}",
        "id"));
  }

  @Test
  void otherwiseIndexingFailsOnTheFirstUnreadableFieldAfterAllIdsPassed() {
    assertEquals(missing("id", "{\"x\":1}"), json("[{\"id\":2,\"y\":1e400},{\"x\":1}]", "id"));
    assertEquals(new DocumentError("internal", "Index `pk5`: internal: number out of range at line 1 column 11."),
        json("[{\"id\":2,\"y\":{\"a\":[1e400]}}]", "id"));
    assertEquals(new DocumentError("internal", "Index `pk5`: internal: unexpected end of hex escape at line 1 column 10."),
        json("[{\"id\":2,\"y\":\"ab\\ud800\"}]", "id"));
    assertEquals(new DocumentError("internal", "Index `pk5`: internal: recursion limit exceeded at line 1 column 128."),
        json("[{\"id\":1,\"x\":" + "[".repeat(130) + "]".repeat(130) + "}]", "id"));
    assertEquals(new DocumentError("internal", "Index `pk5`: internal: number out of range at line 3 column 5."),
        ndjson("{\"id\":1}\n{\"id\":2, \"y\": [1,\n2,\n1e999]}", "id"));
    assertEquals(new DocumentError("internal", "Index `pk5`: internal: lone leading surrogate in hex escape at line 1 "
        + "column 13."), json("[{\"id\":1,\"y\":{\"id\":\"\\udc00\"}}]", "id"));
    // nesting of 127 inside a field is still readable on its own
    assertTrue(validate("application/json", "[{\"id\":1,\"x\":" + "[".repeat(127) + "]".repeat(127) + "}]", "id")
        .isValid());
  }

  @Test
  void reservedFieldsAreRejectedSynchronouslyBeforeAnyIdCheck() {
    List<JsonObject> docs = List.of(new JsonObject().put("x", 1), new JsonObject().put("id", 2).put("_miroir_shard", 3));
    assertMeili(400, "miroir_reserved_field", "The document at position 1 (0-based) contains the reserved field "
        + "`_miroir_shard`. Fields named `_miroir_*` are written by Miroir; remove `_miroir_shard` from the document.",
        () -> BatchValidator.validate(docs, "id", Set.of()));
  }

  @Test
  void reservedFieldsFollowTheConfiguredSet() {
    List<JsonObject> docs = List.of(new JsonObject().put("id", 1).put("_miroir_updated_at", 5)
        .put("_miroir_expires_at", 9));
    assertTrue(BatchValidator.validate(docs, "id", Set.of()).isValid());
    MeiliException e = assertThrows(MeiliException.class,
        () -> BatchValidator.validate(docs, "id", Set.of("_miroir_updated_at")));
    assertEquals(400, e.httpStatus());
    assertEquals("invalid_request", e.body().getString("type"));
    assertEquals("https://docs.meilisearch.com/errors#miroir_reserved_field", e.body().getString("link"));
    assertTrue(e.getMessage().contains("`_miroir_updated_at`"), e.getMessage());
  }

  @Test
  void plainListsOfObjectsAreValidatedLikeSingleObjectPayloads() {
    List<JsonObject> docs = List.of(new JsonObject("{\"id\":1}"), new JsonObject("{\"a\":2}"));
    assertEquals(missing("id", "{\"a\":2}"), BatchValidator.validate(docs, "id", null).error());
    assertThrows(IllegalStateException.class, () -> BatchValidator.validate(docs, "id", null).ids());
  }
}
