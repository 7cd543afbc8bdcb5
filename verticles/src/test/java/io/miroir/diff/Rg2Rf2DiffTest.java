package io.miroir.diff;

/** The differential suite on 4 nodes, RF=2, RG=2 (two groups of two). */
class Rg2Rf2DiffTest extends DifferentialSuite {
  Rg2Rf2DiffTest() {
    super(4, 2, 2);
  }
}
