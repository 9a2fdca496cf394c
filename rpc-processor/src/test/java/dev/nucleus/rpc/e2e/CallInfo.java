package dev.nucleus.rpc.e2e;

/**
 * What the server saw of a call.
 *
 * @param space the caller's space
 * @param thread the caller's thread id
 * @param pid the caller's pid
 * @param remainingNanos the time left before the deadline
 * @param nestedCalls how many calls were made from inside this one, nested
 */
public record CallInfo(int space, long thread, long pid, long remainingNanos, int nestedCalls) {}
