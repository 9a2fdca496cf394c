package dev.nucleus.rpc.e2e;

/**
 * A record of primitives.
 *
 * @param x x
 * @param y y
 */
public record Point(int x, int y) {}
