package dev.nucleus.async;

import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import java.util.Objects;

/**
 * One side of a queue the {@link QueueBroker} creates: the space that gets its sending or its
 * receiving end, either a thread space of the root ({@link #of(Space)}) or a process space
 * ({@link #of(ProcessSpace)}). Immutable and thread-safe.
 */
public final class QueueSide {

  private final Space thread;
  private final ProcessSpace process;

  private QueueSide(Space thread, ProcessSpace process) {
    this.thread = thread;
    this.process = process;
  }

  /**
   * A thread space of the root: its threads open the end with
   * {@link QueueBroker#openSender(dev.nucleus.kernel.IpcThread, String, dev.nucleus.kernel.WaitStrategy)}
   * or {@link QueueBroker#openReceiver}. The side dies when the space ends.
   *
   * @param space a thread space of the broker's kernel
   * @return the side
   * @throws NullPointerException if {@code space} is null
   */
  public static QueueSide of(Space space) {
    return new QueueSide(Objects.requireNonNull(space, "space"), null);
  }

  /**
   * A process space: its threads ask the broker for the end over IPC ({@link QueueClient}). The
   * side dies when the process exits, for any reason.
   *
   * @param space a process space of the broker's kernel
   * @return the side
   * @throws NullPointerException if {@code space} is null
   */
  public static QueueSide of(ProcessSpace space) {
    return new QueueSide(null, Objects.requireNonNull(space, "space"));
  }

  /**
   * The space number of the side, as {@link dev.nucleus.kernel.ThreadId#space} reads it from its
   * threads' ids.
   *
   * @return the number
   */
  public int spaceNumber() {
    return thread != null ? thread.number() : process.number();
  }

  /**
   * Whether the side is a process space.
   *
   * @return true for a process space, false for a thread space
   */
  public boolean isProcess() {
    return process != null;
  }

  /**
   * Whether the side's space still runs: a thread space that has not ended, a process that has
   * not exited. Never blocks.
   *
   * @return false once the side has died
   */
  public boolean isAlive() {
    return thread != null ? thread.isAlive() : process.isAlive();
  }

  /**
   * The process the side's space lives in: this process for a thread space; a process space's
   * pid, or -1 while no process has attached to it (one started by other means). Never blocks.
   */
  long pid() {
    return thread != null ? ProcessHandle.current().pid() : process.pid();
  }

  /** The thread space, or null for a process side. */
  Space threadSpace() {
    return thread;
  }

  /** The process space, or null for a thread side. */
  ProcessSpace processSpace() {
    return process;
  }

  @Override
  public String toString() {
    return thread != null ? thread.toString() : process.toString();
  }
}
