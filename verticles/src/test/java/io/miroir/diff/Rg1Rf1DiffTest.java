package io.miroir.diff;

/** The differential suite on 3 nodes, RF=1, RG=1. */
class Rg1Rf1DiffTest extends DifferentialSuite {
  Rg1Rf1DiffTest() {
    super(3, 1, 1);
  }
}
