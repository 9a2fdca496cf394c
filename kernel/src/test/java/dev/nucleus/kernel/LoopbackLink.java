package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.link.Link;

/**
 * A root link whose process side is attached in this JVM: the root kernel prepares a process
 * space as for any process, and instead of a child process this JVM maps the same file a second
 * time and builds the process's {@link Space} over it the way {@link ProcessSpaceMain} does. Both
 * ends run the real engine over the real shared layout, so a test can play the hostile process
 * by writing into the mapping (see {@link HostilePeer}) at the cost of microseconds, not a JVM.
 * No process watches it: closing it ends the space as the death of its process would.
 */
final class LoopbackLink implements AutoCloseable {

  private final ProcessSpace rootSide;
  private final Link processLink;
  private final Space processSpace;

  private LoopbackLink(ProcessSpace rootSide, Link processLink, Space processSpace) {
    this.rootSide = rootSide;
    this.processLink = processLink;
    this.processSpace = processSpace;
  }

  /** Prepares process space {@code name} linked to {@code peer} and attaches its process side here. */
  static LoopbackLink open(Kernel kernel, Space peer, String name) {
    final ProcessSpace ps = kernel.prepareProcessSpace(name, peer);
    try {
      final Link link = Link.attach(ps.link().path(), kernel.config().adaptiveSpin().toNanos());
      ps.link().table().peerPid(ProcessHandle.current().pid()); // as the root learns an attached process's pid
      final LinkDescriptor.Geometry g = link.geometry();
      final Kernel.Config config = new Kernel.Config(g.maxThreads(), link.header(LinkDescriptor.MAX_SPACES_OFFSET),
          g.maxEndpoints(), g.mrCount(), WaitStrategy.SPIN, kernel.config().adaptiveSpin(), link.path().getParent());
      return new LoopbackLink(ps, link, ProcessSpaceMain.processSpace(config, link, name + "-process"));
    } catch (RuntimeException | Error e) {
      ps.close();
      throw e;
    }
  }

  /** The root's handle: its link is the one a hostile process would write into. */
  ProcessSpace rootSide() {
    return rootSide;
  }

  /** The process side's space, whose threads have their ports in the link. */
  Space processSpace() {
    return processSpace;
  }

  @Override
  public void close() {
    try {
      rootSide.close();
    } finally {
      processLink.close();
    }
  }
}
