package io.miroir.routing;

import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The topologies of scripts/bench, by the same names: nodes {@code n0..}, groups filled in order. */
public final class BenchTopologies {
  private BenchTopologies() {
  }

  /** {@code 1n}, {@code 3n-rf1}, {@code 3n-rf2}, {@code 4n-rg2} or {@code 16n-rf1}. */
  public static Topology of(String name) {
    return switch (name) {
      case "1n" -> build(1, 1, 1);
      case "3n-rf1" -> build(3, 1, 1);
      case "3n-rf2" -> build(3, 1, 2);
      case "4n-rg2" -> build(4, 2, 1);
      case "16n-rf1" -> build(16, 1, 1);
      default -> throw new IllegalArgumentException("unknown topology " + name);
    };
  }

  private static Topology build(int nodes, int groups, int rf) {
    List<Node> list = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      list.add(new Node("n" + i, "http://127.0.0.1:" + (7701 + i), i * groups / nodes));
    }
    return new Topology(1, rf, list, Map.of());
  }
}
