package dev.nucleus.kernel.internal.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts the JVMs of process spaces: builds the command line that runs the kernel's process-side
 * entry point the way this JVM runs the kernel, and forks from one long-lived thread.
 *
 * <p><b>Command line.</b> The child runs this JDK's {@code java}. Where the kernel is a named
 * module (it runs from the module path), the child gets the same module path, all of it resolved
 * (so that a component in any module can be loaded), native access for {@code dev.nucleus.kernel}
 * only, and the entry point as {@code -m dev.nucleus.kernel/<main>}; the class path is passed
 * on too, for components that live there. Where the kernel is on the class path, the child runs
 * on the same class path with native access for the unnamed module. The first argument is the
 * marker property {@code -Ddev.nucleus.processSpace=<name>}, so that tools (and {@code ps}) see
 * which space a JVM is even in a truncated command line.
 *
 * <p><b>Dying with the root.</b> Where util-linux's {@code setpriv} is installed, a spawned
 * child runs under {@code setpriv --pdeathsig KILL}, which arms Linux's parent-death signal and
 * then executes {@code java}: the signal survives the exec, so a root killed while the child JVM
 * is still starting takes the child with it at once. The child arms it again and checks its
 * parent as soon as its own code runs ({@link ParentWatch}), which also covers a system without
 * setpriv.
 *
 * <p><b>Why one forking thread.</b> Linux's parent-death signal ({@code PR_SET_PDEATHSIG}) fires
 * when the <em>thread</em> that forked the child ends, not the process: a short-lived caller
 * thread must not be the parent.
 *
 * <p>Thread-safe.
 */
public final class ProcessLauncher {

  /** The kernel's module name, as native access is granted to it. */
  private static final String KERNEL_MODULE = "dev.nucleus.kernel";

  /**
   * System property: extra JVM options for every process space's JVM, separated by whitespace
   * (for example {@code -Xmx256m}, or the {@code --patch-module} a test run needs so that
   * children see the test classes too). Read at each launch.
   */
  public static final String CHILD_JVM_OPTIONS_PROPERTY = "dev.nucleus.childJvmOptions";

  /** The system property that tells a spawned process space its root's pid (see ParentWatch). */
  public static final String ROOT_PID_PROPERTY = "dev.nucleus.rootPid";

  /** util-linux's setpriv, where installed: arms the parent-death signal before exec. */
  private static final String SETPRIV = java.util.stream.Stream.of("/usr/bin/setpriv", "/bin/setpriv")
      .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);

  private ExecutorService forker;

  /**
   * The command that runs {@code mainClass} (a class of the kernel) with {@code args}, the way
   * this JVM runs the kernel. {@code spawned}: the process will be this JVM's child, and is told
   * so (its root's pid), so that it can check that it has not been orphaned already.
   * {@code jvmOptions} go to the child JVM after those of the system property.
   */
  public List<String> command(boolean spawned, String mainClass, String linkPath, String spaceName,
      String componentClass, String waitStrategy, String adaptiveSpinNanos, List<String> jvmOptions,
      List<String> componentArgs) {
    final String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    final List<String> cmd = new ArrayList<>();
    if (spawned && SETPRIV != null) {
      // Armed before the JVM even starts (the signal survives execve): a root that dies while the
      // child JVM boots takes it at once, not when the child's main gets to run (ParentWatch).
      cmd.addAll(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
    }
    cmd.addAll(List.of(java, "-Ddev.nucleus.processSpace=" + spaceName));
    if (spawned) {
      cmd.add("-D" + ROOT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    }
    final String extra = System.getProperty(CHILD_JVM_OPTIONS_PROPERTY, "").strip();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(jvmOptions);
    final String classPath = System.getProperty("java.class.path", "");
    if (ProcessLauncher.class.getModule().isNamed()) {
      cmd.add("--enable-native-access=" + KERNEL_MODULE);
      cmd.addAll(List.of("--module-path", System.getProperty("jdk.module.path", ""), "--add-modules", "ALL-MODULE-PATH"));
      if (!classPath.isEmpty()) {
        cmd.addAll(List.of("-cp", classPath));
      }
      cmd.addAll(List.of("-m", KERNEL_MODULE + "/" + mainClass));
    } else {
      cmd.add("--enable-native-access=ALL-UNNAMED");
      cmd.addAll(List.of("-cp", classPath, mainClass));
    }
    cmd.addAll(List.of(linkPath, spaceName, componentClass, waitStrategy, adaptiveSpinNanos));
    cmd.addAll(componentArgs);
    return cmd;
  }

  /**
   * Starts {@code command} with inherited standard streams, forked from the launcher's own
   * thread. Blocks until the process has started.
   *
   * @throws IllegalStateException if it cannot be started, with the reason
   */
  public Process start(List<String> command) {
    try {
      return forker().submit(() -> new ProcessBuilder(command).inheritIO().start()).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a process", e);
    }
  }

  private synchronized ExecutorService forker() {
    if (forker == null) {
      forker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("nucleus-spawner").unstarted(r));
    }
    return forker;
  }

  /** Stops the forking thread. Processes already started are not touched. */
  public synchronized void shutdown() {
    if (forker != null) {
      forker.shutdownNow();
    }
  }

  /**
   * Whether process {@code pid} maps {@code file}: how a pid read from shared memory is checked
   * before it is believed (a peer could write any pid there).
   */
  public static boolean mapsFile(long pid, Path file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "maps")).contains(file.toString());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
