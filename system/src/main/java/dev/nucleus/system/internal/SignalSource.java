package dev.nucleus.system.internal;

import dev.nucleus.kernel.InterruptSource;
import dev.nucleus.system.Signals;

/**
 * Fires on each POSIX signal of one kind delivered to the root JVM (e.g. SIGHUP to reload),
 * through {@link Signals}. Signals the descriptor refuses (TERM, INT, KILL, STOP) never get here.
 * Closing restores the handler there was before.
 */
final class SignalSource implements InterruptSource {

  private final String name;
  private Signals.Previous previous;

  SignalSource(String name) {
    this.name = name;
  }

  @Override
  public synchronized void start(Runnable trigger) {
    previous = Signals.handle(name, trigger);
  }

  @Override
  public synchronized void close() {
    if (previous != null) {
      Signals.restore(previous);
      previous = null;
    }
  }

  @Override
  public String describe() {
    return "signal SIG" + name;
  }
}
