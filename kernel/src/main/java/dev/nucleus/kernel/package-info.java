/**
 * Nucleus kernel: mechanisms only (ids, spaces, UTCBs, rendezvous, waiting, notifications,
 * interrupts, channels, process spaces). Policy (naming, supervision, restart) lives in
 * user-level servers built on these.
 *
 * <p>Where to start: the root task creates a {@link dev.nucleus.kernel.Kernel}, makes
 * {@link dev.nucleus.kernel.Space spaces} and {@link dev.nucleus.kernel.Channel channels}
 * between them, and starts {@link dev.nucleus.kernel.ProcessSpace process spaces}; threads talk
 * through the operations of {@link dev.nucleus.kernel.IpcThread}, which return
 * {@link dev.nucleus.kernel.Status} codes and take {@link dev.nucleus.kernel.Timeout}s. The
 * protocol and the semantics chosen are in docs/protocol.md.
 */
package dev.nucleus.kernel;
