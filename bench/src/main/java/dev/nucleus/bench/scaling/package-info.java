/**
 * The scaling series of the bench (issue 15, item 2): throughput against the number of concurrent
 * clients. {@code lrpc-scaling}: LRPC {@code Bench.echo} calls from 1, 2, 4 ... 64 client threads
 * in up to 4 client processes on one {@code RpcServer} pool in the bench JVM, every reply checked
 * by its client and every request by the server.
 *
 * <p>Pieces: {@link dev.nucleus.bench.scaling.ScalingSeries} (a session),
 * {@link dev.nucleus.bench.scaling.ScalingPlan} (counts, spread, timing), the bench JVM's side
 * ({@code ScalingConductor} drives the steps, {@code ClientProcesses} starts and watches the
 * clients, {@code SequenceLedger} is the checking server), the clients' side
 * ({@link dev.nucleus.bench.scaling.ScalingClientProcess}, {@code ScalingClient},
 * {@code CommandBoard}), the control region between them ({@code ControlDescriptor},
 * {@code ControlFlyweight}, {@code Command}), and the output:
 * {@link dev.nucleus.bench.scaling.ScalingRunner}, {@link dev.nucleus.bench.scaling.ScalingTable},
 * {@link dev.nucleus.bench.scaling.ScalingJson}.
 */
package dev.nucleus.bench.scaling;
