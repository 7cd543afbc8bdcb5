package io.miroir.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Static checks of the chart templates that need no helm binary (HelmRenderTest renders them when one is present):
 * balanced actions and blocks, includes of defined templates only, and every {@code .Values} path a template reads
 * present in values.yaml, so a misspelt value cannot silently render as empty.
 */
class ChartTemplatesTest {
  private static final Pattern COMMENT = Pattern.compile("\\{\\{-?\\s*/\\*.*?\\*/\\s*-?}}", Pattern.DOTALL);
  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}", Pattern.DOTALL);
  private static final Pattern OPENER = Pattern.compile("^(if|range|with|define|block)\\b");
  private static final Pattern END = Pattern.compile("^end$");
  private static final Pattern INCLUDE = Pattern.compile("\\b(?:include|template)\\s+\"([^\"]+)\"");
  private static final Pattern DEFINE = Pattern.compile("\\{\\{-?\\s*define\\s+\"([^\"]+)\"");
  /** {@code $m := .Values.miroir}: an alias for a values path. */
  private static final Pattern ALIAS = Pattern.compile("\\$(\\w+)\\s*:=\\s*\\$?\\.Values((?:\\.\\w+)+)");
  private static final Pattern VALUES_PATH = Pattern.compile("\\$?\\.Values((?:\\.\\w+)+)");
  private static final Pattern ALIAS_PATH = Pattern.compile("\\$(\\w+)((?:\\.\\w+)+)");

  static Stream<Path> templates() throws IOException {
    try (Stream<Path> files = Files.list(ChartFiles.chartDir().resolve("templates"))) {
      return files.filter(Files::isRegularFile).sorted().toList().stream();
    }
  }

  @Test
  void theChartHasItsTemplates() throws IOException {
    Set<String> names = new TreeSet<>();
    templates().forEach(p -> names.add(p.getFileName().toString()));
    assertTrue(names.containsAll(List.of("_helpers.tpl", "_validate.tpl", "configmap.yaml", "secret.yaml",
        "deployment.yaml", "service.yaml", "meilisearch.yaml", "redis.yaml", "hpa.yaml", "pdb.yaml",
        "monitoring.yaml", "NOTES.txt")), names::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void actionsAndBlocksAreBalanced(Path template) throws IOException {
    String text = COMMENT.matcher(Files.readString(template)).replaceAll("");
    // A plain "}}" is legal YAML (flow mappings), so balance is checked from the "{{" side: every action closes
    // before the next one opens, and none is left open.
    assertFalse(ACTION.matcher(text).replaceAll("").contains("{{"), template + ": an action is not closed");
    int depth = 0;
    Matcher m = ACTION.matcher(text);
    while (m.find()) {
      String action = m.group(1);
      assertFalse(action.contains("{{"), template + ": an action is not closed before offset " + m.end());
      if (OPENER.matcher(action).find()) {
        depth++;
      } else if (END.matcher(action).find()) {
        depth--;
        assertTrue(depth >= 0, template + ": {{ end }} without a block, at offset " + m.start());
      }
    }
    assertEquals(0, depth, template + ": a block is not closed");
  }

  @Test
  void includesNameDefinedTemplates() throws IOException {
    Set<String> defined = new TreeSet<>();
    Map<String, Set<String>> used = new HashMap<>();
    for (Path p : templates().toList()) {
      String text = Files.readString(p);
      DEFINE.matcher(text).results().forEach(r -> defined.add(r.group(1)));
      INCLUDE.matcher(text).results().forEach(r ->
          used.computeIfAbsent(r.group(1), k -> new TreeSet<>()).add(p.getFileName().toString()));
    }
    assertFalse(defined.isEmpty());
    List<String> missing = new ArrayList<>();
    used.forEach((name, files) -> {
      if (!defined.contains(name)) {
        missing.add(name + " (used in " + files + ")");
      }
    });
    assertTrue(missing.isEmpty(), () -> "undefined templates: " + missing);
  }

  @Test
  void everyValuesPathExistsInValuesYaml() throws IOException {
    Map<String, Object> values = ChartFiles.defaultValues();
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (Path p : templates().toList()) {
      String text = COMMENT.matcher(Files.readString(p)).replaceAll("");
      Map<String, String> aliases = new HashMap<>();
      ALIAS.matcher(text).results().forEach(r -> aliases.put(r.group(1), r.group(2)));
      List<String> paths = new ArrayList<>();
      VALUES_PATH.matcher(text).results().forEach(r -> paths.add(r.group(1)));
      Matcher a = ALIAS_PATH.matcher(text);
      while (a.find()) {
        if (aliases.containsKey(a.group(1))) {
          paths.add(aliases.get(a.group(1)) + a.group(2));
        }
      }
      for (String path : paths) {
        checked++;
        if (!exists(values, path.substring(1).split("\\."))) {
          missing.add(p.getFileName() + ": .Values" + path);
        }
      }
    }
    assertTrue(checked > 50, "found only " + checked + " values references; is the pattern still right?");
    assertTrue(missing.isEmpty(), () -> "values read by templates but absent from values.yaml:\n"
        + String.join("\n", missing));
  }

  @SuppressWarnings("unchecked")
  private static boolean exists(Map<String, Object> values, String[] keys) {
    Object node = values;
    for (String key : keys) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
        return false;
      }
      node = ((Map<String, Object>) map).get(key);
    }
    return true;
  }
}
