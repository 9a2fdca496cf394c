package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.Rendezvous;
import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import dev.nucleus.kernel.internal.link.ParentWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The main class of a process space's JVM, started by {@link Kernel#spawnProcessSpace} (not
 * public: users never run it by hand; {@link ProcessSpace#attachCommand} gives the command):
 * attaches to the link, builds the process side of the kernel, watches for peer links to other
 * process spaces ({@link PeerLinks}), and runs the component.
 *
 * <pre>
 * args: link-path space-name component-class wait-strategy adaptive-spin-ns [component args...]
 * </pre>
 *
 * <p>The process side has no {@link Kernel}: its {@link Space} creates threads and endpoints in
 * the slot ranges the root gave it, with versions in the window the root gave it (so that ids of
 * an earlier process in the same slots stay stale), and its {@link Space#kernel()} throws, so a component can
 * reach no root operation. The process dies with the root (see {@link ParentWatch}).
 */
final class ProcessSpaceMain {

  private ProcessSpaceMain() {}

  static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: ProcessSpaceMain link-path space-name component-class wait-strategy adaptive-spin-ns"
          + " [args...]");
      System.exit(2);
    }
    final ParentWatch watch = ParentWatch.armEarly();
    final Link link;
    try {
      link = Link.attach(Path.of(args[0]), Long.parseLong(args[4]));
    } catch (RuntimeException e) {
      System.err.println("process space " + args[1] + ": cannot attach to " + args[0] + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    watch.watchRoot(link);
    final LinkDescriptor.Geometry g = link.geometry();
    final Kernel.Config config = new Kernel.Config(g.maxThreads(),
        link.header(LinkDescriptor.MAX_SPACES_OFFSET), g.maxEndpoints(), g.mrCount(),
        WaitStrategy.valueOf(args[3]), Duration.ofNanos(Long.parseLong(args[4])), link.path().getParent());
    final Space space = processSpace(config, link, args[1]);
    PeerLinks.watch(link, space, Long.parseLong(args[4]));
    final List<String> componentArgs = Arrays.asList(args).subList(5, args.length);
    try {
      final ProcessComponent component = Class.forName(args[2], true, ClassLoader.getSystemClassLoader())
          .asSubclass(ProcessComponent.class).getConstructor().newInstance();
      component.run(new ProcessContext(space, link, componentArgs));
    } catch (Throwable t) {
      link.bState(LinkDescriptor.B_FAILED);
      System.err.println("process space " + args[1] + ": component " + args[2] + " failed");
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * The process side: one space, whose threads have their ports in {@code link}'s table, within
   * the index ranges the root assigned (everything outside them belongs to others).
   */
  static Space processSpace(Kernel.Config config, Link link, String spaceName) {
    final Space[] self = new Space[1]; // the registry's view of the tables follows the space's peer links
    final ThreadRegistry registry = new ThreadRegistry(config, link.table().sleeper(),
        number -> number == link.spaceB() ? new Rendezvous[0] : new Rendezvous[] {self[0].tables.route(number)},
        () -> List.of(self[0].tables.tables()));
    Arrays.fill(registry.reservedThreads, true);
    Arrays.fill(registry.reservedEndpoints, true);
    final int first = link.header(LinkDescriptor.B_FIRST_INDEX_OFFSET);
    Arrays.fill(registry.reservedThreads, first, first + link.header(LinkDescriptor.B_INDEX_COUNT_OFFSET), false);
    final int firstEp = link.header(LinkDescriptor.B_FIRST_EP_OFFSET);
    Arrays.fill(registry.reservedEndpoints, firstEp, firstEp + link.header(LinkDescriptor.B_EP_COUNT_OFFSET), false);
    registry.useVersionWindow(link.versionBase());
    self[0] = new Space(registry, null, link.spaceB(), spaceName, link.table());
    return self[0];
  }
}
