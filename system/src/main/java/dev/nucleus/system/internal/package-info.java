/** The root task's machinery: not part of the API. */
package dev.nucleus.system.internal;
