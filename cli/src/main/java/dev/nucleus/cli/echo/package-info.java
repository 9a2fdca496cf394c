/**
 * Process components of the {@code nucleus} command. Exported to the kernel module only: the
 * kernel instantiates a component reflectively in the child JVM of a process space.
 */
package dev.nucleus.cli.echo;
