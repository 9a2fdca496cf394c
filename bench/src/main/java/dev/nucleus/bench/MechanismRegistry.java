package dev.nucleus.bench;

import dev.nucleus.bench.lrpc.HandoffFloor;
import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.lrpc.LrpcBulkPingPong;
import dev.nucleus.bench.lrpc.LrpcLocalPingPong;
import dev.nucleus.bench.lrpc.MemcpyFloor;
import dev.nucleus.bench.lrpc.LrpcProcessPingPong;
import dev.nucleus.bench.lrpc.LrpcThreadPingPong;
import dev.nucleus.bench.oneway.LinePingPong;
import dev.nucleus.bench.oneway.QueuePingPong;
import dev.nucleus.bench.peers.Peers;
import dev.nucleus.kernel.WaitStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mechanisms a bench can run, by unique name, in a stable order (the order of tables, JSON and
 * runs). Immutable: {@link #with} returns a new registry.
 *
 * <p>To add mechanisms, either list them in {@link #defaults()} (what {@code nucleus bench} uses),
 * or build your own: {@code MechanismRegistry.withFloors(List.of(mySpin, myBlock))} or {@code
 * MechanismRegistry.defaults().with(mySpin)}.
 */
public final class MechanismRegistry {

  /** Floor names: what {@link PingPong#floor()} of other mechanisms refers to. */
  public static final String FLOOR_C_SPIN = "floor-c-spin";

  public static final String FLOOR_C_FUTEX = "floor-c-futex";
  public static final String FLOOR_JAVA_SPIN = "floor-java-spin";
  /** Two JVMs, one line each way: the floor under {@code queue-pingpong-process} ({@link LinePingPong}). */
  public static final String FLOOR_JAVA_PROCESS_SPIN = "floor-java-process-spin";

  /** The blocking pair judged head to head ({@link Targets}), pinned: {@link #pinnedBlocking()}. */
  static final String NUCLEUS_PROCESS_BLOCK = "nucleus-process-block";

  static final String PIPE = "pipe";

  /** The LRPC null call within one space ({@link LrpcLocalPingPong}). */
  public static final String LRPC_LOCAL_NULL = "lrpc-local-null";

  /** The LRPC null call between two thread spaces ({@link LrpcThreadPingPong}). */
  public static final String LRPC_THREAD_NULL = "lrpc-thread-null";

  /** The LRPC null call to a process space ({@link LrpcProcessPingPong}); part of {@code --quick}. */
  public static final String LRPC_PROCESS_NULL = "lrpc-process-null";
  /** {@link #LRPC_PROCESS_NULL} with call lanes off: every call a kernel call; part of {@code --quick}. */
  public static final String LRPC_PROCESS_NULL_KERNEL = "lrpc-process-null-kernel";
  /** Argument sizes of the bulk LRPC entries ({@code lrpc-process-1KiB} ...): issue 12's. */
  public static final int[] LRPC_BULK_BYTES = {1 << 10, 64 << 10, 1 << 20};

  /**
   * The LRPC entries' null call as a gRPC unary call over TCP loopback ({@code Peers.kv}), which
   * {@link #LRPC_PROCESS_NULL} must beat at least 100-fold (issue 12).
   */
  public static final String GRPC_KV_NULL = "grpc-kv-null";

  /** The raw kernel call between thread spaces that {@link #LRPC_THREAD_NULL} is judged against. */
  static final String NUCLEUS_THREAD_SPIN = "nucleus-thread-spin";

  /** The raw kernel call to a process space that {@link #LRPC_PROCESS_NULL} is judged against. */
  static final String NUCLEUS_PROCESS_SPIN = "nucleus-process-spin";

  private final Map<String, PingPong> byName;

  /**
   * A registry of exactly these mechanisms, in this order.
   *
   * @throws IllegalArgumentException on a duplicate or blank name
   */
  public MechanismRegistry(List<? extends PingPong> mechanisms) {
    Map<String, PingPong> map = new LinkedHashMap<>();
    for (PingPong m : mechanisms) {
      String name = m.name();
      if (name == null || name.isBlank())
        throw new IllegalArgumentException("blank mechanism name");
      if (map.putIfAbsent(name, m) != null) {
        throw new IllegalArgumentException("duplicate mechanism name: " + name);
      }
    }
    this.byName = map;
  }

  /**
   * The three floors, in the order they run: C spin, C futex, Java spin. Like every mechanism whose
   * two sides share a JVM, the Java floor runs in a fresh JVM per run ({@link ForkedPingPong}). The
   * futex floor is described as placement-dependent: {@link #pinnedBlocking()} has its pinned twin.
   */
  public static List<PingPong> floors() {
    return List.of(
        CFloor.spin(),
        PlacementDependent.of(CFloor.futex()),
        ForkedPingPong.of(new JavaSpinFloor()));
  }

  /** The floors followed by {@code extras}, in order. */
  public static MechanismRegistry withFloors(List<? extends PingPong> extras) {
    List<PingPong> all = new ArrayList<>(floors());
    all.addAll(extras);
    return new MechanismRegistry(all);
  }

  /**
   * What {@code nucleus bench} runs, in this order: the floors; Nucleus between thread spaces;
   * Nucleus between process spaces ({@link #nucleusProcessSpaces()}); the LRPC null calls
   * ({@link #lrpc()}) and the same call over gRPC and RMI ({@link Peers#kv}); the round trip over two
   * one-way queues ({@link QueuePingPong}); the peers users pick today
   * between two processes; the blocking pair and its floor pinned to one CPU ({@link
   * #pinnedBlocking()}); the peers' in-JVM variants; then the message-size sweep (Nucleus with
   * {@link MessageSize#SWEEP_WORDS} message registers, the peers with {@link
   * MessageSize#SWEEP_BYTES}), whose members say {@link MessageSize#sweep()}. The unpinned members
   * of the pinned pair ({@code nucleus-process-block}, {@code pipe}, {@code floor-c-futex}) stay,
   * described as placement-dependent.
   */
  public static MechanismRegistry defaults() {
    List<PingPong> all = new ArrayList<>(nucleusThreadSpaces());
    all.addAll(nucleusProcessSpaces());
    all.addAll(lrpc());
    all.addAll(Peers.kv(0)); // the same call over gRPC and RMI, right after the LRPC entries (not --quick)
    // A round trip over two one-way queues, right after the same two JVMs with no protocol (not --quick).
    all.add(ForkedPingPong.of(new LinePingPong()));
    all.add(ForkedPingPong.of(new QueuePingPong()));
    for (PingPong peer : Peers.twoProcess()) {
      all.add(peer.name().equals(PIPE) ? PlacementDependent.of(peer) : peer);
    }
    all.addAll(pinnedBlocking());
    // LRPC with bulk arguments against one memcpy of the same size, each followed by the same
    // call over gRPC and RMI where cheap (size-sweep members: full runs only).
    for (int bytes : LRPC_BULK_BYTES) {
      all.add(new MemcpyFloor(bytes));
      all.add(ForkedPingPong.of(new HandoffFloor(bytes), ChildJvm.TOUCHED_HEAP)); // it allocates, as the server does
      all.add(ForkedPingPong.of(new LrpcBulkPingPong(bytes)));
      if (Arrays.stream(Peers.KV_BULK_BYTES).anyMatch(kv -> kv == bytes)) {
        all.addAll(Peers.kv(bytes));
      }
    }
    Peers.inJvm().forEach(m -> all.add(ForkedPingPong.of(m)));
    for (WaitStrategy s : List.of(WaitStrategy.SPIN, WaitStrategy.BLOCK)) {
      for (int words : MessageSize.SWEEP_WORDS) {
        all.add(ForkedPingPong.of(new NucleusThreadPingPong(s, words)));
      }
    }
    all.addAll(Peers.sweep());
    return withFloors(all);
  }

  /**
   * Nucleus null calls between two thread spaces of one kernel, one per wait strategy, each run in
   * a fresh JVM ({@link ForkedPingPong}).
   */
  public static List<PingPong> nucleusThreadSpaces() {
    return List.of(
        ForkedPingPong.of(new NucleusThreadPingPong(WaitStrategy.SPIN)),
        ForkedPingPong.of(new NucleusThreadPingPong(WaitStrategy.BLOCK)),
        ForkedPingPong.of(new NucleusThreadPingPong(WaitStrategy.ADAPTIVE)));
  }

  /**
   * Nucleus null calls between two process spaces, one per wait strategy: the client in a fresh JVM
   * per run ({@link ForkedPingPong}), the echo server in a process space it spawns. They run right after the thread-space entries, against
   * {@code floor-c-spin} (spin, adaptive) or {@code floor-c-futex} (block). To join the size sweep
   * and its chart, the class would need a {@code words} argument and a {@link
   * PingPong#messageSize()} as {@link NucleusThreadPingPong} has.
   */
  public static List<PingPong> nucleusProcessSpaces() {
    return List.of(
        ForkedPingPong.of(new NucleusProcessPingPong(WaitStrategy.SPIN)),
        ForkedPingPong.of(PlacementDependent.of(new NucleusProcessPingPong(WaitStrategy.BLOCK))),
        ForkedPingPong.of(new NucleusProcessPingPong(WaitStrategy.ADAPTIVE)),
        // The other way round: a server of client processes, receiving over two tables. Spin
        // only: it shows that cost most plainly, and --quick must stay under two minutes.
        ForkedPingPong.of(new NucleusRootServerPingPong(WaitStrategy.SPIN)));
  }

  /**
   * The LRPC null call through a generated proxy, nearest first: within one space
   * ({@code lrpc-local-null}), between two thread spaces ({@code lrpc-thread-null}, next to
   * {@code nucleus-thread-spin}) and to a process space ({@code lrpc-process-null}, next to
   * {@code nucleus-process-spin}); all spinning, each in a fresh JVM per run
   * ({@link ForkedPingPong}) as the raw entries are. Not size-sweep members, so {@code --quick}
   * runs them: it must show {@code lrpc-process-null} against the raw call and the floor.
   */
  public static List<PingPong> lrpc() {
    return List.of(
        ForkedPingPong.of(new LrpcLocalPingPong()),
        ForkedPingPong.of(new LrpcThreadPingPong()),
        ForkedPingPong.of(new LrpcProcessPingPong(false)),
        ForkedPingPong.of(new LrpcProcessPingPong()));
  }

  /**
   * The blocking pair that is judged head to head, and its floor, each with both ends pinned to
   * one CPU ({@link Pinned#onOneCpu}, the same CPU for all three): {@code floor-c-futex-pinned},
   * {@code nucleus-process-block-pinned} (judged against the former) and {@code pipe-pinned}.
   * Pinned, every hand-off is a context switch on that CPU, never a halted vCPU to wake, whichever
   * way the scheduler would have placed the ends; the verdict of "no worse than pipe" is taken
   * here (see {@link Targets}).
   *
   * <p>The Nucleus client runs in the bench JVM, not forked: so does the pipe's client, which
   * places the two alike (client on the bench thread, echo server in a fresh JVM), and it starts
   * one JVM per run instead of three, which keeps {@code --quick} under two minutes. Its profile
   * is its own: no other Nucleus entry runs in the bench JVM.
   */
  public static List<PingPong> pinnedBlocking() {
    final PingPong pipe =
        Peers.twoProcess().stream().filter(m -> m.name().equals(PIPE)).findFirst().orElseThrow();
    return List.of(
        Pinned.onOneCpu(CFloor.futex()),
        Pinned.onOneCpu(new NucleusProcessPingPong(WaitStrategy.BLOCK)),
        Pinned.onOneCpu(pipe));
  }

  /**
   * Whether {@code m} is one of the peers' in-JVM variants ({@code unix-socket-jvm},
   * {@code tcp-loopback-jvm}, {@code aeron-ipc-jvm}, {@code grpc-inprocess}). {@code nucleus bench
   * --quick} leaves them out: each run of one starts a JVM, and what the targets judge is the
   * comparison across processes. Full runs and {@code --only} include them.
   */
  public static boolean isInJvmPeer(PingPong m) {
    return IN_JVM_PEERS.contains(m.name());
  }

  /**
   * Whether {@code m} is a null call of the kv peers ({@code grpc-kv-null}, {@code rmi-kv-null}:
   * the LRPC entries' call over gRPC and RMI). {@code nucleus bench --quick} leaves them out: with
   * them it took longer than its two minutes (each run of one starts a JVM, and gRPC's takes
   * seconds at 2,400 calls a run). Full runs and {@code --only} include them, and the target on
   * {@code grpc-kv-null} is judged there.
   */
  public static boolean isKvPeer(PingPong m) {
    return KV_PEERS.contains(m.name());
  }

  /**
   * Whether {@code m} is {@code queue-pingpong-process}, the round trip over two one-way queues, or
   * {@code floor-java-process-spin}, the same two JVMs with no protocol, which reads it. {@code
   * nucleus bench --quick} leaves them out (it checks the one-way queues by their throughput
   * against Aeron, in a few seconds); full runs and {@code --only} include them, and the target.
   */
  public static boolean isQueuePingPong(PingPong m) {
    return m.name().equals(Targets.QUEUE_PINGPONG_PROCESS) || m.name().equals(FLOOR_JAVA_PROCESS_SPIN);
  }

  private static final Set<String> KV_PEERS = Set.copyOf(Peers.kv(0).stream().map(PingPong::name).toList());

  private static final Set<String> IN_JVM_PEERS =
      Set.copyOf(Peers.inJvm().stream().map(PingPong::name).toList());

  /** A new registry with {@code extras} appended after this one's mechanisms. */
  public MechanismRegistry with(PingPong... extras) {
    List<PingPong> all = new ArrayList<>(byName.values());
    all.addAll(List.of(extras));
    return new MechanismRegistry(all);
  }

  /** Every mechanism, in registry order. */
  public List<PingPong> all() {
    return List.copyOf(byName.values());
  }

  /** Every name, in registry order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /**
   * The named mechanisms, in registry order (not selection order); duplicates and surrounding
   * blanks in {@code names} are ignored.
   *
   * @throws UnknownMechanismException if any name is not registered (the message lists the known
   *     ones)
   */
  public List<PingPong> select(Collection<String> names) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String n : names) {
      if (!n.isBlank()) wanted.add(n.strip());
    }
    List<String> unknown = wanted.stream().filter(n -> !byName.containsKey(n)).toList();
    if (!unknown.isEmpty()) throw new UnknownMechanismException(unknown, names());
    return byName.values().stream().filter(m -> wanted.contains(m.name())).toList();
  }
}
