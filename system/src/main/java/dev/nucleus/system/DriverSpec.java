package dev.nucleus.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One {@code [[driver]]} of a descriptor: an event source whose firings the root task delivers as
 * interrupt messages to the component that owns it ({@link ComponentContext#awaitDriver}). Only
 * the field of its {@link #kind} is set; the others are null or 0.
 *
 * @param name the driver's name, unique among the drivers, {@code [a-z0-9-]{1,32}}
 * @param kind its event source
 * @param component the name of the component that owns it
 * @param period a {@link DriverKind#TIMER timer}'s period, positive; else null
 * @param signal a {@link DriverKind#SIGNAL signal} driver's signal, without {@code SIG}: one of
 *     HUP, USR1, USR2, WINCH, CONT, ALRM; else null
 * @param path a {@link DriverKind#FILE file} driver's file or FIFO, absolute (a relative path in
 *     the descriptor is resolved against the descriptor's directory); else null
 * @param port a {@link DriverKind#SOCKET socket} driver's TCP port on 127.0.0.1, 1 to 65535; else 0
 */
public record DriverSpec(
    String name, DriverKind kind, String component, Duration period, String signal, Path path, int port) {

  /**
   * A driver, as given.
   *
   * @throws NullPointerException if the name, kind or component is null
   */
  public DriverSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(component, "component");
  }
}
