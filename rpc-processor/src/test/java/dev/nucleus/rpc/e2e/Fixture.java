package dev.nucleus.rpc.e2e;

import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.Space;

/** A kernel and one space for local bindings: the space client and server share. */
final class Fixture implements AutoCloseable {
  final Kernel kernel = Kernel.create();
  final Space space = kernel.createSpace("rpc-test");

  @Override
  public void close() {
    kernel.close();
  }
}
