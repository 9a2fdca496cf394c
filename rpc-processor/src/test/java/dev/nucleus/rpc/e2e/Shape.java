package dev.nucleus.rpc.e2e;

import java.util.List;

/**
 * A record of every kind of component: strings, enums, records, arrays and lists of records, a
 * primitive array, a box, bytes.
 *
 * @param name a string
 * @param color an enum
 * @param origin a record
 * @param path a list of records
 * @param corners an array of records
 * @param weights a primitive array
 * @param tag a box
 * @param blob bytes
 */
public record Shape(String name, Color color, Point origin, List<Point> path, Point[] corners, double[] weights,
    Long tag, byte[] blob) {}
