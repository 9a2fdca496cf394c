/**
 * The root task's API: {@link dev.nucleus.system.Component components} and their
 * {@link dev.nucleus.system.ComponentContext context}, the system descriptor, and the status a
 * running system publishes.
 */
package dev.nucleus.system;
