package io.miroir.meili;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Document ids of single documents (task failures observed on Meilisearch 1.21.0). */
class DocumentIdsTest {
  static final String RULES = " is invalid. A document identifier can be of type integer or string, only composed "
      + "of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 "
      + "bytes.";

  /** The id of the one document of a JSON array payload, read as the real node reads it. */
  static DocumentIds.IdResult idOf(String primaryKey, String jsonArray) {
    ParsedPayload p = DocumentPayload.parsePayload(MeiliAssertions.bytes(jsonArray), "application/json", null);
    BatchValidator.BatchValidation v = BatchValidator.validate(p, "t", primaryKey, null);
    return v.isValid() ? new DocumentIds.IdResult(v.ids()[0], null) : new DocumentIds.IdResult(null, v.error());
  }

  static DocumentError invalid(String shown) {
    return new DocumentError("invalid_document_id", "Document identifier `" + shown + "`" + RULES);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1|1", "-5|-5", "18446744073709551615|18446744073709551615", "-9223372036854775808|-9223372036854775808",
      "\"abc\"|abc", "\"k-_9\"|k-_9", "\"A\\u0042\"|AB"})
  void validIdsAndTheirCanonicalText(String value, String canonical) {
    assertEquals(canonical, idOf("id", "[{\"id\":" + value + "}]").id());
  }

  @Test
  void longestValidStringIs511Bytes() {
    assertEquals("a".repeat(511), idOf("id", "[{\"id\":\"" + "a".repeat(511) + "\"}]").id());
    assertEquals(invalid("\"" + "a".repeat(512) + "\""), idOf("id", "[{\"id\":\"" + "a".repeat(512) + "\"}]").error());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"a b\"|\"a b\"", "1.5|1.5", "1.0|1.0", "1e2|100.0", "true|true", "null|null", "{\"a\":1}|{\"a\":1}",
      "[1]|[1]", "\"\"|\"\"", "\"é\"|\"é\"", "\"a\\\"b\"|\"a\\\"b\"", "18446744073709551616|1.8446744073709552e19",
      "-9223372036854775809|-9.223372036854776e18", "-0|-0.0"})
  void invalidIdsArePrintedAsSerdeJsonPrintsThem(String value, String shown) {
    assertEquals(invalid(shown), idOf("id", "[{\"id\":" + value + "}]").error());
  }

  @Test
  void missingIdPrintsTheDocument() {
    assertEquals(new DocumentError("missing_document_id", "Document doesn't have a `id` attribute: `{\"x\":1,\"b\":"
        + "\"s\\\"q\",\"n\":null,\"arr\":[1,2.5,{\"z\":true}],\"o\":{\"k\":\"v\"},\"u\":\"é\\u0001\\n/\"}`."),
        idOf("id", "[{\"x\":1,\"b\":\"s\\\"q\",\"n\":null,\"arr\":[1,2.5,{\"z\":true}],\"o\":{\"k\":\"v\"},"
            + "\"u\":\"\u00e9\\u0001\\n\\/\"}]").error());
    assertEquals(new DocumentError("missing_document_id", "Document doesn't have a `id` attribute: `{\"zz\":1,"
        + "\"aa\":2,\"mm\":3}`."), idOf("id", "[{\"zz\":1,\"aa\":2,\"mm\":3}]").error());
  }

  @Test
  void nestedPrimaryKeys() {
    assertEquals("x1", idOf("a.b", "[{\"a\":{\"b\":\"x1\"}}]").id());
    assertEquals("x2", idOf("a.b", "[{\"a.b\":\"x2\"}]").id());
    assertEquals("d1", idOf("a.b.c", "[{\"a\":{\"b.c\":\"d1\"}}]").id());
    assertEquals("d2", idOf("a.b.c", "[{\"a.b\":{\"c\":\"d2\"}}]").id());
    assertEquals("x1", idOf("a.b", "[{\"a\":{\"b\":\"x1\",\"c\":2}}]").id());
    assertEquals("x1", idOf("a.b", "[{\"a\":{\"c\":2,\"b\":\"x1\"}}]").id());
    assertEquals(new DocumentError("invalid_document_id", "Document have too many matching `a.b` attribute: "
        + "`{\"a\":{\"b\":\"x3\"},\"a.b\":\"x4\"}`."), idOf("a.b", "[{\"a\":{\"b\":\"x3\"},\"a.b\":\"x4\"}]").error());
    assertEquals(invalid("\"x y\""), idOf("a.b", "[{\"a\":{\"b\":\"x y\"}}]").error());
    assertEquals(invalid("null"), idOf("a.b", "[{\"a\":{\"b\":null}}]").error());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[{\"a\":{\"c\":1}}]|{\"a\":{\"c\":1}}", "[{\"a\":[{\"b\":1}]}]|{\"a\":[{\"b\":1}]}",
      "[{\"a\":null}]|{\"a\":null}", "[{\"a\":5}]|{\"a\":5}"})
  void nestedKeysAreNotSearchedThroughArraysOrScalars(String payload, String shown) {
    assertEquals(new DocumentError("missing_document_id", "Document doesn't have a `a.b` attribute: `" + shown + "`."),
        idOf("a.b", payload).error());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // an invalid or second nested match before the end of its object: serde_json's end_map sees the next comma
      "a.b|[{\"a\":{\"b\":\"x y\",\"c\":2}}]|trailing comma at line 1 column 11",
      "a.b|[{\"a\":{\"b\":{\"z\":1},\"c\":2}}]|trailing comma at line 1 column 13",
      "a.b|[{\"a\":{\"b\":\"x1\",\"b\":\"x y\",\"c\":1}}]|trailing comma at line 1 column 20",
      "a.b|[{\"a\":{\"b\":\"x y\",\"b\":\"x1\"}}]|trailing comma at line 1 column 11",
      "a.b|[{\"a\":{\"b.c\":1,\"b\":null,\"c\":2}}]|trailing comma at line 1 column 18",
      "a.b|[{\"a\":{\"b\":1.5,\"c\":2},\"a.b\":7}]|trailing comma at line 1 column 9",
      "a.b.c|[{\"a\":{\"b\":{\"c\":\"x y\"},\"e\":2}}]|trailing comma at line 1 column 17",
      "a.b|{\"a\":{\"b\":\"x y\" , \"c\":2}}|trailing comma at line 1 column 11"})
  void invalidNestedMatchesFollowedByMoreFieldsAreInternal(String primaryKey, String payload, String message) {
    assertEquals(new DocumentError("internal", message), idOf(primaryKey, payload).error());
  }

  @Test
  void trailingCommaPositionCountsTheRawWhitespace() {
    assertEquals(new DocumentError("internal", "trailing comma at line 1 column 12"),
        idOf("a.b", "[{\"a\":{\"b\":\"x y\" ,\n \"c\":2}}]").error());
  }

  @Test
  void aFailureTwoLevelsDownIsIgnoredAndTheDocumentIsMissingItsId() {
    assertEquals(new DocumentError("missing_document_id", "Document doesn't have a `a.b.c` attribute: "
        + "`{\"a\":{\"b\":{\"c\":\"x y\",\"d\":1},\"e\":2}}`."),
        idOf("a.b.c", "[{\"a\":{\"b\":{\"c\":\"x y\",\"d\":1},\"e\":2}}]").error());
  }

  @Test
  void anUnreadableMatchPanicsAtOnceWhateverItsDepth() {
    String crash = "An unexpected crash occurred when processing the task: called `Result::unwrap()` on an `Err` "
        + "value: Error(\"lone leading surrogate in hex escape\", line: ";
    assertEquals(new DocumentError("internal", crash + "1, column: 12)"),
        idOf("a.b", "[{\"a\":{\"b\":{\"z\":\"\\udc00\"},\"c\":1}}]").error());
    assertEquals(new DocumentError("internal", crash + "3, column: 15)"), idOf("a.b", "[{\"id\":-0,\"a\" :{\r\n\"b\"\t:\n"
        + "{\n\"b\":\n[\"b\\u00e9\\udc00-\",null,1.5],\r\n\"name\"  :true },\t\"x\"\t:\r\n[]}}]").error());
  }

  @Test
  void invalidNestedMatchAtTheEndOfItsObjectIsAnInvalidId() {
    assertEquals(invalid("\"x y\""), idOf("a.b", "[{\"a\":{\"b\":\"x y\"},\"z\":1}]").error());
    assertEquals(invalid("\"x y\""), idOf("a.b", "[{\"a.b\":\"x y\",\"a\":{\"b\":1,\"c\":2}}]").error());
    assertEquals(new DocumentError("invalid_document_id", "Document have too many matching `a.b` attribute: "
        + "`{\"a\":{\"b\":\"x2\"}}`."), idOf("a.b", "[{\"a\":{\"b\":\"x1\",\"b\":\"x2\"}}]").error());
  }

  @Test
  void canonicalValues() {
    assertEquals("7", DocumentIds.canonical(7));
    assertEquals("7", DocumentIds.canonical(7L));
    assertEquals("18446744073709551615", DocumentIds.canonical(new BigInteger("18446744073709551615")));
    assertNull(DocumentIds.canonical(new BigInteger("18446744073709551616")));
    assertNull(DocumentIds.canonical(1.0));
    assertNull(DocumentIds.canonical("a b"));
    assertTrue(DocumentIds.isValidStringId("A-z_0"));
    assertFalse(DocumentIds.isValidStringId(""));
  }

  @Test
  void resolveWorksOnObjectsDecodedByVertx() {
    assertEquals("1", DocumentIds.resolve(new JsonObject("{\"id\":1}"), "id").id());
    assertEquals("x", DocumentIds.resolve(new JsonObject("{\"a\":{\"b\":\"x\"}}"), "a.b").id());
    assertEquals(List.of("x"), DocumentIds.matchingValues(new JsonObject("{\"a\":{\"b\":\"x\"}}"), "a.b"));
    assertEquals(new DocumentError("internal", "trailing comma at line 1 column 11"),
        DocumentIds.resolve(new JsonObject("{\"a\":{\"b\":\"x y\",\"c\":2}}"), "a.b").error());
  }
}
