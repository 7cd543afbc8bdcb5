package io.miroir.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mode A (SPEC §5): one owner per key among live members; a departure moves only the departed member's keys. */
class OwnershipTest {
  @Test
  void everyKeyHasOneOwnerAndOnlyTheDeadMembersKeysMove() {
    List<String> three = List.of("member-a", "member-b", "member-c");
    List<String> two = List.of("member-a", "member-c");
    Map<String, Integer> load = new HashMap<>();
    int moved = 0;
    for (int i = 0; i < 3_000; i++) {
      String key = "task:" + i;
      String before = Ownership.ownerOf(key, three);
      String after = Ownership.ownerOf(key, two);
      load.merge(before, 1, Integer::sum);
      if (!before.equals(after)) {
        moved++;
        assertEquals("member-b", before, "only keys of the member that left move: " + key);
      }
      assertEquals(before, Ownership.ownerOf(key, List.of("member-c", "member-b", "member-a")),
          "the owner does not depend on list order");
    }
    assertEquals(load.get("member-b").intValue(), moved);
    load.values().forEach(n -> assertTrue(n > 800 && n < 1200, "balanced: " + load));
  }

  @Test
  void aSingleProcessOwnsEverything() {
    Ownership alone = Ownership.single("local");
    assertTrue(alone.owns("sweeper:tasks"));
    assertTrue(alone.owns("canary:7"));
  }
}
