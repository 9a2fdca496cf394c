/**
 * Reading a system descriptor: the TOML tree from Jackson, the line of every key, typed and
 * located access to tables, the checks of component classes, durations and the start order. Not
 * part of the API: {@link dev.nucleus.system.SystemDescriptor} is.
 */
package dev.nucleus.system.internal.descriptor;
