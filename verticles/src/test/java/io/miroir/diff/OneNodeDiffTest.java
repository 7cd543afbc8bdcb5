package io.miroir.diff;

/**
 * The differential suite on 1 node (RF=1, RG=1): every search is answered by one node holding every shard, which is
 * asked the client's own request (SearchPlan.soleNodeRequest) instead of a window to merge.
 */
class OneNodeDiffTest extends DifferentialSuite {
  OneNodeDiffTest() {
    super(1, 1, 1);
  }
}
