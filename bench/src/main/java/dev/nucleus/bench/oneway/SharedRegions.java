package dev.nucleus.bench.oneway;

/** Whether the entries that put their memory in a {@code SharedRegion} can run here. */
final class SharedRegions {

  private SharedRegions() {}

  /**
   * Why they cannot run here, or null where they can.
   *
   * @return "shared regions need Linux" off Linux, else null
   */
  static String unavailableReason() {
    return System.getProperty("os.name", "").toLowerCase().contains("linux") ? null : "shared regions need Linux";
  }
}
