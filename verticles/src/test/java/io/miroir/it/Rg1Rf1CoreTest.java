package io.miroir.it;

/** The core acceptance points on 3 nodes, RF=1, RG=1. */
class Rg1Rf1CoreTest extends CoreBehaviourTest {
  Rg1Rf1CoreTest() {
    super(3, 1, 1);
  }
}
