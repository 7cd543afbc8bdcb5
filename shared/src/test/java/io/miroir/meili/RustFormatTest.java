package io.miroir.meili;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Number and string printing as Meilisearch (Rust) prints them; every expected text was seen in its answers. */
class RustFormatTest {

  @ParameterizedTest
  @CsvSource({
      "1.5, 1.5", "100.0, 100.0", "1e20, 1e20", "1e-7, 1e-7", "1e-6, 1e-6", "0.0001, 0.0001", "-1500.0, -1500.0",
      "18446744073709551616, 1.8446744073709552e19", "-9223372036854775809, -9.223372036854776e18",
      "123456789012345678901234567890, 1.2345678901234568e29", "1.2345678901234567e20, 1.2345678901234567e20",
      "4.9e-324, 5e-324", "9007199254740994, 9007199254740994.0", "1e23, 1e23", "7317770170789331, 7317770170789331.0",
      "0.1, 0.1", "1.0000000000000002, 1.0000000000000002", "1.7976931348623157e308, 1.7976931348623157e308",
      "2.2250738585072014e-308, 2.2250738585072014e-308", "8.123456789012345e-300, 8.123456789012345e-300"})
  void serdeJsonFloats(double value, String printed) {
    assertEquals(printed, RustFormat.ryu(value));
  }

  @Test
  void signedZero() {
    assertEquals("-0.0", RustFormat.ryu(-0.0));
    assertEquals("0.0", RustFormat.ryu(0.0));
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "1.5, 1.5", "1.536, 1.536", "12.345678, 12.345678", "1.46484375, 1.46484375", "1000, 1000",
      "999.999, 999.999", "1e20, 100000000000000000000"})
  void rustDisplay(double value, String printed) {
    assertEquals(printed, RustFormat.display(value));
  }

  @Test
  void rustDebugStrings() {
    assertEquals("\"a\\\"b\\né\\u{1}\"", RustFormat.debug("a\"b\né\u0001"));
    assertEquals("\" a\\\\b\\té\\u{1} \\\"\"", RustFormat.debug(" a\\b\té\u0001 \""));
    assertEquals("\"\u0663\"", RustFormat.debug("\u0663"));
    assertEquals("\"\\0'\"", RustFormat.debug("\0'"));
  }

  @Test
  void serdeJsonCompactPrinting() {
    JsonObject doc = new JsonObject().put("x", 1.5).put("y", 100.0).put("z", new JsonObject().put("k",
        new JsonArray().add(1).add(2.0))).put("w", -0.0).put("big", new BigInteger("18446744073709551615"))
        .put("s", "é\t\b\f\r\u007f\u2028\u0001/\"\\").putNull("n").put("t", true);
    assertEquals("{\"x\":1.5,\"y\":100.0,\"z\":{\"k\":[1,2.0]},\"w\":-0.0,\"big\":18446744073709551615,"
        + "\"s\":\"é\\t\\b\\f\\r\u007f\u2028\\u0001/\\\"\\\\\",\"n\":null,\"t\":true}", SerdeJson.write(doc));
  }
}
