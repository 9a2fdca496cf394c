package dev.nucleus.bench;

import dev.nucleus.bench.peers.Peers;
import dev.nucleus.kernel.WaitStrategy;
import java.util.ArrayList;
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
   * two sides share a JVM, the Java floor runs in a fresh JVM per run ({@link ForkedPingPong}).
   */
  public static List<PingPong> floors() {
    return List.of(CFloor.spin(), CFloor.futex(), ForkedPingPong.of(new JavaSpinFloor()));
  }

  /** The floors followed by {@code extras}, in order. */
  public static MechanismRegistry withFloors(List<? extends PingPong> extras) {
    List<PingPong> all = new ArrayList<>(floors());
    all.addAll(extras);
    return new MechanismRegistry(all);
  }

  /**
   * What {@code nucleus bench} runs, in this order: the floors; Nucleus between thread spaces;
   * Nucleus between process spaces ({@link #nucleusProcessSpaces()}); the peers users pick today
   * between two processes, then their in-JVM variants; then the message-size sweep (Nucleus with
   * {@link MessageSize#SWEEP_WORDS} message registers, the peers with {@link
   * MessageSize#SWEEP_BYTES}), whose members say {@link MessageSize#sweep()}.
   */
  public static MechanismRegistry defaults() {
    List<PingPong> all = new ArrayList<>(nucleusThreadSpaces());
    all.addAll(nucleusProcessSpaces());
    all.addAll(Peers.twoProcess());
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
        ForkedPingPong.of(new NucleusProcessPingPong(WaitStrategy.BLOCK)),
        ForkedPingPong.of(new NucleusProcessPingPong(WaitStrategy.ADAPTIVE)),
        // The other way round: a server of client processes, receiving over two tables. Spin
        // only: it shows that cost most plainly, and --quick must stay under two minutes.
        ForkedPingPong.of(new NucleusRootServerPingPong(WaitStrategy.SPIN)));
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
