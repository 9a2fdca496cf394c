package dev.nucleus.bench.scaling;

/**
 * The command as a client process's threads see it: its main thread copies the COMMAND word of the
 * control region here when it changes; calling threads read it before each call, idle ones wait
 * here for the next one, asleep, so that 63 idle clients cost nothing while one calls.
 *
 * <p>Thread-safe. Memory consistency effects: what the publishing thread did before
 * {@link #publish} happens before what a thread does after it has read that command.
 */
final class CommandBoard {

  private final Object lock = new Object();
  /** Written under {@link #lock} by the process's main thread; read by every client thread. */
  private volatile Command current = new Command(0, 0, Command.Phase.PAUSE);

  /**
   * The command now. Never blocks.
   *
   * @return the latest command published
   */
  Command current() {
    return current;
  }

  /**
   * Makes {@code command} current and wakes every waiting thread.
   *
   * @param command the new command
   */
  void publish(Command command) {
    synchronized (lock) {
      current = command;
      lock.notifyAll();
    }
  }

  /**
   * Blocks until the current command is another than {@code seen}.
   *
   * @param seen the command the caller has acted on
   * @return the new command
   * @throws InterruptedException if interrupted while waiting
   */
  Command awaitOther(Command seen) throws InterruptedException {
    synchronized (lock) {
      while (current == seen) {
        lock.wait();
      }
      return current;
    }
  }
}
