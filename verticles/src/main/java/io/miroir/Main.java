package io.miroir;

public final class Main {
  public static void main(String[] args) {
  }
}
