package dev.nucleus.system;

/** The event source of a driver: the descriptor's {@code kind} key. */
public enum DriverKind {
  /** Fires every {@link DriverSpec#period()} ({@code "timer"}). */
  TIMER,
  /** Fires when the root process receives the signal {@link DriverSpec#signal()} ({@code "signal"}). */
  SIGNAL,
  /** Fires while the file or FIFO {@link DriverSpec#path()} is readable ({@code "file"}). */
  FILE,
  /** Fires while a connection waits on 127.0.0.1:{@link DriverSpec#port()} ({@code "socket"}). */
  SOCKET
}
