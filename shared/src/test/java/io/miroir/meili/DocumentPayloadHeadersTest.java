package io.miroir.meili;

import static io.miroir.meili.MeiliAssertions.assertMeili;
import static io.miroir.meili.MeiliAssertions.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Content-Type and csvDelimiter verdicts, and their order (observed on Meilisearch 1.21.0). */
class DocumentPayloadHeadersTest {
  private static final String ACCEPTED = "Accepted values for the Content-Type header are: `application/json`, "
      + "`application/x-ndjson`, `text/csv`";

  @Test
  void missingContentTypeIs415() {
    assertMeili(415, "missing_content_type", "A Content-Type header is missing. " + ACCEPTED,
        () -> DocumentPayload.parse(bytes("[{\"id\":1}]"), null, null));
  }

  static Stream<Arguments> invalidTypes() {
    return Stream.of(
        Arguments.of("text/plain", "text/plain"),
        Arguments.of("Text/Plain; Charset=UTF-8", "text/plain"), // parsed: shown as lower-case essence
        Arguments.of("application/vnd.api+json", "application/vnd.api"), // the +suffix is not shown
        Arguments.of("application/*", "application/*"),
        Arguments.of("*/*", "*/*"),
        Arguments.of("application/json ; charset=x", "application/json ; charset=x"), // unparsable: shown verbatim
        Arguments.of("json", "json"),
        Arguments.of("", ""),
        Arguments.of("application/json, text/csv", "application/json, text/csv"),
        Arguments.of("application/json;;", "application/json;;"),
        Arguments.of("application/json;charset", "application/json;charset"),
        Arguments.of("application/json;\ta=b", "application/json;\ta=b"),
        Arguments.of("application/json;a=\"b", "application/json;a=\"b"),
        Arguments.of("application/;charset=x", "application/;charset=x"),
        Arguments.of("application/+json", "application/+json"));
  }

  @ParameterizedTest
  @MethodSource("invalidTypes")
  void invalidContentTypeIs415(String header, String shown) {
    assertMeili(415, "invalid_content_type", "The Content-Type `" + shown + "` is invalid. " + ACCEPTED,
        () -> DocumentPayload.parse(bytes("[{\"id\":1}]"), header, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8",
      "application/json;", "application/json; ", "application/json;  a=b", "application/json;charset=",
      "application/json; charset=\"utf-8\"", "application/json;a=b;c=d", "application/json+foo", "application/json+",
      "  application/json\t"})
  void acceptedJsonTypes(String header) {
    assertEquals(PayloadFormat.JSON, DocumentPayload.format(header, false));
  }

  @Test
  void csvAndNdjsonTypes() {
    assertEquals(PayloadFormat.CSV, DocumentPayload.format("TEXT/CSV", false));
    assertEquals(PayloadFormat.CSV, DocumentPayload.format("text/csv; header=present", true));
    assertEquals(PayloadFormat.NDJSON, DocumentPayload.format("application/x-ndjson", false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/x-ndjson"})
  void csvDelimiterWithAnotherTypeIs415(String header) {
    assertMeili(415, "invalid_content_type", "The Content-Type `" + header + "` does not support the use of a csv "
        + "delimiter. The csv delimiter can only be used with the Content-Type `text/csv`.",
        () -> DocumentPayload.parse(bytes("[{\"id\":1}]"), header, ";"));
  }

  @Test
  void csvDelimiterWithoutContentTypeIsMissingContentType() {
    assertMeili(415, "missing_content_type", "A Content-Type header is missing. " + ACCEPTED,
        () -> DocumentPayload.parse(bytes("[{\"id\":1}]"), null, ";"));
  }

  @Test
  void csvDelimiterWithUnknownTypeIsInvalidContentType() {
    assertMeili(415, "invalid_content_type", "The Content-Type `text/plain` is invalid. " + ACCEPTED,
        () -> DocumentPayload.parse(bytes("{\"id\":1}"), "text/plain", ";"));
  }

  @Test
  void badCsvDelimiterIsCheckedBeforeTheContentType() {
    String message = "Invalid value in parameter `csvDelimiter`: expected a string of one character, but found the "
        + "following string of 2 characters: `ab`";
    assertMeili(400, "invalid_document_csv_delimiter", message,
        () -> DocumentPayload.parse(bytes("[{\"id\":1}]"), "application/json", "ab"));
    assertMeili(400, "invalid_document_csv_delimiter", message,
        () -> DocumentPayload.parse(bytes("[{\"id\":1}]"), null, "ab"));
  }

  @Test
  void emptyCsvDelimiter() {
    assertMeili(400, "invalid_document_csv_delimiter", "Invalid value in parameter `csvDelimiter`: expected a string "
        + "of one character, but found an empty string",
        () -> DocumentPayload.parse(bytes("id\n1"), "text/csv", ""));
  }

  @Test
  void nonAsciiCsvDelimiter() {
    assertMeili(400, "invalid_document_csv_delimiter", "csv delimiter must be an ascii character. Found: `é`",
        () -> DocumentPayload.parse(bytes("id\n1"), "text/csv", "é"));
    // two characters are counted as characters, not bytes
    assertMeili(400, "invalid_document_csv_delimiter", "Invalid value in parameter `csvDelimiter`: expected a string "
        + "of one character, but found the following string of 2 characters: `éa`",
        () -> DocumentPayload.parse(bytes("id\n1"), "text/csv", "éa"));
  }

  @Test
  void emptyBodies() {
    assertMeili(400, "missing_payload", "A json payload is missing.",
        () -> DocumentPayload.parse(bytes(""), "application/json", null));
    assertMeili(400, "missing_payload", "A ndjson payload is missing.",
        () -> DocumentPayload.parse(bytes(""), "application/x-ndjson", null));
    assertMeili(400, "missing_payload", "A csv payload is missing.",
        () -> DocumentPayload.parse(bytes(""), "text/csv", ";"));
  }

  @Test
  void contentTypeIsCheckedBeforeTheEmptyBody() {
    assertMeili(415, "invalid_content_type", "The Content-Type `text/plain` is invalid. " + ACCEPTED,
        () -> DocumentPayload.parse(bytes(""), "text/plain", null));
    assertMeili(415, "invalid_content_type", "The Content-Type `application/json` does not support the use of a csv "
        + "delimiter. The csv delimiter can only be used with the Content-Type `text/csv`.",
        () -> DocumentPayload.parse(bytes(""), "application/json", ";"));
  }

  @Test
  void payloadTooLargeNamesTheLimitAsMeilisearchPrintsIt() {
    assertMeili(413, "payload_too_large", "The provided payload reached the size limit. The maximum accepted "
        + "payload size is 100 MB.", () -> {
          throw DocumentPayload.payloadTooLarge(100_000_000L);
        });
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "1, 1 B", "999, 999 B", "1000, 1 KB", "1024, 1 KiB", "1126, 1.126 KB", "1152, 1.152 KB", "1280, 1.28 KB",
      "1500, 1.5 KB", "1536, 1.536 KB", "2047, 2.047 KB", "2048, 2 KiB", "2560, 2.56 KB", "3072, 3 KiB",
      "10000, 10 KB", "10240, 10 KiB", "999999, 999.999 KB", "1024000, 1000 KiB", "1048576, 1 MiB",
      "1536000, 1.46484375 MiB", "1572864, 1.5 MiB", "2621440, 2.5 MiB", "12345678, 12.345678 MB",
      "100000000, 100 MB"})
  void byteSizesAsObserved(long bytes, String shown) {
    assertEquals(shown, DocumentPayload.formatByteSize(bytes));
  }
}
