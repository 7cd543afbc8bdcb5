package io.miroir.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Where the chart and its test values live, and how Helm combines values files. */
final class ChartFiles {
  static final ObjectMapper JSON = new ObjectMapper();

  private ChartFiles() {
  }

  /** The repository root: the first parent of the working directory holding chart/miroir/Chart.yaml. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("chart/miroir/Chart.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException("chart/miroir/Chart.yaml not found above " + dir);
  }

  static Path chartDir() {
    return repoRoot().resolve("chart/miroir");
  }

  /** Values override files of the rule table (ChartValuesSchemaTest.CASES). */
  static Path casesDir() {
    return repoRoot().resolve("verticles/src/test/resources/chart/values");
  }

  static Object loadYaml(Path file) {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Object> loadAllYaml(String text) {
    List<Object> docs = new java.util.ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
      if (doc != null) {
        docs.add(doc);
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> defaultValues() {
    return (Map<String, Object>) loadYaml(chartDir().resolve("values.yaml"));
  }

  /**
   * Helm's combination of values.yaml with a user file ({@code helm -f}): maps merge key by key, anything else
   * (scalars, lists) from the override replaces the default, and an explicit null removes the key.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    override.forEach((key, value) -> {
      Object current = out.get(key);
      if (value == null) {
        out.remove(key);
      } else if (current instanceof Map && value instanceof Map) {
        out.put(key, merge((Map<String, Object>) current, (Map<String, Object>) value));
      } else {
        out.put(key, value);
      }
    });
    return out;
  }

  /** values.yaml merged with one case file of the table. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> valuesWith(String caseFile) {
    Object override = loadYaml(casesDir().resolve(caseFile));
    return merge(defaultValues(), override == null ? Map.of() : (Map<String, Object>) override);
  }

  static JsonNode toJson(Object yamlTree) {
    return JSON.valueToTree(yamlTree);
  }
}
