package dev.nucleus.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The main class of a process space's JVM, started by {@link Kernel#spawnProcessSpace}:
 * attaches to the channel segment, builds the process's kernel, and runs the component.
 *
 * <pre>
 * args: channel-path space-name component-class wait-strategy adaptive-spin-ns [component args...]
 * </pre>
 *
 * The process asks Linux to kill it when its parent dies (PR_SET_PDEATHSIG), and also watches
 * the parent itself: either way, a dead root never leaves a process space behind.
 */
public final class ProcessSpaceMain {

  private static final int PR_SET_PDEATHSIG = 1;
  private static final int SIGKILL = 9;

  private ProcessSpaceMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: ProcessSpaceMain channel-path space-name component-class wait-strategy adaptive-spin-ns [args...]");
      System.exit(2);
    }
    dieWithParent();
    final ChannelSegment channel = ChannelSegment.attach(Path.of(args[0]), Long.parseLong(args[4]));
    final ChannelDescriptor.Geometry g = channel.geometry();
    final Kernel.Config config = new Kernel.Config(g.maxThreads(),
        Math.max(2, Math.max(channel.spaceA(), channel.spaceB()) + 1), g.maxEndpoints(), g.mrCount(),
        WaitStrategy.valueOf(args[3]), Duration.ofNanos(Long.parseLong(args[4])));
    final Kernel kernel = new Kernel(config, channel, args[1]);
    ProcessHandle.current().parent().ifPresent(parent -> Thread.ofPlatform().daemon().name("nucleus-parent-watch")
        .start(() -> watchParent(parent, channel)));
    final List<String> componentArgs = Arrays.asList(args).subList(5, args.length);
    try {
      final ProcessComponent component = Class.forName(args[2]).asSubclass(ProcessComponent.class)
          .getConstructor().newInstance();
      component.run(new ProcessContext(kernel.processSpace(), channel, componentArgs));
    } catch (Throwable t) {
      channel.bState(ChannelDescriptor.B_FAILED);
      System.err.println("process space " + args[1] + ": component " + args[2] + " failed");
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** Polls the parent (a non-child's exit cannot be waited for): if it has gone, so do we. */
  private static void watchParent(ProcessHandle parent, ChannelSegment channel) {
    while (parent.isAlive()) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
    channel.markSpaceDead(channel.spaceA(), ChannelSegment.SIDE_A);
    Runtime.getRuntime().halt(3);
  }

  /** prctl(PR_SET_PDEATHSIG, SIGKILL): best effort, Linux only. */
  private static void dieWithParent() {
    try {
      final Linker linker = Linker.nativeLinker();
      final MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(1));
      final int rc = (int) prctl.invokeExact(PR_SET_PDEATHSIG, (long) SIGKILL);
      if (rc != 0) {
        System.err.println("process space: prctl(PR_SET_PDEATHSIG) failed; relying on the parent watch");
      }
    } catch (Throwable t) {
      System.err.println("process space: no prctl (" + t + "); relying on the parent watch");
    }
  }
}
