/**
 * Nucleus system: the root task. A system is a set of components booted from a TOML descriptor;
 * the root task holds the {@link dev.nucleus.kernel.Kernel}, creates every space and channel,
 * keeps the names of the services components export (the name server), restarts components as
 * their policy says (the supervisor), delivers driver events as interrupts, and publishes a status
 * segment that {@code nucleus ps} reads. Only {@code dev.nucleus.system} is exported; the
 * machinery lives in {@code dev.nucleus.system.internal}.
 */
module dev.nucleus.system {
  requires transitive dev.nucleus.rpc;
  requires tools.jackson.databind;
  requires tools.jackson.dataformat.toml;
  requires jdk.unsupported; // sun.misc.Signal, looked up by Signals: the signal drivers, nucleus run's stop

  exports dev.nucleus.system;
  // The process host is a ProcessComponent the kernel instantiates in the child JVM.
  opens dev.nucleus.system.internal to dev.nucleus.kernel;
}
