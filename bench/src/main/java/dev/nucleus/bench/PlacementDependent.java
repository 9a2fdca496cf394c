package dev.nucleus.bench;

import org.HdrHistogram.Histogram;

/**
 * A blocking mechanism measured unpinned, whose bench also measures its {@link Pinned} twin:
 * everything as {@code inner}, but its description says that its figures depend on where the
 * scheduler placed its two ends (one vCPU or two: a band of ~7-20 µs or of ~50-130 µs on this VM,
 * decided run by run), and names the pinned twin, on which the verdicts judge it ({@link
 * Targets}). The unpinned figures stay in the table, marked so.
 *
 * <p>Wrap the mechanism inside a {@link ForkedPingPong}, never a fork itself: the forked child
 * looks its mechanism up by name and unwraps only the fork.
 */
final class PlacementDependent extends DelegatingPingPong {


  private PlacementDependent(PingPong inner) {
    super(inner);
  }

  /**
   * {@code inner}, described as placement-dependent.
   *
   * @throws IllegalArgumentException if {@code inner} is a {@link ForkedPingPong}
   */
  static PlacementDependent of(PingPong inner) {
    if (inner instanceof ForkedPingPong) {
      throw new IllegalArgumentException(inner.name() + ": mark the mechanism inside the fork");
    }
    return new PlacementDependent(inner);
  }

  @Override
  public String description() {
    return inner.description()
        + "; unpinned, so placement-dependent (pinned twin: "
        + inner.name()
        + Pinned.SUFFIX
        + ")";
  }

}
