package io.miroir.chart;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optional command-line tool (helm, promtool) the chart tests use when it is installed: from an environment
 * variable, then a path under the repository, then PATH. Tests that need a missing tool are skipped with the reason
 * logged.
 */
final class ExternalTool {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalTool.class);

  record Result(int exitCode, String stdout, String stderr) {
  }

  private final String name;
  private final Optional<Path> binary;
  private final String howToInstall;

  private ExternalTool(String name, Optional<Path> binary, String howToInstall) {
    this.name = name;
    this.binary = binary;
    this.howToInstall = howToInstall;
  }

  /** helm: $MIROIR_HELM_BIN, tools/helm/bin/helm (scripts/install-helm), or helm on PATH. */
  static ExternalTool helm() {
    return find("helm", "MIROIR_HELM_BIN", ChartFiles.repoRoot().resolve("tools/helm/bin/helm"),
        "run scripts/install-helm or set MIROIR_HELM_BIN");
  }

  /** promtool: $MIROIR_PROMTOOL_BIN or promtool on PATH (Debian package prometheus). */
  static ExternalTool promtool() {
    return find("promtool", "MIROIR_PROMTOOL_BIN", null, "apt-get install prometheus, or set MIROIR_PROMTOOL_BIN");
  }

  private static ExternalTool find(String name, String envVar, Path inRepo, String howToInstall) {
    List<Path> candidates = new ArrayList<>();
    String fromEnv = System.getenv(envVar);
    if (fromEnv != null && !fromEnv.isBlank()) {
      candidates.add(Path.of(fromEnv));
    }
    if (inRepo != null) {
      candidates.add(inRepo);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        candidates.add(Path.of(dir, name));
      }
    }
    Optional<Path> found = candidates.stream().filter(Files::isExecutable).findFirst();
    return new ExternalTool(name, found, howToInstall);
  }

  /** Skips the calling test, with the reason logged, when the tool is not installed. */
  void assumePresent() {
    if (binary.isEmpty()) {
      String reason = name + " not found, test skipped (" + howToInstall + ")";
      LOG.warn(reason);
      Assumptions.abort(reason);
    }
  }

  Result run(Path workDir, String... args) throws IOException, InterruptedException {
    assumePresent();
    List<String> command = new ArrayList<>();
    command.add(binary.get().toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(name, ".out");
    Path err = Files.createTempFile(name, ".err");
    try {
      Process process = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not finish in 120 s: " + command);
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
