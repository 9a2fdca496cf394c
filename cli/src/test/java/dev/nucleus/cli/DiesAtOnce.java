package dev.nucleus.cli;

import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;

/** A process component that dies before it publishes anything, as a crashed server would. */
public final class DiesAtOnce implements ProcessComponent {

  @Override
  public void run(ProcessContext context) {
    Runtime.getRuntime().halt(3);
  }
}
