/**
 * The LRPC entries of the bench: the null call of a generated {@link dev.nucleus.bench.lrpc.Bench}
 * proxy at each distance, each next to the raw kernel call of the same placement.
 *
 * <ul>
 *   <li>{@link dev.nucleus.bench.lrpc.LrpcLocalPingPong} ({@code lrpc-local-null}): a
 *       {@code LocalBinding}, client and server in one space, no kernel call;
 *   <li>{@link dev.nucleus.bench.lrpc.LrpcThreadPingPong} ({@code lrpc-thread-null}): a
 *       {@code KernelBinding} to an {@code RpcServer} in another thread space (raw call:
 *       {@code nucleus-thread-spin});
 *   <li>{@link dev.nucleus.bench.lrpc.LrpcProcessPingPong} ({@code lrpc-process-null}): a
 *       {@code KernelBinding} to an {@code RpcServer} in a process space,
 *       {@link dev.nucleus.bench.lrpc.BenchServerComponent} (raw call: {@code nucleus-process-spin}).
 * </ul>
 *
 * <p>All spin, and time each call with {@link dev.nucleus.bench.lrpc.LrpcCallLoop}; the
 * {@code Bench} interface is compiled with the rpc processor ({@code Bench_Proxy},
 * {@code Bench_Adapter}, {@code Bench_Service} in generated sources).
 * {@code dev.nucleus.bench.jmh.LrpcBenchmark} measures the thread-space call under JMH.
 */
package dev.nucleus.bench.lrpc;
