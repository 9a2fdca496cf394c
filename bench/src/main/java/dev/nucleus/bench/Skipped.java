package dev.nucleus.bench;

/**
 * A mechanism that produced no result: either unavailable here (its dependency is missing) or
 * failed during a run. Both are reported, never dropped silently.
 *
 * @param name the mechanism
 * @param reason why, in one line
 * @param failed {@code true} when it started but a run failed; {@code false} when it was
 *     unavailable
 */
public record Skipped(String name, String reason, boolean failed) {}
