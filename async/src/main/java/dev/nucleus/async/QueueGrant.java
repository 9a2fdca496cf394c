package dev.nucleus.async;

import dev.nucleus.async.internal.BrokerEnds;
import dev.nucleus.async.internal.SideWatch;
import dev.nucleus.kernel.SharedRegion;
import java.lang.foreign.MemorySegment;

/**
 * The broker's record of one queue: its name, its two sides, its memory (a region the broker
 * created, formatted and keeps mapped: the queue, then a line holding the region's token), which
 * ends it has handed out and which sides have died.
 *
 * <p>When the broker may free the region: once no end is still to be handed out (each was
 * handed out, or its side died) and one side has <em>ended</em> (died, or its STATE word no longer
 * reads OPEN: its owner closed it or gave it up). The other side then needs nothing more of the
 * broker: it learns the end from the queue's memory, through its own mapping, which keeps the
 * memory for as long as it holds it. (The broker does not wait for both STATE words: an end whose
 * peer has gone may never be closed, kept by its owner or dropped unclosed.) An end still to be
 * handed out to a live side keeps the region, so a peer that writes the other side's STATE cannot
 * keep that side from getting its end; it can only end its own queue early, which it could anyway
 * by not reading.
 *
 * <p>Not thread-safe: every method runs under the broker's lock.
 */
final class QueueGrant {

  final String name;
  final QueueSide sender;
  final QueueSide receiver;
  final int slots;
  final SharedRegion region;
  /** The random word after the queue in its region, which names the region in a grant. */
  final long token;
  private final boolean[] handedOut = new boolean[2];
  private final boolean[] dead = new boolean[2];

  QueueGrant(String name, QueueSide sender, QueueSide receiver, int slots, SharedRegion region, long token) {
    this.token = token;
    this.name = name;
    this.sender = sender;
    this.receiver = receiver;
    this.slots = slots;
    this.region = region;
  }

  /** The side that gets the sending end ({@code sendingEnd}) or the receiving end. */
  QueueSide side(boolean sendingEnd) {
    return sendingEnd ? sender : receiver;
  }

  /** The space number of the other end's side. */
  int peerSpace(boolean sendingEnd) {
    return side(!sendingEnd).spaceNumber();
  }

  /** The process of the other end's side now ({@link QueueSide#pid}: -1 while not known). */
  long peerPid(boolean sendingEnd) {
    return side(!sendingEnd).pid();
  }

  boolean handedOut(boolean sendingEnd) {
    return handedOut[index(sendingEnd)];
  }

  void handOut(boolean sendingEnd) {
    handedOut[index(sendingEnd)] = true;
  }

  /** The end did not reach its side after all (the reply to its request failed): it may be asked for again. */
  void takeBack(boolean sendingEnd) {
    handedOut[index(sendingEnd)] = false;
  }

  /** The broker's mapping of the queue (the region less its token line). */
  MemorySegment memory() {
    return region.segment().asSlice(0, QueueMemory.bytesFor(slots));
  }

  /**
   * One look by the broker's watcher: marks each side that has died since DEAD in the queue and
   * wakes the survivor (once per side), then says whether the region may be freed (see the class
   * comment).
   */
  boolean watch() {
    markIfDied(true);
    markIfDied(false);
    return settled(true) && settled(false) && (ended(true) || ended(false));
  }

  private void markIfDied(boolean sendingEnd) {
    final int i = index(sendingEnd);
    if (!dead[i] && !side(sendingEnd).isAlive()) {
      dead[i] = true;
      SideWatch.markDead(memory(), sendingEnd, BrokerEnds.doorbell());
    }
  }

  /** Whether the end needs no handout any more: it was handed out, or its side died. */
  private boolean settled(boolean sendingEnd) {
    final int i = index(sendingEnd);
    return dead[i] || handedOut[i];
  }

  /** Whether the side died or (once settled) its STATE word says that its end has ended. */
  private boolean ended(boolean sendingEnd) {
    return dead[index(sendingEnd)] || !SideWatch.isOpen(memory(), sendingEnd);
  }

  /** Unmaps the broker's mapping and closes its descriptor: the ends' mappings keep the memory. */
  void free() {
    region.close();
  }

  private static int index(boolean sendingEnd) {
    return sendingEnd ? 0 : 1;
  }

  @Override
  public String toString() {
    return "queue '" + name + "' (" + slots + " slots) from " + sender + " to " + receiver;
  }
}
