package io.miroir.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meilisearch.sdk.Client;
import com.meilisearch.sdk.Config;
import com.meilisearch.sdk.Index;
import com.meilisearch.sdk.exceptions.MeilisearchApiException;
import com.meilisearch.sdk.model.SearchResult;
import com.meilisearch.sdk.model.Settings;
import com.meilisearch.sdk.model.TaskInfo;
import com.meilisearch.sdk.model.TaskStatus;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import java.util.HashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The official Java SDK, pointed at Miroir, works unchanged (SPEC §0 principle 4). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialSdkTest {
  private MiroirHarness miroir;
  private Client client;

  @BeforeAll
  void start() {
    miroir = MiroirHarness.start(MeiliNodes.shared().nodes(3), 1, 1, 8);
    client = new Client(new Config(miroir.url(), MiroirHarness.MASTER_KEY));
  }

  @AfterAll
  void stop() {
    miroir.close();
  }

  @Test
  void createAddWaitSearchSettingsDelete() {
    TaskInfo created = client.createIndex("sdk_movies", "id");
    client.waitForTask(created.getTaskUid());
    assertEquals(TaskStatus.SUCCEEDED, client.getTask(created.getTaskUid()).getStatus());

    Index index = client.index("sdk_movies");
    String docs = "[{\"id\":1,\"title\":\"Carol\",\"genre\":\"romance\"},"
        + "{\"id\":2,\"title\":\"Wonder Woman\",\"genre\":\"action\"},"
        + "{\"id\":3,\"title\":\"Life of Pi\",\"genre\":\"adventure\"},"
        + "{\"id\":4,\"title\":\"Mad Max\",\"genre\":\"action\"}]";
    TaskInfo added = index.addDocuments(docs);
    index.waitForTask(added.getTaskUid());
    assertEquals(TaskStatus.SUCCEEDED, client.getTask(added.getTaskUid()).getStatus());

    SearchResult result = index.search("wonder");
    assertEquals(1, result.getHits().size());
    assertEquals("Wonder Woman", result.getHits().get(0).get("title"));

    Settings settings = new Settings();
    settings.setFilterableAttributes(new String[] {"genre"});
    HashMap<String, String[]> synonyms = new HashMap<>();
    synonyms.put("film", new String[] {"movie"});
    settings.setSynonyms(synonyms);
    TaskInfo updated = index.updateSettings(settings);
    index.waitForTask(updated.getTaskUid());
    assertEquals(TaskStatus.SUCCEEDED, client.getTask(updated.getTaskUid()).getStatus());
    Settings read = index.getSettings();
    assertEquals(1, read.getFilterableAttributes().length, "reserved field hidden from the SDK");
    assertEquals("genre", read.getFilterableAttributes()[0]);
    assertTrue(read.getSynonyms().containsKey("film"));

    TaskInfo deleted = client.deleteIndex("sdk_movies");
    client.waitForTask(deleted.getTaskUid());
    MeilisearchApiException missing = assertThrows(MeilisearchApiException.class,
        () -> client.index("sdk_movies").search("x"));
    assertEquals("index_not_found", missing.getCode());
  }
}
