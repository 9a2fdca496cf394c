package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.link.Link;
import java.util.List;

/**
 * What a {@link ProcessComponent} gets in its process: its space, the space it is connected to,
 * its arguments, and a way to publish its bootstrap id to the root. The process has no
 * {@link Kernel}: it can reach no root operation.
 *
 * <p>Thread-safe; no method blocks.
 */
public final class ProcessContext {

  private final Space space;
  private final Link link;
  private final List<String> args;

  ProcessContext(Space space, Link link, List<String> args) {
    this.space = space;
    this.link = link;
    this.args = List.copyOf(args);
  }

  /**
   * This process space: spawn and attach IPC threads, create endpoints here.
   *
   * @return the process space seen from within; its {@link Space#kernel()} throws
   */
  public Space space() {
    return space;
  }

  /**
   * The number of the root-side space this process space is connected to: its peer, the only
   * other space its threads can exchange IPC with.
   *
   * @return the peer thread space's number, as {@link ThreadId#space} reads it from its ids
   */
  public int peerSpace() {
    return link.spaceA();
  }

  /**
   * The arguments given to {@link Kernel#spawnProcessSpace} or
   * {@link ProcessSpace#attachCommand}.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<String> args() {
    return args;
  }

  /**
   * Offers {@code id} (a thread or endpoint of this space) to the root as this component's
   * bootstrap service: {@link ProcessSpace#awaitPublished} returns it. Call once, when ready: the
   * root may address the id as soon as awaitPublished returns. A second call replaces the id for
   * a root that has not read it yet.
   *
   * @param id a thread or endpoint id of this space
   * @throws IllegalArgumentException if {@code id} is malformed or not of this space
   */
  public void publish(long id) {
    if (!ThreadId.isWellFormed(id) || ThreadId.space(id) != space.number()) {
      throw new IllegalArgumentException("can only publish an id of this space: " + ThreadId.toString(id));
    }
    link.publish(id);
  }
}
