package io.miroir.it;

/** The core acceptance points on 4 nodes, RF=1, RG=2. */
class Rg2Rf1CoreTest extends CoreBehaviourTest {
  Rg2Rf1CoreTest() {
    super(4, 1, 2);
  }
}
