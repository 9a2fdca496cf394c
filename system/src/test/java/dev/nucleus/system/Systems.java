package dev.nucleus.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers of the root task's tests. */
final class Systems {

  private Systems() {}

  /** The descriptor in {@code toml}, its classes loaded by the tests' loader. */
  static SystemDescriptor parse(String toml) throws DescriptorException {
    return SystemDescriptor.parse(toml, Path.of("test.toml"), Systems.class.getClassLoader());
  }

  /** The status of component {@code name}. */
  static ComponentStatus component(RootTask root, String name) {
    return root.status().components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /** Waits until {@code condition} holds, looking every few ms; fails after {@code limit}. */
  static void until(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    final long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      Thread.sleep(5);
    }
  }
}
