package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The global order of document listings over shards (D3). */
class DocumentOrderTest {
  private static List<Object> docs(String json) {
    return new JsonArray(json.replace('\'', '"')).getList();
  }

  private static List<Object> ids(List<Object> docs) {
    List<Object> out = new ArrayList<>();
    docs.forEach(d -> out.add(MeiliOrder.asMap(d).get("id")));
    return out;
  }

  @Test
  void pagesOfTheConcatenationAndEachNodesPart() {
    List<List<Object>> lists = List.of(docs("[{'id':1},{'id':2}]"), docs("[{'id':3}]"), docs("[{'id':4},{'id':5}]"));
    assertEquals(List.of(1, 2, 3), ids(DocumentOrder.window(lists, 0, 3)));
    assertEquals(List.of(2, 3, 4), ids(DocumentOrder.window(lists, 1, 3)));
    List<long[]> ranges = DocumentOrder.ranges(List.of(2L, 1L, 2L), 1, 3);
    assertArrayEquals(new long[] {1, 1}, ranges.get(0));
    assertArrayEquals(new long[] {0, 1}, ranges.get(1));
    assertArrayEquals(new long[] {0, 1}, ranges.get(2));
    List<long[]> late = DocumentOrder.ranges(List.of(2L, 1L, 2L), 3, 10);
    assertNull(late.get(0));
    assertNull(late.get(1));
    assertArrayEquals(new long[] {0, 2}, late.get(2));
    assertNull(DocumentOrder.ranges(List.of(2L), 5, 10).get(0));
  }

  @Test
  void sortedListsMergeAsANodeSortsDocuments() {
    // Numbers before strings in both directions; strings by normalized text; equal values keep node order.
    List<List<Object>> asc = List.of(docs("[{'id':1,'v':-1.5},{'id':3,'v':5},{'id':5,'v':'A'},{'id':7,'v':'b'}]"),
        docs("[{'id':2,'v':2},{'id':4,'v':5},{'id':6,'v':'a'},{'id':8,'v':true}]"));
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), ids(DocumentOrder.mergeSorted(asc, List.of("v:asc"), 0, 10)));
    List<List<Object>> desc = List.of(docs("[{'id':3,'v':5},{'id':1,'v':-1.5},{'id':8,'v':true},{'id':7,'v':'b'}]"),
        docs("[{'id':4,'v':5},{'id':2,'v':2},{'id':5,'v':'A'}]"));
    assertEquals(List.of(3, 4, 2, 1, 8, 7, 5), ids(DocumentOrder.mergeSorted(desc, List.of("v:desc"), 0, 10)));
    assertEquals(List.of(2, 1), ids(DocumentOrder.mergeSorted(desc, List.of("v:desc"), 2, 2)));
  }

  @Test
  void aDocumentWithTwoValuesIsListedAtEachOfThem() {
    // A node lists {id 7, v [3, "z"]} twice: among the numbers at 3 and among the strings at "z".
    List<List<Object>> lists = List.of(docs("[{'id':7,'v':[3,'z']},{'id':1,'v':5},{'id':7,'v':[3,'z']}]"),
        docs("[{'id':2,'v':4},{'id':9,'v':'a'}]"));
    assertEquals(List.of(7, 2, 1, 9, 7), ids(DocumentOrder.mergeSorted(lists, List.of("v:asc"), 0, 10)));
  }

  @Test
  void severalRulesAndGeoDistances() {
    List<List<Object>> lists = List.of(docs("[{'id':1,'a':1,'b':2},{'id':3,'a':2,'b':1}]"),
        docs("[{'id':2,'a':1,'b':3},{'id':4,'a':2,'b':0}]"));
    assertEquals(List.of(2, 1, 3, 4), ids(DocumentOrder.mergeSorted(lists, List.of("a:asc", "b:desc"), 0, 10)));
    List<List<Object>> geo = List.of(docs("[{'id':1,'_geo':{'lat':48.86,'lng':2.35}},{'id':3,'_geo':{'lat':"
        + "'35.0','lng':'135.7'}}]"), docs("[{'id':2,'_geo':{'lat':50.0,'lng':2.35}},{'id':4}]"));
    assertEquals(List.of(1, 2, 3, 4), ids(DocumentOrder.mergeSorted(geo, List.of("_geoPoint(48.85, 2.35):asc"), 0,
        10)));
    assertEquals(List.of("_geo", "a", "author.name"), DocumentOrder.sortAttributes(List.of(
        "_geoPoint(1, 2):desc", "a:asc", "author.name:desc")));
    assertEquals(111_195, DocumentOrder.distance(0, 0, 1, 0), 1.0);
  }

  @Test
  void mergedDocumentsAreJsonObjects() {
    List<Object> out = DocumentOrder.mergeSorted(List.of(docs("[{'id':1,'v':1}]")), List.of("v:asc"), 0, 1);
    assertEquals(new JsonObject().put("id", 1).put("v", 1), out.get(0));
  }
}
