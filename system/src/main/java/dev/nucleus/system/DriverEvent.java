package dev.nucleus.system;

/**
 * One delivery of a driver's interrupt to the component that owns it.
 *
 * @param driver the driver's name in the descriptor
 * @param firings how many times the source fired since the last delivery (at least 1: firings
 *     while the component was busy are merged, as on a masked level-triggered line)
 */
public record DriverEvent(String driver, long firings) {}
