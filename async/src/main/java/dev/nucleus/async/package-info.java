/**
 * One-way queues: a single sender and a single receiver share a ring of 64-byte slots in one
 * {@link java.lang.foreign.MemorySegment} (an arena's within one JVM, a mapped file across
 * processes), as in Barrelfish's UMP. Each message takes whole slots, and the last word of each
 * slot is the sequence stamp that publishes it; the receiver publishes how far it has read only
 * once per half ring; a sleeping end is woken through a {@link dev.nucleus.async.Doorbell} only
 * when it has announced that it sleeps.
 *
 * <p>Where to start: {@link dev.nucleus.async.QueueMemory#format} makes a queue in a segment,
 * {@link dev.nucleus.async.QueueSender#attach} and {@link dev.nucleus.async.QueueReceiver#attach}
 * give its two ends. Operations return the kernel's {@link dev.nucleus.kernel.Status} codes
 * (see {@link dev.nucleus.async.QueueStatus}) and take its {@link dev.nucleus.kernel.Timeout}s
 * and {@link dev.nucleus.kernel.WaitStrategy}. The wire format is docs/queue-wire.md.
 */
package dev.nucleus.async;
