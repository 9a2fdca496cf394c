/** Nucleus kernel: mechanisms only (ids, spaces, UTCBs, rendezvous, waiting, notifications, interrupts, channels). */
package dev.nucleus.kernel;
