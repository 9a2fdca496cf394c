package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.link.Link;
import java.time.Duration;
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

  /**
   * Publishes {@code id} (a thread or endpoint of this space) to the root under {@code name}:
   * {@link ProcessSpace#awaitPublished(String, Duration)} returns it. A component may publish up
   * to 15 names, each once; names are never withdrawn (a component that ends takes its ids with
   * it: they become stale). Never blocks.
   *
   * @param name 1 to 55 bytes of UTF-8, without NUL
   * @param id a thread or endpoint id of this space
   * @throws IllegalArgumentException if {@code id} is malformed or not of this space, or the name
   *     is malformed
   * @throws IllegalStateException if {@code name} is already published or 15 names are
   */
  public void publish(String name, long id) {
    if (!ThreadId.isWellFormed(id) || ThreadId.space(id) != space.number()) {
      throw new IllegalArgumentException("can only publish an id of this space: " + ThreadId.toString(id));
    }
    link.publish(name, id);
  }

  /**
   * The id the root offered this process under {@code name} ({@link ProcessSpace#offer}), for
   * example a server thread of the peer space: how a component learns a root thread's id. Never
   * blocks; poll again if the root offers it later.
   *
   * @param name the name the root used
   * @return the id, a well-formed id of the peer space, or {@link ThreadId#NIL} if nothing (valid)
   *     was offered under that name
   */
  public long lookup(String name) {
    return link.offered(name);
  }
}
