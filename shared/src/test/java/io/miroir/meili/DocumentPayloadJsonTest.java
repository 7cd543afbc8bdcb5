package io.miroir.meili;

import static io.miroir.meili.MeiliAssertions.assertMalformedJson;
import static io.miroir.meili.MeiliAssertions.assertMalformedNdjson;
import static io.miroir.meili.MeiliAssertions.assertMeili;
import static io.miroir.meili.MeiliAssertions.bytes;
import static io.miroir.meili.MeiliAssertions.printed;
import static io.miroir.meili.MeiliAssertions.withByte;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** application/json and application/x-ndjson payloads (answers observed on Meilisearch 1.21.0). */
class DocumentPayloadJsonTest {

  private static String json(String body) {
    return printed(DocumentPayload.parse(bytes(body), "application/json", null));
  }

  private static String ndjson(String body) {
    return printed(DocumentPayload.parse(bytes(body), "application/x-ndjson", null));
  }

  @Test
  void arrayAndSingleObject() {
    assertEquals("[{\"id\":1},{\"id\":\"a\"}]", json("  [ {\"id\" : 1 } , {\"id\":\"a\"} ]  "));
    assertEquals("[{\"id\":1,\"x\":[1,2.5]}]", json("{\"id\":1,\"x\":[1,2.5]}"));
    assertEquals("[]", json("[]"));
  }

  @Test
  void bytesAfterTheClosingBracketAreNeverRead() {
    assertEquals("[{\"id\":1}]", json("[{\"id\":1}] x"));
    assertEquals("[{\"id\":1}]", json("[{\"id\":1}]]"));
  }

  @Test
  void repeatedKeysKeepTheirFirstPlaceAndLastValue() {
    assertEquals("[{\"x\":3,\"y\":2}]", json("[{\"x\":1,\"y\":2,\"x\":3}]"));
    assertEquals("[{\"x\":3,\"y\":2}]", json("{\"x\":1,\"y\":2,\"x\":3}"));
    assertEquals("[{\"id\":7,\"x\":2}]", ndjson("{\"id\":7,\"x\":1,\"x\":2}"));
  }

  @Test
  void numbersAreWhatSerdeJsonMakesOfThem() {
    assertEquals("[{\"a\":1.5,\"b\":100.0,\"c\":{\"k\":[1,2.0]},\"d\":-0.0,\"e\":1.8446744073709552e19,"
        + "\"f\":18446744073709551615,\"g\":-9223372036854775808,\"h\":-9.223372036854776e18,\"i\":1e-7}]",
        json("[{\"a\":1.50,\"b\":1E2,\"c\":{ \"k\" : [ 1 , 2.0e0 ] },\"d\":-0,\"e\":18446744073709551616,"
            + "\"f\":18446744073709551615,\"g\":-9223372036854775808,\"h\":-9223372036854775809,\"i\":1e-7}]"));
  }

  @Test
  void floatsAreReadWithoutFloatRoundtrip() {
    // Meilisearch's serde_json scales an integer significand by a power of ten: not always the nearest double
    assertEquals("[{\"x\":9007199254740994.0}]", json("[{\"x\":9007199254740993.0}]"));
    assertEquals("[{\"x\":1.0000000000000002}]",
        json("[{\"x\":1.00000000000000011102230246251565404236316680908203125}]"));
    assertEquals("[{\"x\":0.1}]", json("[{\"x\":0.1000000000000000055511151231257827}]"));
    assertEquals("[{\"x\":1.2345678901234568e29}]", json("[{\"x\":123456789012345678901234567890}]"));
    assertEquals("[{\"x\":5e-324}]", json("[{\"x\":4.9e-324}]"));
    assertEquals("[{\"x\":0.0}]", json("[{\"x\":1e-400}]"));
    assertEquals("[{\"x\":1e23}]", json("[{\"x\":1e23}]"));
    assertEquals("[{\"x\":7317770170789331.0}]", json("[{\"x\":7.3177701707893310e15}]"));
  }

  @Test
  void stringsAreDecoded() {
    assertEquals("[{\"s\":\"é\\t\\b\\f\\r\u007f\u2028\",\"e\":\"😀\",\"u\":\"é\\u0001\\n/\"}]",
        json("[{\"s\":\"\\u00e9\\t\\b\\f\\r\\u007f\\u2028\",\"e\":\"\\ud83d\\ude00\","
            + "\"u\":\"é\\u0001\\n\\/\"}]"));
  }

  static Stream<Arguments> malformedJson() {
    return Stream.of(
        Arguments.of("x", "expected value at line 1 column 1"),
        Arguments.of(" ", "EOF while parsing a value at line 1 column 1"),
        Arguments.of("  \n", "EOF while parsing a value at line 2 column 0"),
        Arguments.of("{\"id\":1} x", "trailing characters at line 1 column 10"),
        Arguments.of("{\"id\":1}{\"id\":2}", "trailing characters at line 1 column 9"),
        Arguments.of("[{\"id\":1},]", "trailing comma at line 1 column 11"),
        Arguments.of("[{\"id\":1,}]", "key must be a string at line 1 column 10"),
        Arguments.of("{\"id\":1,}", "trailing comma at line 1 column 9"),
        Arguments.of("[{\"id\":1}", "EOF while parsing a list at line 1 column 9"),
        Arguments.of("[{\"id\":1", "EOF while parsing an object at line 1 column 8"),
        Arguments.of("[{\"id\":\"abc", "EOF while parsing a string at line 1 column 11"),
        Arguments.of("[{\"id\" 1}]", "expected `:` at line 1 column 8"),
        Arguments.of("[{id:1}]", "key must be a string at line 1 column 3"),
        Arguments.of("[{\"id\":tru}]", "expected ident at line 1 column 11"),
        Arguments.of("[{\"id\":-}]", "invalid number at line 1 column 9"),
        Arguments.of("[{\"id\":01}]", "invalid number at line 1 column 9"),
        Arguments.of("[{\"id\":\"a\\x\"}]", "invalid escape at line 1 column 11"),
        Arguments.of("[{\"id\":\"a\u0001\"}]",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 9"),
        Arguments.of("[{\"id\":\"a\nb\"}]",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 9"),
        Arguments.of("[{\"id\":\"\\uZZZZ\"}]", "invalid escape at line 1 column 14"),
        Arguments.of("[{\"id\":1} {\"id\":2}]", "expected `,` or `]` at line 1 column 11"),
        Arguments.of("[{\"id\":1 \"a\":2}]", "expected `,` or `}` at line 1 column 10"),
        Arguments.of("[\n  {\"id\":1},\n  {\"id\": }\n]", "expected value at line 3 column 10"),
        Arguments.of("[1, {\"id\":1}]", "trailing characters at line 1 column 5"),
        Arguments.of("[{\"a\":[1,]}]", "expected value at line 1 column 10"),
        Arguments.of("[{\"id\":1},", "EOF while parsing a value at line 1 column 10"),
        Arguments.of("[,{\"id\":1}]", "expected value at line 1 column 2"),
        Arguments.of("[ ", "EOF while parsing a list at line 1 column 2"),
        Arguments.of("{\"id\":1,\"x\":1e400}", "number out of range at line 1 column 17"),
        Arguments.of("{\"id\":1,\"x\":\"\\ud800\"}", "unexpected end of hex escape at line 1 column 20"),
        Arguments.of("{\"id\":1,\"x\":\"\\udc00\"}", "lone leading surrogate in hex escape at line 1 column 19"),
        Arguments.of("{\"id\":1,\"x\":\"\\ud800\\u0041\"}", "lone leading surrogate in hex escape at line 1 column 25"),
        Arguments.of("{\"id\":1,\"x\":\"\\ud800a\"}", "unexpected end of hex escape at line 1 column 20"),
        Arguments.of("{\"id\":1 ", "EOF while parsing an object at line 1 column 8"),
        Arguments.of("{1:2}", "key must be a string at line 1 column 2"),
        Arguments.of("{\"id\":-", "EOF while parsing a value at line 1 column 7"),
        Arguments.of("[{\"id\":-", "invalid number at line 1 column 8"),
        Arguments.of("{\"id\":1.}", "invalid number at line 1 column 9"),
        Arguments.of("[{\"id\":1.}]", "invalid number at line 1 column 10"),
        Arguments.of("{\"a\":1.", "EOF while parsing a value at line 1 column 7"),
        Arguments.of("{\"a\":1e", "EOF while parsing a value at line 1 column 7"),
        Arguments.of("{\"a\":1e+x}", "invalid number at line 1 column 9"),
        Arguments.of("[1.", "invalid number at line 1 column 3"),
        Arguments.of("[1e", "invalid number at line 1 column 3"),
        Arguments.of("[1e+", "invalid number at line 1 column 4"),
        Arguments.of("\"abc", "EOF while parsing a string at line 1 column 4"),
        Arguments.of("nul", "EOF while parsing a value at line 1 column 3"),
        Arguments.of("nulx", "expected ident at line 1 column 4"),
        Arguments.of("-", "EOF while parsing a value at line 1 column 1"),
        Arguments.of("-x", "invalid number at line 1 column 2"),
        Arguments.of("1e400", "number out of range at line 1 column 5"),
        Arguments.of("\"\\ud800\"", "unexpected end of hex escape at line 1 column 8"),
        Arguments.of("{\"id\":\"a\u0001\"}",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 9"),
        Arguments.of("{\"id\":\"ab\\", "EOF while parsing a string at line 1 column 10"),
        Arguments.of("{\"id\":\"ab\\u12", "EOF while parsing a string at line 1 column 13"),
        Arguments.of("{\"id\":\"ab\\ud800", "EOF while parsing a string at line 1 column 15"),
        Arguments.of("  {\"x\":1} x", "trailing characters at line 1 column 11"),
        Arguments.of("[\"\\ud800\"]", "unexpected end of hex escape at line 1 column 8"),
        Arguments.of("[1e400]", "number out of range at line 1 column 5"),
        Arguments.of("[{\"id\":2,\"\\ud800\":1}]", "unexpected end of hex escape at line 1 column 16"),
        Arguments.of("{\"id\":1,\"x\":" + "[".repeat(130) + "]".repeat(130) + "}",
            "recursion limit exceeded at line 1 column 139"),
        Arguments.of("1", "data are neither an object nor a list of objects"),
        Arguments.of("\"a\"", "data are neither an object nor a list of objects"),
        Arguments.of("null", "data are neither an object nor a list of objects"),
        Arguments.of("1 x", "data are neither an object nor a list of objects"));
  }

  @ParameterizedTest
  @MethodSource("malformedJson")
  void malformedJson(String body, String serdeMessage) {
    assertMalformedJson(serdeMessage, body);
  }

  @Test
  void invalidUtf8IsReportedAtTheEndOfTheRawElementOrAfterTheString() {
    String message = "The `json` payload provided is malformed. `Couldn't serialize document value: invalid unicode "
        + "code point at line 1 column ";
    assertMeili(400, "malformed_payload", message + "11`.",
        () -> DocumentPayload.parse(withByte("[{\"id\":\"", 0xFF, "\"}]"), "application/json", null));
    assertMeili(400, "malformed_payload", message + "8`.",
        () -> DocumentPayload.parse(withByte("[{\"", 0xFF, "\":1}]"), "application/json", null));
    assertMeili(400, "malformed_payload", message + "15`.", () -> DocumentPayload.parse(
        withByte("{\"id\":1,\"x\":\"", 0xFF, "\"}"), "application/json", null));
  }

  @Test
  void aByteOrderMarkIsNotSkipped() {
    assertMalformedJson("expected value at line 1 column 1", "\ufeff[{\"id\":1}]");
    assertMalformedNdjson("expected value at line 1 column 1", "\ufeff{\"id\":1}");
  }

  static Stream<Arguments> notObjects() {
    return Stream.of(
        Arguments.of("[1]", "invalid type: integer `1`, expected a map at line 1 column 1"),
        Arguments.of("[{\"id\":1}, 2]", "invalid type: integer `2`, expected a map at line 1 column 1"),
        Arguments.of("[[{\"id\":1}]]", "invalid type: sequence, expected a map at line 1 column 0"),
        Arguments.of("[ \"a\\\"b\" ]", "invalid type: string \"a\\\"b\", expected a map at line 1 column 6"),
        Arguments.of("[false]", "invalid type: boolean `false`, expected a map at line 1 column 5"),
        Arguments.of("[null]", "invalid type: null, expected a map at line 1 column 4"),
        Arguments.of("[-1.5e3]", "invalid type: floating point `-1500.0`, expected a map at line 1 column 6"));
  }

  @ParameterizedTest
  @MethodSource("notObjects")
  void nonObjectElementsAreAnInternalError(String body, String message) {
    assertMeili(500, "internal", message, () -> DocumentPayload.parse(bytes(body), "application/json", null));
  }

  @Test
  void ndjsonDocuments() {
    assertEquals("[{\"id\":1},{\"id\":2}]", ndjson("\n\n{\"id\":1}\n\n\n{\"id\":2}\n\n"));
    assertEquals("[{\"id\":1},{\"id\":2}]", ndjson("{\"id\":1}\r\n{\"id\":2}\r\n"));
    assertEquals("[{\"id\":1},{\"id\":2}]", ndjson("{\"id\":1}{\"id\":2}"));
    assertEquals("[]", ndjson(" "));
  }

  static Stream<Arguments> malformedNdjson() {
    return Stream.of(
        Arguments.of("x", "expected value at line 1 column 1"),
        Arguments.of("{\"id\":1} x", "expected value at line 1 column 10"),
        Arguments.of("{\"id\":1,}", "key must be a string at line 1 column 9"),
        Arguments.of("{\"id\":1}\n{\"id\":2,}\n", "key must be a string at line 2 column 9"),
        Arguments.of("1x", "trailing characters at line 1 column 2"),
        Arguments.of("{\"id\":1}x", "expected value at line 1 column 9"),
        Arguments.of("[{\"id\":1},]", "expected value at line 1 column 11"),
        Arguments.of("{\"id\":2,\"\\ud800\":1}", "unexpected end of hex escape at line 1 column 16"));
  }

  @ParameterizedTest
  @MethodSource("malformedNdjson")
  void malformedNdjson(String body, String serdeMessage) {
    assertMalformedNdjson(serdeMessage, body);
  }

  static Stream<Arguments> ndjsonNotObjects() {
    return Stream.of(
        Arguments.of("1", "invalid type: integer `1`, expected a map at line 1 column 1"),
        Arguments.of("\"a\"", "invalid type: string \"a\", expected a map at line 1 column 3"),
        Arguments.of("null", "invalid type: null, expected a map at line 1 column 4"),
        Arguments.of("true", "invalid type: boolean `true`, expected a map at line 1 column 4"),
        Arguments.of("[1]", "invalid type: sequence, expected a map at line 1 column 0"),
        Arguments.of("1.5", "invalid type: floating point `1.5`, expected a map at line 1 column 3"),
        Arguments.of("1e20", "invalid type: floating point `1e20`, expected a map at line 1 column 4"),
        Arguments.of("18446744073709551616",
            "invalid type: floating point `1.8446744073709552e19`, expected a map at line 1 column 20"),
        Arguments.of("18446744073709551615",
            "invalid type: integer `18446744073709551615`, expected a map at line 1 column 20"),
        Arguments.of("-3", "invalid type: integer `-3`, expected a map at line 1 column 2"),
        Arguments.of("\"a\\\"b\\n\\u00e9\\u0001\"",
            "invalid type: string \"a\\\"b\\né\\u{1}\", expected a map at line 1 column 20"),
        Arguments.of("1e-7", "invalid type: floating point `1e-7`, expected a map at line 1 column 4"),
        Arguments.of("100.0", "invalid type: floating point `100.0`, expected a map at line 1 column 5"),
        Arguments.of("{\"id\":1}\n  5\n", "invalid type: integer `5`, expected a map at line 1 column 1"),
        Arguments.of("1{\"id\":1}", "invalid type: integer `1`, expected a map at line 1 column 1"),
        Arguments.of("1 x", "invalid type: integer `1`, expected a map at line 1 column 1"));
  }

  @ParameterizedTest
  @MethodSource("ndjsonNotObjects")
  void ndjsonNonObjectsAreAnInternalError(String body, String message) {
    assertMeili(500, "internal", message, () -> DocumentPayload.parse(bytes(body), "application/x-ndjson", null));
  }

  @Test
  void ndjsonInvalidUtf8IsReportedAtTheEndOfTheValue() {
    assertMeili(400, "malformed_payload", "The `ndjson` payload provided is malformed. `Couldn't serialize document "
        + "value: invalid unicode code point at line 1 column 12`.", () -> DocumentPayload.parse(
            withByte("[{\"id\":\"", 0xFF, "\"}]"), "application/x-ndjson", null));
  }
}
