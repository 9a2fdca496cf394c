package dev.nucleus.bench;

import org.HdrHistogram.Histogram;

/**
 * A mechanism that wraps another ({@link ForkedPingPong}, {@link Pinned},
 * {@link PlacementDependent}): everything is {@code inner}'s unless the wrapper says otherwise,
 * so each wrapper shows only what it changes.
 */
abstract class DelegatingPingPong implements PingPong {

  /** The mechanism wrapped. */
  protected final PingPong inner;

  DelegatingPingPong(PingPong inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public String floor() {
    return inner.floor();
  }

  @Override
  public String unavailableReason() {
    return inner.unavailableReason();
  }

  @Override
  public String description() {
    return inner.description();
  }

  @Override
  public int defaultIterations() {
    return inner.defaultIterations();
  }

  @Override
  public int defaultWarmup() {
    return inner.defaultWarmup();
  }

  @Override
  public MessageSize messageSize() {
    return inner.messageSize();
  }

  @Override
  public Allocation lastAllocation() {
    return inner.lastAllocation();
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    inner.run(warmup, iterations, roundTripsNs);
  }
}
