package io.miroir.meili;

import static io.miroir.meili.MeiliAssertions.assertMeili;
import static io.miroir.meili.MeiliAssertions.bytes;
import static io.miroir.meili.MeiliAssertions.printed;
import static io.miroir.meili.MeiliAssertions.withByte;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * text/csv payloads. Each expected document list is what a Meilisearch 1.21.0 node stored for the same CSV (read back
 * with {@code GET /documents}); each error is what it answered.
 */
class DocumentPayloadCsvTest {

  private static String csv(String body) {
    return csv(bytes(body), null);
  }

  private static String csv(Buffer body, String delimiter) {
    return printed(DocumentPayload.parse(body, "text/csv", delimiter));
  }

  private static void assertMalformedCsv(String detail, Buffer body) {
    assertMeili(400, "malformed_payload", "The `csv` payload provided is malformed: `" + detail + "`.",
        () -> DocumentPayload.parse(body, "text/csv", null));
  }

  @Test
  void typedHeaders() {
    assertEquals("[{\"id\":\"1\",\"name\":\"foo\",\"price\":1.5,\"ok\":true,\"plain\":\"bar\"}]",
        csv("id,name:string,price:number,ok:boolean,plain\n1,foo,1.5,true,bar\n"));
  }

  @Test
  void numbersAreI64FirstThenF64AndNonFiniteIsNull() {
    assertEquals("[{\"id\":\"1\",\"n\":42},{\"id\":\"2\",\"n\":-7},{\"id\":\"3\",\"n\":5},{\"id\":\"4\",\"n\":12},"
        + "{\"id\":\"5\",\"n\":1000.0},{\"id\":\"6\",\"n\":1.0},{\"id\":\"7\",\"n\":null},{\"id\":\"8\",\"n\":null},"
        + "{\"id\":\"9\",\"n\":9.223372036854776e18},{\"id\":\"10\",\"n\":0.5},{\"id\":\"11\",\"n\":5.0},"
        + "{\"id\":\"12\",\"n\":0},{\"id\":\"13\",\"n\":null},{\"id\":\"14\",\"n\":null},{\"id\":\"15\",\"n\":null},"
        + "{\"id\":\"16\",\"n\":null},{\"id\":\"17\",\"n\":null},{\"id\":\"18\",\"n\":0.1},{\"id\":\"19\",\"n\":12},"
        + "{\"id\":\"20\",\"n\":1e-7},{\"id\":\"21\",\"n\":1.2345678901234568e29}]",
        csv("id,n:number\n1,42\n2,-7\n3,+5\n4, 12 \n5,1e3\n6,1.0\n7,inf\n8,NaN\n9,9223372036854775808\n10,.5\n11,5.\n"
            + "12,-0\n13,\n14,  \n15,1E400\n16,-inf\n17,infinity\n18,0.1\n19,00012\n20,1e-7\n"
            + "21,123456789012345678901234567890\n"));
    assertEquals("[{\"id\":\"1\",\"n\":100000.0},{\"id\":\"2\",\"n\":0.5},{\"id\":\"3\",\"n\":-5.0},"
        + "{\"id\":\"4\",\"n\":100.0},{\"id\":\"5\",\"n\":0.01},{\"id\":\"6\",\"n\":null},{\"id\":\"7\",\"n\":null},"
        + "{\"id\":\"8\",\"n\":null},{\"id\":\"9\",\"n\":0.0}]",
        csv("id,n:number\n1,1e5\n2,+.5\n3,-5.\n4,1E+2\n5,1e-2\n6,Infinity\n7,+nan\n8,1.7976931348623157e309\n"
            + "9,4.9e-325\n"));
    assertEquals("[{\"id\":\"1\",\"n\":9223372036854775807},{\"id\":\"2\",\"n\":-9223372036854775808},"
        + "{\"id\":\"3\",\"n\":1.8446744073709552e19}]",
        csv("id,n:number\n1,9223372036854775807\n2,-9223372036854775808\n3,18446744073709551615\n"));
  }

  @Test
  void numberCellsAreTrimmedOfUnicodeWhitespace() {
    assertEquals("[{\"id\":\"1\",\"n\":12}]", csv("id,n:number\n1,\u00a012\u00a0\n"));
  }

  @Test
  void booleans() {
    assertEquals("[{\"id\":\"1\",\"b\":true},{\"id\":\"2\",\"b\":false},{\"id\":\"3\",\"b\":true},"
        + "{\"id\":\"4\",\"b\":null},{\"id\":\"5\",\"b\":null}]",
        csv("id,b:boolean\n1,true\n2,false\n3, true \n4,\n5,  \n"));
  }

  @Test
  void stringsKeepTheirSpacesAndEmptyIsNull() {
    assertEquals("[{\"id\":\"1\",\"s\":\" \"},{\"id\":\"2\",\"s\":\"  a  \"},{\"id\":\"3\",\"s\":null},"
        + "{\"id\":\"4\",\"s\":\" x \"},{\"id\":\"5\",\"s\":null}]",
        csv("id,s\n1, \n2,  a  \n3,\"\"\n4,\" x \"\n5,\n"));
  }

  @Test
  void quotingFollowsTheRustCsvReader() {
    assertEquals("[{\"id\":\"1\",\"s\":\"a,b\"},{\"id\":\"2\",\"s\":\"line1\\nline2\"},{\"id\":\"3\",\"s\":"
        + "\"say \\\"hi\\\"\"},{\"id\":\"4\",\"s\":\"ab\\\"cd\"},{\"id\":\"5\",\"s\":\"abcd\"}]",
        csv("id,s\n1,\"a,b\"\n2,\"line1\nline2\"\n3,\"say \"\"hi\"\"\"\n4,ab\"cd\n5,\"ab\"cd\n"));
    assertEquals("[{\"id\":\"1\",\"s\":\"abc\\n\"}]", csv("id,s\n1,\"abc\n"));
    assertEquals("[{\"id\":\"1\",\"s\":\" \\\"abc\\\"\"}]", csv("id,s\n1, \"abc\"\n"));
    assertEquals("[{\"id\":\"1\",\"s\":\"a\\r\\nb\"}]", csv("id,s\r\n1,\"a\r\nb\"\r\n"));
  }

  @Test
  void recordsEndAtCrLfCrOrLfAndBlankLinesAreSkipped() {
    String expected = "[{\"id\":\"1\",\"s\":\"a\"},{\"id\":\"2\",\"s\":\"b\"}]";
    assertEquals(expected, csv("id,s\n\n1,a\n\n\n2,b\n\n"));
    assertEquals(expected, csv("id,s\r\n1,a\r\n2,b\r\n"));
    assertEquals(expected, csv("id,s\r1,a\r2,b\r"));
  }

  @Test
  void headerOnlyOrNothing() {
    assertEquals("[]", csv("id,s\n"));
    assertEquals("[]", csv("id,s"));
    assertEquals("[]", csv("\n"));
    assertEquals("[]", csv(" "));
  }

  @Test
  void headerSpecialCases() {
    assertEquals("[{\"id\":\"1\",\"s\":\"a\"}]", csv(Buffer.buffer().appendBytes(new byte[] {(byte) 0xEF,
        (byte) 0xBB, (byte) 0xBF}).appendString("id,s\n1,a\n"), null));
    assertEquals("[{\"id\":\"1\",\"s\":\"b\"}]", csv("id,s,s\n1,a,b\n"));
    assertEquals("[{\"id\":\"1\",\"a:unknown\":\"x\",\"a:b\":5,\"c:String\":\"y\",\"\":7}]",
        csv("id,a:unknown,a:b:number,c:String,:number\n1,x,5,y,7\n"));
    assertEquals("[{\"id\":\"1\",\"\":\"a\",\"s\":\"b\"}]", csv("id,,s\n1,a,b\n"));
    assertEquals("[{\"id\":\"1\",\"s\":\"a\",\"\":null}]", csv("id,s,\n1,a,\n"));
    assertEquals("[{\"id\":\"1\",\"my\":2}]", csv("\"id\",\"my:number\"\n1,2\n"));
    assertEquals("[{\"id\":\"1\",\"a.b\":\"x\"}]", csv("id,a.b\n1,x\n"));
  }

  @Test
  void delimiters() {
    assertEquals("[{\"id\":\"1\",\"s\":\"a,b\"}]", csv(bytes("id;s\n1;a,b\n"), ";"));
    assertEquals("[{\"id\":\"1\",\"s\":\"x\\ty\"}]", csv(bytes("id\ts\n1\t\"x\ty\"\n"), "\t"));
    // a newline delimiter turns the whole input into one header record
    assertEquals("[]", csv(bytes("id\n1"), "\n"));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("id,n:number\n1,42\n2,0x10\n", "Error parsing number \"0x10\" at line 2: invalid float literal"),
        Arguments.of("id,n:number\n1,abc\n", "Error parsing number \"abc\" at line 1: invalid float literal"),
        Arguments.of("id,n:number\n1,1_000\n", "Error parsing number \"1_000\" at line 1: invalid float literal"),
        Arguments.of("id,n:number\n1,.\n", "Error parsing number \".\" at line 1: invalid float literal"),
        Arguments.of("id,n:number\n1,1e\n", "Error parsing number \"1e\" at line 1: invalid float literal"),
        Arguments.of("id,n:number\n1,1d\n", "Error parsing number \"1d\" at line 1: invalid float literal"),
        Arguments.of("id,n:number\n1,0x1p3\n", "Error parsing number \"0x1p3\" at line 1: invalid float literal"),
        Arguments.of("id,n:number\n1,\u0663\n", "Error parsing number \"\u0663\" at line 1: invalid float literal"),
        Arguments.of("id,n:number\n1,\" a\\\"b\té\u0001 \"\n",
            "Error parsing number \" a\\\\b\\té\\u{1} \\\"\" at line 1: invalid float literal"),
        Arguments.of("id,b:boolean\n1,TRUE\n",
            "Error parsing boolean \"TRUE\" at line 1: provided string was not `true` or `false`"),
        Arguments.of("id,b:boolean\n1,true\n2,yes\n",
            "Error parsing boolean \"yes\" at line 2: provided string was not `true` or `false`"),
        Arguments.of("id,b:boolean\n1, yes \n",
            "Error parsing boolean \" yes \" at line 1: provided string was not `true` or `false`"),
        Arguments.of("id,s\n1,a\n2\n", "CSV error: record 2 (line: 3, byte: 9): found record with 1 fields, but the "
            + "previous record has 2 fields"),
        Arguments.of("id,s\n1,a,b\n", "CSV error: record 1 (line: 2, byte: 5): found record with 3 fields, but the "
            + "previous record has 2 fields"),
        Arguments.of("id,s\n\n1,a\n\n2\n", "CSV error: record 2 (line: 4, byte: 10): found record with 1 fields, but "
            + "the previous record has 2 fields"),
        Arguments.of("id,s\r\n1,a\r\n2\r\n", "CSV error: record 2 (line: 2, byte: 10): found record with 1 fields, "
            + "but the previous record has 2 fields"),
        Arguments.of("id,s\r1,a\r2\r", "CSV error: record 2 (line: 1, byte: 9): found record with 1 fields, but the "
            + "previous record has 2 fields"),
        Arguments.of("id,s\n1,\"a\nb\"\n2\n", "CSV error: record 2 (line: 4, byte: 13): found record with 1 fields, "
            + "but the previous record has 2 fields"),
        Arguments.of("id,s\n1,\"a\"b\n2\n", "CSV error: record 2 (line: 3, byte: 12): found record with 1 fields, "
            + "but the previous record has 2 fields"),
        Arguments.of("id,s\r\n1,\"a\r\n\"\r\n2\r\n", "CSV error: record 2 (line: 3, byte: 14): found record with 1 "
            + "fields, but the previous record has 2 fields"),
        Arguments.of("\n\nid,s\n1\n", "CSV error: record 1 (line: 4, byte: 7): found record with 1 fields, but the "
            + "previous record has 2 fields"),
        Arguments.of("id,s\n1,a\rb\n", "CSV error: record 2 (line: 2, byte: 9): found record with 1 fields, but the "
            + "previous record has 2 fields"),
        Arguments.of("\ufeffid,s\n1,a\n2\n", "CSV error: record 2 (line: 3, byte: 12): found record with 1 fields, "
            + "but the previous record has 2 fields"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedCsv(String body, String detail) {
    assertMalformedCsv(detail, bytes(body));
  }

  @Test
  void invalidUtf8NamesRecordFieldAndOffset() {
    assertMalformedCsv("CSV parse error: record 1 (line 2, field: 1, byte: 5): invalid utf-8: invalid UTF-8 in "
        + "field 1 near byte index 0", withByte("id,s\n1,", 0xFF, "\n"));
    assertMalformedCsv("CSV parse error: record 0 (line 1, field: 1, byte: 0): invalid utf-8: invalid UTF-8 in "
        + "field 1 near byte index 0", withByte("id,", 0xFF, "\n1,a\n"));
    assertMalformedCsv("CSV parse error: record 1 (line 2, field: 2, byte: 7): invalid utf-8: invalid UTF-8 in "
        + "field 2 near byte index 1", withByte("id,s,t\n1,ok,a", 0xFF, "b\n"));
    assertMalformedCsv("CSV parse error: record 1 (line 2, field: 1, byte: 5): invalid utf-8: invalid UTF-8 in "
        + "field 1 near byte index 4", withByte("id,s\n1,éé", 0xFF, "\n"));
    assertMalformedCsv("CSV parse error: record 1 (line 2, field: 1, byte: 8): invalid utf-8: invalid UTF-8 in "
        + "field 1 near byte index 0", withByte("\ufeffid,s\n1,", 0xFF, "\n"));
  }
}
