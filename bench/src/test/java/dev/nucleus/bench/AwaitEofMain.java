package dev.nucleus.bench;

import dev.nucleus.bench.peers.ChildJvm;

/** A child JVM for tests: prints {@code READY}, then waits for EOF on stdin and exits. */
public final class AwaitEofMain {

  private AwaitEofMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println(ChildJvm.READY);
    System.out.flush();
    while (System.in.read() >= 0) {
      // nothing to do until the parent closes stdin
    }
  }
}
