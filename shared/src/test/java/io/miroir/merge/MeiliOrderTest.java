package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The orderings Meilisearch uses (milli score_details.rs compare_sort_values, lib.rs normalize_facet). */
class MeiliOrderTest {

  @Test
  void stringsCompareByCodePointLikeRust() {
    String emoji = new String(Character.toChars(0x1F600));
    assertTrue(MeiliOrder.compareUtf8(emoji, "\uFFFD") > 0, "U+1F600 is above U+FFFD, unlike UTF-16 order");
    assertTrue("\uFFFD".compareTo(emoji) > 0, "Java's own order differs here");
    assertTrue(MeiliOrder.compareUtf8("a", "b") < 0);
    assertTrue(MeiliOrder.compareUtf8("ab", "a") > 0);
  }

  @Test
  void facetValuesNormalizeByTrimNfkdAndLowercase() {
    assertEquals("action", MeiliOrder.normalizeFacet("Action"));
    assertEquals("e\u0301clair", MeiliOrder.normalizeFacet("  Éclair\u00A0"));
    assertEquals("eclair", MeiliOrder.lossyNormalize("Éclair"));
    assertEquals("fi", MeiliOrder.normalizeFacet("\uFB01"), "compatibility decomposition of the ligature");
  }

  @Test
  void sortValuesPutNumbersFirstAndMissingLastInBothDirections() {
    assertTrue(MeiliOrder.compareSortValues(true, 1.0, "a") > 0);
    assertTrue(MeiliOrder.compareSortValues(false, 1.0, "a") > 0);
    assertTrue(MeiliOrder.compareSortValues(true, "a", null) > 0);
    assertTrue(MeiliOrder.compareSortValues(false, null, 5.0) < 0);
    assertTrue(MeiliOrder.compareSortValues(true, 1.5, 2.0) > 0, "ascending: the smaller ranks first");
    assertTrue(MeiliOrder.compareSortValues(false, 1.5, 2.0) < 0);
    assertTrue(MeiliOrder.compareSortValues(true, "abc", "abd") > 0);
    assertEquals(0, MeiliOrder.compareSortValues(true, true, false), "other types are equal");
  }

  @Test
  void rustNumberDisplayIsRecognized() {
    assertTrue(MeiliOrder.looksLikeRustNumber("2019"));
    assertTrue(MeiliOrder.looksLikeRustNumber("-1.5"));
    assertFalse(MeiliOrder.looksLikeRustNumber("2019.0"), "Rust prints 2019.0 as 2019");
    assertFalse(MeiliOrder.looksLikeRustNumber("1e5"));
    assertFalse(MeiliOrder.looksLikeRustNumber("007"));
  }
}
