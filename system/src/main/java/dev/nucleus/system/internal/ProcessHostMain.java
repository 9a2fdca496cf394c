package dev.nucleus.system.internal;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.system.Component;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The host of a process component, run by the kernel in the child JVM: makes the user's
 * {@link Component} and its {@link RemoteContext}, reports to the root a few times a second, and
 * runs the component on the process's main thread. Its process exits when the component's
 * {@code run} returns (status 0) or throws (status 1), which the root's supervisor sees.
 *
 * <p>Arguments, as {@link #args} makes them: component name, class name, server threads,
 * provides, imports and drivers (each comma-separated, possibly empty), then the component's own.
 */
public final class ProcessHostMain implements ProcessComponent {

  private static final Duration NAMES_WAIT = Duration.ofSeconds(30);
  private static final long REPORT_INTERVAL_MS = 250;

  /** Made by the kernel in the child JVM. */
  public ProcessHostMain() {}

  /** The host's arguments for a component. */
  static String[] args(String name, String className, int serverThreads, List<String> provides, List<String> imports,
      List<String> drivers, List<String> args) {
    final List<String> all = new ArrayList<>(List.of(name, className, Integer.toString(serverThreads),
        String.join(",", provides), String.join(",", imports), String.join(",", drivers)));
    all.addAll(args);
    return all.toArray(String[]::new);
  }

  private static List<String> list(String joined) {
    return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }

  @Override
  public void run(ProcessContext process) throws Exception {
    final List<String> a = process.args();
    final String name = a.get(0);
    final Component component = instantiate(a.get(1));
    final long namesId = awaitNames(process);
    try (KernelBinding binding = KernelBinding.to(process.space(), namesId, Names_Service.INSTANCE)) {
      final Names names = binding.proxy(Names_Service.INSTANCE);
      final RemoteContext context = new RemoteContext(process, names, name, a.subList(6, a.size()),
          Integer.parseInt(a.get(2)), list(a.get(3)), list(a.get(4)), list(a.get(5)));
      if (context.driverInbox() != ThreadId.NIL) {
        process.publish(RemoteContext.DRIVERS, context.driverInbox());
      }
      Thread.ofPlatform().daemon().name("nucleus-report").start(() -> report(process, names, context));
      component.run(context);
    }
  }

  private static Component instantiate(String className) throws ReflectiveOperationException {
    final ClassLoader loader = Thread.currentThread().getContextClassLoader();
    final Class<?> c = Class.forName(className, true, loader);
    return (Component) c.getConstructor().newInstance();
  }

  /** The root offers the id of its Names server once the process has started. */
  private static long awaitNames(ProcessContext process) throws InterruptedException {
    final long deadline = System.nanoTime() + NAMES_WAIT.toNanos();
    long id;
    while ((id = process.lookup(Names.NAME)) == ThreadId.NIL) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the root offered no " + Names.NAME + " within " + NAMES_WAIT);
      }
      Thread.sleep(1);
    }
    return id;
  }

  /** Reports the component's figures until the process ends (or the root stops listening). */
  private static void report(ProcessContext process, Names names, RemoteContext context) {
    while (true) {
      final List<IpcThread> threads = process.space().threads();
      final long[] ids = new long[threads.size()];
      final List<String> threadNames = new ArrayList<>(threads.size());
      for (int i = 0; i < ids.length; i++) {
        ids[i] = threads.get(i).id();
        threadNames.add(threads.get(i).name());
      }
      try {
        names.report(context.callsServed(), ids, threadNames);
        Thread.sleep(REPORT_INTERVAL_MS);
      } catch (RpcException e) {
        return; // the root or the gate has gone: the process ends with it
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
