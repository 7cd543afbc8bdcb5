package io.miroir.meili;

import static io.miroir.meili.MeiliAssertions.assertMeili;
import static io.miroir.meili.MeiliAssertions.bytes;
import static io.miroir.meili.MeiliAssertions.withByte;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /indexes/{uid}/documents/delete-batch} bodies (answers observed on Meilisearch 1.21.0). */
class DocumentPayloadIdListTest {

  @Test
  void stringsAreKeptOtherValuesStringified() {
    assertEquals(List.of("1", "a", "2.5", "true", "null", "{\"x\":1}", "[1]", "a b", "-0.0", "100.0",
        "1.8446744073709552e19"), DocumentPayload.parseIdList(bytes(
            "[1, \"a\", 2.5, true, null, {\"x\":1}, [1], \"a b\", -0, 1e2, 18446744073709551616]")));
    assertEquals(List.of("aé\n", "😀"), DocumentPayload.parseIdList(bytes("[\"a\\u00e9\\n\", \"\\ud83d\\ude00\"]")));
    assertEquals(List.of(), DocumentPayload.parseIdList(bytes("[]")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"ids\":[1]}|invalid type: map, expected a sequence at line 1 column 0",
      "1|invalid type: integer `1`, expected a sequence at line 1 column 1",
      "\"a\"|invalid type: string \"a\", expected a sequence at line 1 column 3"})
  void nonArrayIsBadRequest(String body, String serde) {
    assertMeili(400, "bad_request", "Json deserialize error: " + serde, () -> DocumentPayload.parseIdList(bytes(body)));
  }

  @Test
  void emptyBodyIsMissingPayload() {
    assertMeili(400, "missing_payload", "A json payload is missing.", () -> DocumentPayload.parseIdList(bytes("")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'  '|EOF while parsing a value at line 1 column 2",
      "[1,|EOF while parsing a value at line 1 column 3",
      "[1 2]|expected `,` or `]` at line 1 column 4",
      "[1] x|trailing characters at line 1 column 5",
      "[\"\\ud800\"]|unexpected end of hex escape at line 1 column 9"})
  void malformedIsMalformedPayload(String body, String serde) {
    assertMeili(400, "malformed_payload", "The json payload provided is malformed. `" + serde + "`.",
        () -> DocumentPayload.parseIdList(bytes(body)));
  }

  @Test
  void deepNestingAndBadUtf8() {
    assertMeili(400, "malformed_payload", "The json payload provided is malformed. `recursion limit exceeded at line 1 "
        + "column 128`.", () -> DocumentPayload.parseIdList(bytes("[" + "[".repeat(200) + "]".repeat(200) + "]")));
    assertMeili(400, "malformed_payload", "The json payload provided is malformed. `invalid unicode code point at "
        + "line 1 column 4`.", () -> DocumentPayload.parseIdList(withByte("[\"", 0xFF, "\"]")));
  }
}
