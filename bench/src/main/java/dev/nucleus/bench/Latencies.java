package dev.nucleus.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms as the harness uses them: nanoseconds, 3 significant digits, up to one minute.
 * A fixed range (rather than an auto-resizing histogram) means recording never allocates inside a
 * measured loop.
 */
public final class Latencies {

  /** The largest recordable latency; larger values are recorded as this (and show up as max). */
  public static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(1);

  private Latencies() {}

  /** A fresh histogram for one run's round trips, in ns. */
  public static Histogram newHistogram() {
    return new Histogram(HIGHEST_NS, 3);
  }

  /** Records one round trip of {@code ns} nanoseconds, clamped to [0, {@link #HIGHEST_NS}]. */
  public static void record(Histogram histogram, long ns) {
    histogram.recordValue(Math.max(0, Math.min(ns, HIGHEST_NS)));
  }
}
