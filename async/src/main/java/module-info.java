/**
 * Nucleus async: one-way queues between two spaces, Barrelfish UMP rings of 64-byte slots in
 * memory both ends map. Only {@code dev.nucleus.async} is exported; the ring's layout and
 * algorithms live in {@code dev.nucleus.async.internal}, which is not part of the API. The wire
 * format, precise enough for a peer in another language, is docs/queue-wire.md.
 */
module dev.nucleus.async {
  requires transitive dev.nucleus.kernel;

  exports dev.nucleus.async;
}
