package io.miroir.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's values.schema.json, checked with a JSON-schema validator (draft-07, as Helm reads it) against
 * values.yaml combined with each case file of {@link #CASES}: for every forced rule of SPEC §5 (and the chart's own
 * rules) one accepted and one rejected case, a rejection naming the offending field.
 */
class ChartValuesSchemaTest {
  /**
   * One values case. {@code field}: the dotted path a rejection must be reported at. {@code helmRenders}: whether
   * {@code helm template} must succeed ({@link HelmRenderTest}); it differs from {@code schemaAccepts} only for checks
   * made by templates/_validate.tpl.
   */
  record Case(String file, String rule, boolean schemaAccepts, String field, boolean helmRenders) {
    @Override
    public String toString() {
      return file;
    }
  }

  static final List<Case> CASES = List.of(
      new Case("reject-replicas-sqlite.yaml", "1 replicas>1 needs redis", false, "taskStore.backend", false),
      new Case("accept-replicas-redis.yaml", "1 replicas>1 needs redis", true, null, true),
      new Case("reject-hpa-one-replica.yaml", "2 hpa needs replicas>=2 and redis", false, "miroir.replicas", false),
      new Case("reject-hpa-min-replicas-one.yaml", "2 hpa needs replicas>=2 and redis", false,
          "miroir.hpa.minReplicas", false),
      new Case("reject-hpa-sqlite.yaml", "2 hpa needs replicas>=2 and redis", false, "taskStore.backend", false),
      new Case("accept-hpa.yaml", "2 hpa needs replicas>=2 and redis", true, null, true),
      new Case("reject-searchui-local-multi-pod.yaml", "3 no local rate limit with replicas>1", false,
          "miroir.searchUi.rateLimit.backend", false),
      new Case("accept-searchui-local-single-pod.yaml", "3 no local rate limit with replicas>1", true, null, true),
      new Case("reject-scoped-key-lead-equals-age.yaml", "4 rotate-before < max-age", false,
          "miroir.searchUi.scopedKeyRotateBeforeExpiryDays", false),
      new Case("accept-scoped-key-lead-below-age.yaml", "4 rotate-before < max-age", true, null, true),
      new Case("reject-redis-backend-without-redis.yaml", "5 redis backend needs a redis", false,
          "taskStore.redis.url", false),
      new Case("accept-redis-backend-chart-redis.yaml", "5 redis backend needs a redis", true, null, true),
      new Case("reject-rf-above-nodes-per-group.yaml", "6 RF <= nodes per group", false, "meilisearch.nodesPerGroup",
          false),
      new Case("accept-production.yaml", "6 RF <= nodes per group", true, null, true),
      new Case("reject-short-node-master-key.yaml", "7 node key >= 16 bytes", false, "miroir.nodeMasterKey", false),
      new Case("accept-given-keys.yaml", "7 node key >= 16 bytes", true, null, true),
      new Case("reject-unknown-key.yaml", "types", false, "miroir", false),
      new Case("reject-string-for-integer.yaml", "types", false, "miroir.shards", false),
      new Case("reject-shards-out-of-range.yaml", "types", false, "miroir.shards", false),
      new Case("reject-bad-enum.yaml", "types", false, "meilisearch.podAntiAffinity", false),
      new Case("reject-bad-quantity.yaml", "types", false, "meilisearch.persistence.size", false),
      new Case("reject-bad-redis-url.yaml", "types", false, "taskStore.redis.url", false),
      new Case("template-rejects-too-few-meili-pods.yaml", "template check: meili replicas >= Ng x RG", true, null,
          false));

  private static JsonSchema schema;
  private static JsonNode schemaTree;

  @BeforeAll
  static void loadSchema() throws IOException {
    schemaTree = ChartFiles.JSON.readTree(ChartFiles.chartDir().resolve("values.schema.json").toFile());
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaTree);
  }

  static Set<ValidationMessage> validate(Map<String, Object> values) {
    return schema.validate(ChartFiles.toJson(values));
  }

  /** Valid or not, without collecting messages (faster: stops at the first failure). */
  static boolean accepts(Map<String, Object> values) {
    return schema.validate(ChartFiles.toJson(values), OutputFormat.BOOLEAN);
  }

  static Stream<Case> cases() {
    return CASES.stream();
  }

  @Test
  void schemaIsDraft07() {
    // Helm 3 releases before 3.18 understand drafts 04 to 07 only.
    assertEquals("http://json-schema.org/draft-07/schema#", schemaTree.path("$schema").asText());
  }

  @Test
  void defaultValuesAreAccepted() {
    Set<ValidationMessage> errors = validate(ChartFiles.defaultValues());
    assertTrue(errors.isEmpty(), () -> "values.yaml rejected by its own schema: " + errors);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseIsAcceptedOrRejectedAtItsField(Case c) {
    Set<ValidationMessage> errors = validate(ChartFiles.valuesWith(c.file()));
    if (c.schemaAccepts()) {
      assertTrue(errors.isEmpty(), () -> c.file() + " should be accepted, got " + errors);
    } else {
      assertFalse(errors.isEmpty(), c.file() + " should be rejected");
      String at = "$." + c.field();
      assertTrue(errors.stream().anyMatch(e -> e.getInstanceLocation().toString().equals(at)),
          () -> c.file() + " should be rejected at " + at + ", got " + errors);
    }
  }

  @Test
  void everyRuleHasAnAcceptedAndARejectedCase() {
    Map<String, List<Case>> byRule = CASES.stream().collect(Collectors.groupingBy(Case::rule));
    for (String rule : List.of("1 replicas>1 needs redis", "2 hpa needs replicas>=2 and redis",
        "3 no local rate limit with replicas>1", "4 rotate-before < max-age", "5 redis backend needs a redis",
        "6 RF <= nodes per group", "7 node key >= 16 bytes")) {
      List<Case> cases = byRule.getOrDefault(rule, List.of());
      assertTrue(cases.stream().anyMatch(Case::schemaAccepts), "no accepted case for rule " + rule);
      assertTrue(cases.stream().anyMatch(c -> !c.schemaAccepts()), "no rejected case for rule " + rule);
    }
  }

  @Test
  void everyCaseFileIsInTheTable() throws IOException {
    Set<String> files;
    try (Stream<Path> list = Files.list(ChartFiles.casesDir())) {
      files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> table = CASES.stream().map(Case::file).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(files, table);
  }

  @Test
  void unknownKeyIsNamed() {
    Set<ValidationMessage> errors = validate(ChartFiles.valuesWith("reject-unknown-key.yaml"));
    assertTrue(errors.stream().anyMatch(e -> e.getMessage().contains("replica")), () -> errors.toString());
  }

  /**
   * Rule 4 is encoded as one if/then per lifetime. Exactness for every lifetime the schema allows: a lead one day
   * shorter is accepted, a lead equal to the lifetime is rejected (leads are bounded by a maximum, so everything
   * between is decided by these two).
   */
  @Test
  void scopedKeyWindowIsExactForEveryLifetime() {
    Map<String, Object> base = ChartFiles.defaultValues();
    for (int age = 2; age <= 365; age++) {
      assertTrue(accepts(withScopedKey(base, age, age - 1)), "lifetime " + age + ", lead " + (age - 1));
      int a = age;
      Set<ValidationMessage> errors = validate(withScopedKey(base, age, age));
      assertTrue(errors.stream().anyMatch(e -> e.getInstanceLocation().toString()
          .equals("$.miroir.searchUi.scopedKeyRotateBeforeExpiryDays")), () -> "lifetime " + a + ": " + errors);
    }
    // Outside the enumerated range: refused outright rather than left unchecked.
    assertFalse(accepts(withScopedKey(base, 366, 30)));
    assertFalse(accepts(withScopedKey(base, 1, 0)));
  }

  /** Rule 6, enumerated over the whole range of replicationFactor (1..16). */
  @Test
  void replicationFactorFitsTheGroupForEveryValue() {
    Map<String, Object> base = ChartFiles.defaultValues();
    for (int rf = 1; rf <= 16; rf++) {
      assertTrue(accepts(withRf(base, rf, rf)), "RF " + rf + " with " + rf + " nodes per group");
      if (rf > 1) {
        assertFalse(accepts(withRf(base, rf, rf - 1)), "RF " + rf + " with " + (rf - 1) + " nodes");
      }
    }
  }

  /**
   * Every value in values.yaml has a schema with a type, and every property of the schema has a default in
   * values.yaml: nothing is unchecked, nothing undocumented.
   */
  @Test
  void schemaAndValuesDescribeTheSameKeys() {
    List<String> problems = new ArrayList<>();
    compare("", ChartFiles.toJson(ChartFiles.defaultValues()), schemaTree, problems);
    assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
  }

  private static void compare(String path, JsonNode value, JsonNode node, List<String> problems) {
    JsonNode s = resolve(node);
    if (!s.has("type")) {
      problems.add(path + ": schema has no type");
      return;
    }
    JsonNode props = s.get("properties");
    if (!value.isObject() || props == null || !s.path("additionalProperties").isBoolean()) {
      return; // a leaf, or an object passed to Kubernetes as is
    }
    for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!props.has(key)) {
        problems.add(path + "." + key + ": in values.yaml, not in the schema");
      } else {
        compare(path + "." + key, value.get(key), props.get(key), problems);
      }
    }
    for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!value.has(key) && !(path.isEmpty() && key.equals("global"))) {
        problems.add(path + "." + key + ": in the schema, no default in values.yaml");
      }
    }
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode n = node;
    while (n.has("$ref")) {
      String ref = n.get("$ref").asText();
      n = schemaTree.at(ref.substring(1));
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withScopedKey(Map<String, Object> base, int age, int lead) {
    Map<String, Object> ui = new LinkedHashMap<>();
    ui.put("scopedKeyMaxAgeDays", age);
    ui.put("scopedKeyRotateBeforeExpiryDays", lead);
    return ChartFiles.merge(base, Map.of("miroir", Map.of("searchUi", ui)));
  }

  private static Map<String, Object> withRf(Map<String, Object> base, int rf, int nodesPerGroup) {
    return ChartFiles.merge(base, Map.of("miroir", Map.of("replicationFactor", rf),
        "meilisearch", Map.of("nodesPerGroup", nodesPerGroup, "replicas", nodesPerGroup)));
  }
}
