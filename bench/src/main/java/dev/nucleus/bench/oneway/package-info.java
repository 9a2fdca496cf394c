/**
 * One-way throughput and the queue ping-pong (issue 13): a stream of 8- or 56-byte messages from
 * a busy-spinning sender to a busy-spinning receiver, over a Nucleus queue between two processes
 * ({@code queue-process}) or two threads ({@code queue-thread}) and over the peers users pick for
 * it (Aeron IPC, Agrona's {@code OneToOneRingBuffer}, JCTools' {@code SpscArrayQueue}); and a
 * round trip over two queues ({@link dev.nucleus.bench.oneway.QueuePingPong}).
 *
 * <p>Pieces: {@link dev.nucleus.bench.oneway.ThroughputLoop} (the two loops every entry shares:
 * counts, checks, times), the ends of each mechanism ({@code QueueEnds}, {@code AeronEnds},
 * {@code AgronaEnds}, {@code JctoolsEnds}), {@link dev.nucleus.bench.oneway.OneWayMechanism} (a
 * session in child JVMs, {@link dev.nucleus.bench.oneway.OneWayMain}), {@link
 * dev.nucleus.bench.oneway.OneWayRunner}, and the output: {@link
 * dev.nucleus.bench.oneway.OneWayTable}, {@link dev.nucleus.bench.oneway.OneWayJson}, {@link
 * dev.nucleus.bench.oneway.OneWayTargets}.
 */
package dev.nucleus.bench.oneway;
