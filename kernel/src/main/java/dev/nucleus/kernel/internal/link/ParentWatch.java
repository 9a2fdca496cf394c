package dev.nucleus.kernel.internal.link;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Makes a process space die with its root, in every order of events: no orphans.
 *
 * <ol>
 *   <li>{@link #armEarly()}, first thing in {@code main}: asks Linux for SIGKILL when the parent
 *       dies ({@code PR_SET_PDEATHSIG}), then checks that the parent is still the root, whose
 *       pid the launcher passed as {@code -Ddev.nucleus.rootPid}. A root that died while this JVM
 *       was starting left it re-parented (to init or a subreaper), where the death signal can no
 *       longer come: the process exits at once.
 *   <li>{@link #watchRoot(Link)}, once the link is mapped: checks the root's pid recorded in the
 *       link header (PID_A) against the parent (for a spawned process; one started by other
 *       means has some other parent), then watches <em>that</em> pid (not "whatever
 *       the parent is by then") every {@value #POLL_MILLIS} ms, as a backstop where the death
 *       signal is unavailable. When the root is gone it marks the root's side of the link dead,
 *       so that the component's blocked IPC fails with PEER_DEAD, and halts the JVM.
 * </ol>
 */
public final class ParentWatch {

  /** Exit status of a process space whose root died. */
  public static final int ROOT_DIED = 3;
  private static final int PR_SET_PDEATHSIG = 1;
  private static final int SIGKILL = 9;
  private static final long POLL_MILLIS = 50;

  private final long rootPid;

  private ParentWatch(long rootPid) {
    this.rootPid = rootPid;
  }

  /** Arms the parent-death signal and checks that the parent is the root the launcher named. */
  public static ParentWatch armEarly() {
    final long expected = Long.getLong(ProcessLauncher.ROOT_PID_PROPERTY, -1);
    if (expected <= 0) {
      return new ParentWatch(-1); // started by other means: its parent is not the root
    }
    armDeathSignal();
    if (parentPid() != expected) {
      System.err.println("process space: root (pid " + expected + ") died before this process started; exiting");
      Runtime.getRuntime().halt(ROOT_DIED);
    }
    return new ParentWatch(expected);
  }

  /** Checks the root recorded in the link and starts watching it. */
  public void watchRoot(Link link) {
    final long pidA = link.pidA();
    if (rootPid > 0 && (pidA != rootPid || parentPid() != pidA)) {
      System.err.println("process space: the link's root (pid " + pidA + ") is not this process's parent ("
          + parentPid() + "); exiting");
      Runtime.getRuntime().halt(ROOT_DIED);
    }
    final ProcessHandle root = ProcessHandle.of(pidA).orElse(null);
    Thread.ofPlatform().daemon().name("nucleus-root-watch").start(() -> {
      while (root != null && root.isAlive()) {
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
      link.markSpaceDead(link.spaceA(), Link.SIDE_A);
      Runtime.getRuntime().halt(ROOT_DIED);
    });
  }

  private static long parentPid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }

  private static void armDeathSignal() {
    try {
      final Linker linker = Linker.nativeLinker();
      final MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(1));
      final int rc = (int) prctl.invokeExact(PR_SET_PDEATHSIG, (long) SIGKILL);
      if (rc != 0) {
        System.err.println("process space: prctl(PR_SET_PDEATHSIG) failed; relying on the root watch");
      }
    } catch (Throwable t) {
      System.err.println("process space: no prctl (" + t + "); relying on the root watch");
    }
  }
}
