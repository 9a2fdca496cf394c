package dev.nucleus.system.internal;

import dev.nucleus.kernel.InterruptSource;
import dev.nucleus.system.DriverSpec;

/** The interrupt source of each kind of driver. */
final class DriverSources {

  private DriverSources() {}

  /** A new, unstarted source for {@code driver}. */
  static InterruptSource of(DriverSpec driver) {
    return switch (driver.kind()) {
      case TIMER -> InterruptSource.periodic(driver.period());
      case SIGNAL -> new SignalSource(driver.signal());
      case FILE -> new ReadinessSource(driver.path());
      case SOCKET -> new AcceptSource(driver.port());
    };
  }
}
