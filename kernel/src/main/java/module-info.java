/**
 * Nucleus kernel: the mechanisms of an L4-style microkernel for the JVM (spaces, threads with
 * versioned ids, message registers, synchronous IPC, notifications, interrupts, channels and
 * process spaces). Only {@code dev.nucleus.kernel} is exported; the engine lives in the
 * {@code dev.nucleus.kernel.internal} packages, which are not part of the API.
 *
 * <p>The kernel calls the OS through FFM (futex, prctl): run it with
 * {@code --enable-native-access=dev.nucleus.kernel}.
 */
module dev.nucleus.kernel {
  exports dev.nucleus.kernel;
}
