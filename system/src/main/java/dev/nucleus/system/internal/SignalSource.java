package dev.nucleus.system.internal;

import dev.nucleus.kernel.InterruptSource;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Fires on each POSIX signal of one kind delivered to the root JVM (e.g. SIGHUP to reload), through
 * the JDK's signal dispatch ({@code sun.misc.Signal}, module jdk.unsupported: the supported way for
 * an application to take a signal). Signals the descriptor refuses (TERM, INT, KILL, STOP) never
 * get here. Closing restores the handler there was before.
 */
final class SignalSource implements InterruptSource {

  private final String name;
  private SignalHandler previous;

  SignalSource(String name) {
    this.name = name;
  }

  @Override
  public synchronized void start(Runnable trigger) {
    previous = Signal.handle(new Signal(name), sig -> trigger.run());
  }

  @Override
  public synchronized void close() {
    if (previous != null) {
      Signal.handle(new Signal(name), previous);
      previous = null;
    }
  }

  @Override
  public String describe() {
    return "signal SIG" + name;
  }
}
