package io.miroir.diff;

/** The differential suite on 3 nodes, RF=2, RG=1. */
class Rg1Rf2DiffTest extends DifferentialSuite {
  Rg1Rf2DiffTest() {
    super(3, 2, 1);
  }
}
