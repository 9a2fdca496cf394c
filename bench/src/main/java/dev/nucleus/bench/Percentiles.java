package dev.nucleus.bench;

/** Round-trip latency percentiles in nanoseconds (the JSON {@code rtt_ns} object). */
public record Percentiles(long p50, long p90, long p99, long p999, long max) {}
