package io.miroir.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code miroir-ctl} finds the admin key (SPEC §8.4): environment, credentials file, then the flag. */
class AdminKeyTest {
  @TempDir
  Path dir;

  @Test
  void theEnvironmentComesFirstThenTheCredentialsFileThenTheFlag() throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, "# miroir\nadmin_api_key = from-file\n");
    assertEquals(Optional.of("from-env"), AdminClient.adminKey(Map.of("MIROIR_ADMIN_API_KEY", "from-env"), file,
        "from-flag"));
    assertEquals(Optional.of("from-file"), AdminClient.adminKey(Map.of(), file, "from-flag"));
    assertEquals(Optional.of("from-flag"), AdminClient.adminKey(Map.of(), dir.resolve("absent"), "from-flag"));
    assertEquals(Optional.empty(), AdminClient.adminKey(Map.of("MIROIR_ADMIN_API_KEY", " "), null, null));
    Files.writeString(file, "bare-key\n");
    assertEquals(Optional.of("bare-key"), AdminClient.adminKey(Map.of(), file, null));
  }

  @Test
  void anUnreachableMiroirIsAnErrorExitAndEveryCommandHasHelp() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = MiroirCtl.run(new PrintStream(bytes, true), "--url", "http://127.0.0.1:1", "--admin-key", "k",
        "status");
    assertEquals(1, code);
    ByteArrayOutputStream help = new ByteArrayOutputStream();
    assertEquals(0, MiroirCtl.run(new PrintStream(help, true), "node", "drain", "--help"));
    assertTrue(help.toString().contains("Usage: miroir-ctl node drain"), help.toString());
  }
}
