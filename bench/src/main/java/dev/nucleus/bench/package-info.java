/**
 * The measuring stick: a ping-pong harness that times every round trip of pluggable mechanisms
 * ({@link dev.nucleus.bench.PingPong}) and compares each to a floor measured in the same run.
 *
 * <p>Pieces: {@link dev.nucleus.bench.MechanismRegistry} (what can run, stable order), {@link
 * dev.nucleus.bench.BenchPlan} (how much), {@link dev.nucleus.bench.BenchRunner} (runs,
 * interleaved, progress), {@link dev.nucleus.bench.BenchReport} (medians across runs, ratios to
 * floors), {@link dev.nucleus.bench.ReportTable}, {@link dev.nucleus.bench.ReportJson} and {@link
 * dev.nucleus.bench.ReportChart} (output). Floors: {@link dev.nucleus.bench.CFloor} (C spin and
 * futex, two processes) and {@link dev.nucleus.bench.JavaSpinFloor} (two Java threads). The IPC
 * mechanisms users pick today (pipes, sockets, POSIX mq, Aeron, gRPC, RMI) are in {@link
 * dev.nucleus.bench.peers}; the LRPC null calls through generated proxies in {@link
 * dev.nucleus.bench.lrpc}; one-way throughput and the queue ping-pong in {@link
 * dev.nucleus.bench.oneway}; {@link dev.nucleus.bench.MessageSize} ties a mechanism to its
 * message-size sweep. The CLI ({@code nucleus bench}) only parses options and calls these.
 */
package dev.nucleus.bench;
