package dev.nucleus.system;

/** Where a component runs: the descriptor's {@code isolation} key. */
public enum Isolation {
  /** A thread space of the root JVM ({@code "thread"}, the default): cheapest, shares the heap. */
  THREAD,
  /**
   * A process space: a JVM of its own ({@code "process"}), started with the component's
   * {@code jvm-options}; a crash, even in native code, cannot take down another component.
   */
  PROCESS
}
