package io.miroir.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RawJson}, {@link RawObject} and {@link JsonOutput} against Vert.x's own decoder and encoder. */
class RawJsonTest {

  private static JsonObject raw(String json) {
    return RawJson.searchAnswer(Buffer.buffer(json));
  }

  private static Map<String, Object> hit(JsonObject answer, int i) {
    return ((JsonObject) answer.getJsonArray("hits").getValue(i)).getMap();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      " { \"hits\" : [ ] , \"a\" : 1 } ",
      "{\"hits\":[{}],\"query\":\"\"}",
      "{\"hits\":[{\"id\":1,\"t\":\"x\"},{\"id\":\"2\"}],\"estimatedTotalHits\":2,\"processingTimeMs\":0}",
      "{\"hits\":[1,\"two\",null,true,[3],{\"a\":[{}]}]}",
      "{\"n\":[0,-1,2147483647,2147483648,-2147483649,9223372036854775807,9223372036854775808,-0,1.5,-2.5e-7,1E300,"
          + "12345678901234567890123]}",
      "{\"s\":[\"\",\"\\\"q\\\"\",\"a\\\\b\",\"\\u00e9\\n\\t\",\"é€😀\",\"\\ud83d\\ude00\",\"/\\/\"]}",
      "{\"hits\":[{\"k\\\"ey\":1,\"é\":2,\"\\u0041\":3,\"nested\":{\"x\":{\"y\":[1,{\"z\":\"}]\"}]}},\"b\":false}]}",
      "{\"hits\":[{\"_rankingScore\":0.9696969696969697,\"_miroir_shard\":3,\"_rankingScoreDetails\":{\"words\":"
          + "{\"order\":0,\"matchingWords\":1,\"maxMatchingWords\":1,\"score\":1.0}}}],\"facetDistribution\":"
          + "{\"genre\":{\"a\":1,\"b\":2}},\"facetStats\":{\"year\":{\"min\":1.0,\"max\":2.0}}}",
      "{\"hits\" : [ { \"a\" : 1 , \"b\" : [ 1 , 2 ] } , { } ] }"})
  void decodesAsVertx(String json) {
    JsonObject expected = new JsonObject(json);
    JsonObject actual = raw(json);
    assertEquals(expected, actual);
    assertEquals(expected.encode(), actual.encode());
    assertEquals(expected, new JsonObject(JsonOutput.toBuffer(actual)));
    if (json.equals(expected.encode())) {
      // Compact input: the raw parts are written back exactly as Vert.x writes the decoded tree.
      assertEquals(expected.toBuffer().toString(), JsonOutput.toBuffer(actual).toString());
    }
    // Every value has the type Vert.x's decoder gives it.
    assertEquals(types(expected.getMap()), types(decodedCopy(actual.getMap())));
  }

  /** The word-at-a-time string scan against a byte-by-byte one, at every alignment and escape position. */
  @Test
  void stringEndAtEveryAlignment() {
    String[] pieces = {"a", "é", "\\\"", "\\\\", "\\u0022", "😀", "\"\"", "x\\\\\\\""};
    Random random = new Random(7);
    for (int n = 0; n < 2000; n++) {
      StringBuilder b = new StringBuilder();
      int prefix = random.nextInt(17);
      b.append(" ".repeat(prefix)).append('"');
      for (int k = random.nextInt(12); k > 0; k--) {
        String p = pieces[random.nextInt(pieces.length)];
        b.append(p.equals("\"\"") ? "ab" : p);
      }
      b.append('"').append(" ".repeat(random.nextInt(12)));
      byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
      int expected = prefix + 1;
      while (bytes[expected] != '"') {
        expected += bytes[expected] == '\\' ? 2 : 1;
      }
      assertEquals(expected, RawJson.stringEnd(bytes, prefix + 1), b.toString());
    }
  }

  @Test
  void numbersHaveJacksonsTypes() {
    JsonObject a = raw("{\"n\":[1,2147483648,9223372036854775808,1.0,1e2,-0]}");
    List<?> n = a.getJsonArray("n").getList();
    assertInstanceOf(Integer.class, n.get(0));
    assertInstanceOf(Long.class, n.get(1));
    assertInstanceOf(BigInteger.class, n.get(2));
    assertInstanceOf(Double.class, n.get(3));
    assertInstanceOf(Double.class, n.get(4));
    assertEquals(0, n.get(5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{\"hits\":[{\"a\":1}", "{\"a\":tru}",
      "{\"a\":1} x", "{\"hits\":[{\"a\":1,]}", "{a:1}", "{\"a\":-}", "{\"hits\":[{\"a\" 1}]}",
      "{\"hits\":[{\"a\":1 \"b\":2}]}", "{\"hits\":[{\"a\":1}}]}"})
  void malformedInputFails(String json) {
    if (json.isEmpty()) {
      assertEquals(new JsonObject(), raw(json));
      return;
    }
    assertThrows(DecodeException.class, () -> {
      JsonObject answer = raw(json);
      // Hits are split into fields when first read.
      answer.getJsonArray("hits", new JsonArray()).forEach(h -> ((JsonObject) h).size());
    });
  }

  @Test
  void hitsAreLazyMapsThatKeepTheirOrder() {
    JsonObject answer = raw("{\"hits\":[{\"id\":\"a\",\"_miroir_shard\":5,\"title\":\"T\",\"_rankingScore\":0.5}]}");
    Map<String, Object> hit = hit(answer, 0);
    assertInstanceOf(RawObject.class, hit);
    assertEquals(4, hit.size());
    assertEquals(List.of("id", "_miroir_shard", "title", "_rankingScore"), new ArrayList<>(hit.keySet()));
    assertEquals(0.5, hit.get("_rankingScore"));
    assertEquals(5, hit.get("_miroir_shard"));
    assertNull(hit.get("missing"));
    assertTrue(hit.containsKey("title"));
    assertFalse(hit.containsKey("missing"));
    // Untouched: written as its own bytes.
    assertEquals("{\"hits\":[{\"id\":\"a\",\"_miroir_shard\":5,\"title\":\"T\",\"_rankingScore\":0.5}]}",
        JsonOutput.toBuffer(answer).toString());

    assertEquals(0.5, hit.remove("_rankingScore"));
    hit.keySet().removeIf(k -> k.startsWith("_miroir_"));
    hit.put("added", new JsonObject().put("x", 1));
    hit.put("id", "b");
    assertEquals(List.of("id", "title", "added"), new ArrayList<>(hit.keySet()));
    assertEquals(3, hit.size());
    assertEquals("{\"hits\":[{\"id\":\"b\",\"title\":\"T\",\"added\":{\"x\":1}}]}", JsonOutput.toBuffer(answer)
        .toString());
    assertEquals(answer.encode(), JsonOutput.toBuffer(answer).toString());
  }

  @Test
  void removesKeysByPrefixWithoutDecodingNames() {
    JsonObject answer = raw("{\"hits\":[{\"id\":1,\"_miroir_shard\":3,\"\\u005fmiroir_x\":1,\"_miroi\":2,"
        + "\"é_miroir_\":4,\"_miroir_\":5}]}");
    RawObject hit = (RawObject) hit(answer, 0);
    assertEquals(3, hit.removeKeysStartingWith("_miroir_"));
    assertEquals(List.of("id", "_miroi", "é_miroir_"), new ArrayList<>(hit.keySet()));
    assertEquals("{\"hits\":[{\"id\":1,\"_miroi\":2,\"é_miroir_\":4}]}", JsonOutput.toBuffer(answer).toString());
  }

  @Test
  void aDecodedContainerIsWrittenFromItsEditedValue() {
    JsonObject answer = raw("{\"hits\":[{\"t\":\"x\",\"_formatted\":{\"t\":\"<em>x</em>\",\"_miroir_shard\":\"1\"},"
        + "\"n\":[1,2]}]}");
    Map<String, Object> hit = hit(answer, 0);
    @SuppressWarnings("unchecked")
    Map<String, Object> formatted = (Map<String, Object>) hit.get("_formatted");
    formatted.remove("_miroir_shard");
    @SuppressWarnings("unchecked")
    List<Object> n = (List<Object>) hit.get("n");
    n.add(3);
    assertEquals("{\"hits\":[{\"t\":\"x\",\"_formatted\":{\"t\":\"<em>x</em>\"},\"n\":[1,2,3]}]}",
        JsonOutput.toBuffer(answer).toString());
  }

  @Test
  void iteratorAndEntriesEditThrough() {
    Map<String, Object> hit = hit(raw("{\"hits\":[{\"a\":1,\"b\":2,\"c\":3}]}"), 0);
    Iterator<Map.Entry<String, Object>> it = hit.entrySet().iterator();
    Map.Entry<String, Object> a = it.next();
    assertEquals("a", a.getKey());
    assertEquals(1, a.setValue(10));
    it.next();
    it.remove();
    assertThrows(IllegalStateException.class, it::remove);
    assertEquals(Map.of("a", 10, "c", 3), hit);
    assertEquals(new LinkedHashMap<>(Map.of("a", 10, "c", 3)).hashCode(), hit.hashCode());
    hit.clear();
    assertTrue(hit.isEmpty());
    assertEquals("{}", JsonOutput.toBuffer(hit).toString());
  }

  @Test
  void aCopyKeepsTheFieldOrder() {
    JsonObject answer = raw("{\"hits\":[{\"z\":1,\"y\":{\"b\":1,\"a\":2},\"x\":3,\"w\":4,\"v\":5,\"u\":6,\"t\":7,"
        + "\"s\":8,\"r\":9,\"q\":10,\"p\":11,\"o\":12,\"n\":13}]}");
    JsonObject copy = answer.copy();
    JsonObject copiedHit = copy.getJsonArray("hits").getJsonObject(0);
    assertEquals(List.of("z", "y", "x", "w", "v", "u", "t", "s", "r", "q", "p", "o", "n"),
        new ArrayList<>(copiedHit.fieldNames()));
    assertEquals(answer.encode(), copy.encode());
    copiedHit.put("z", 0);
    assertEquals(1, hit(answer, 0).get("z"));
  }

  @Test
  void encodesWhatVertxEncodes() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("s", "é\"\n\u0001");
    map.put("i", 1);
    map.put("l", 1L << 40);
    map.put("d", 0.1);
    map.put("f", 1.5f);
    map.put("nan", Double.NaN);
    map.put("big", new BigInteger("123456789012345678901234567890"));
    map.put("dec", new java.math.BigDecimal("1.10"));
    map.put("sh", (short) 3);
    map.put("by", (byte) 4);
    map.put("b", true);
    map.put("n", null);
    map.put("t", Instant.parse("2026-01-02T03:04:05Z"));
    map.put("bytes", new byte[] {1, 2, 3});
    map.put("buf", Buffer.buffer("xyz"));
    map.put("enum", java.util.concurrent.TimeUnit.SECONDS);
    map.put("list", new ArrayList<>(List.of(1, "a", new JsonObject().put("x", new JsonArray().add(2)))));
    map.put("obj", new JsonObject().put("nested", new LinkedHashMap<>(Map.of("k", "v"))));
    JsonObject o = new JsonObject(map);
    assertEquals(o.toBuffer().toString(), JsonOutput.toBuffer(o).toString());
    JsonArray a = new JsonArray().add(o).add("x");
    assertEquals(a.toBuffer().toString(), JsonOutput.toBuffer(a).toString());
    assertEquals(Json.encode("str"), JsonOutput.toBuffer("str").toString());
  }

  /** Random trees: decoding their encoding gives them back, and writing that gives the same bytes. */
  @Test
  void randomTrees() {
    Random random = new Random(42);
    for (int n = 0; n < 300; n++) {
      JsonArray hits = new JsonArray();
      for (int h = 0; h < random.nextInt(5); h++) {
        hits.add(randomObject(random, 3));
      }
      JsonObject tree = randomObject(random, 3).put("hits", hits);
      String json = tree.toBuffer().toString();
      JsonObject decoded = raw(json);
      assertEquals(tree, decoded, json);
      assertEquals(json, new String(JsonOutput.toBuffer(decoded).getBytes(), StandardCharsets.UTF_8));
      // Read every field, remove one, and the result still encodes like Vert.x.
      for (Object h : decoded.getJsonArray("hits")) {
        Map<String, Object> m = ((JsonObject) h).getMap();
        new ArrayList<>(m.values());
        if (!m.isEmpty() && random.nextBoolean()) {
          m.remove(m.keySet().iterator().next());
        }
      }
      assertEquals(new JsonObject(decoded.encode()).toBuffer().toString(), JsonOutput.toBuffer(decoded).toString());
    }
  }

  private static JsonObject randomObject(Random random, int depth) {
    JsonObject o = new JsonObject();
    int fields = random.nextInt(6);
    for (int i = 0; i < fields; i++) {
      o.put(randomString(random), randomValue(random, depth - 1));
    }
    return o;
  }

  private static Object randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 9 : 7);
    return switch (kind) {
      case 0 -> randomString(random);
      case 1 -> random.nextInt();
      case 2 -> random.nextLong();
      case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      case 4 -> random.nextBoolean();
      case 5 -> null;
      case 6 -> -random.nextInt(100);
      case 7 -> randomObject(random, depth);
      default -> {
        JsonArray a = new JsonArray();
        for (int i = 0; i < random.nextInt(4); i++) {
          a.add(randomValue(random, depth - 1));
        }
        yield a;
      }
    };
  }

  private static String randomString(Random random) {
    String alphabet = "abcXYZ _-\"\\/é€😀\n\t\u0001{}[],:";
    StringBuilder b = new StringBuilder();
    int length = random.nextInt(8);
    for (int i = 0; i < length; i++) {
      int at = random.nextInt(alphabet.length());
      char c = alphabet.charAt(at);
      if (Character.isHighSurrogate(c)) {
        b.append(c).append(alphabet.charAt(at + 1));
      } else if (!Character.isLowSurrogate(c)) {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The tree with every RawObject replaced by its decoded map. */
  private static Map<String, Object> decodedCopy(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, plain(v)));
    return out;
  }

  private static Object plain(Object v) {
    if (v instanceof JsonObject o) {
      return decodedCopy(o.getMap());
    }
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) m;
      return decodedCopy(typed);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(plain(x)));
      return out;
    }
    return v;
  }

  private static Object types(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, types(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(types(x)));
      return out;
    }
    return v == null ? "null" : v.getClass().getSimpleName();
  }
}
