package io.miroir.it;

/** The core acceptance points on 3 nodes, RF=2, RG=1. */
class Rg1Rf2CoreTest extends CoreBehaviourTest {
  Rg1Rf2CoreTest() {
    super(3, 2, 1);
  }
}
