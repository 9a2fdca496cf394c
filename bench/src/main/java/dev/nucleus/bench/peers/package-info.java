/**
 * The IPC shootout's peers: the mechanisms Java users pick today, each measured as a null (or
 * fixed-size) request/response ping-pong against an echo server in another process, and judged
 * against the floor of its kind.
 *
 * <pre>
 *   bench JVM                                     child JVM (fresh per run)
 *   PeerPingPong --Peer.connect--> ChildJvm ----> EchoServerMain &lt;family&gt; key=value...
 *        |                                            prints "READY &lt;info&gt;", then echoes
 *        |  roundTrip(): request --------------------->
 *        |               response &lt;--------------------
 *        +-- StallWatchdog: no answer for 5 s -> PeerConnection.abort() -> the run throws
 * </pre>
 *
 * <p>Pieces: {@link dev.nucleus.bench.peers.Peer} (one mechanism's client and echo roles), {@link
 * dev.nucleus.bench.peers.PeerPingPong} (a peer as a bench mechanism), {@link
 * dev.nucleus.bench.peers.ChildJvm} (a bounded child JVM with the same class path), {@link
 * dev.nucleus.bench.peers.Scratch} (a per-run temporary directory, removed afterwards), {@link
 * dev.nucleus.bench.peers.Peers} (the catalogue, in table order). The kv peers ({@code GrpcKvPeer},
 * {@code RmiKvPeer}) make the LRPC entries' calls instead of an echo ({@code KvConnection}). Aeron
 * is the exception: its client needs JVM flags the bench JVM lacks, so {@link
 * dev.nucleus.bench.peers.AeronPingPong} times round trips in a second child ({@link
 * dev.nucleus.bench.peers.AeronPingerMain}) and reads back its histogram.
 *
 * <p>Hygiene: every child exits when the bench JVM goes away (EOF on stdin, or the parent process
 * gone), is killed at the end of its run, and leaves no file behind: sockets, FIFOs and Aeron's
 * media-driver directory live in the run's scratch directory, POSIX queues are unlinked as soon
 * as both sides have opened them, and child JVMs run without perf-data files.
 */
package dev.nucleus.bench.peers;
