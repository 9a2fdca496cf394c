package dev.nucleus.system;

/**
 * A component of a system: the code a descriptor's {@code [[component]]} names by its class. The
 * root task makes it (a public class with a public no-argument constructor) in the component's
 * own space, a thread space of the root JVM or a process space of its own, as the descriptor's
 * {@code isolation} says, and calls {@link #run} on the component's main thread.
 *
 * <p>{@code run} exports the services the descriptor lets the component provide
 * ({@link ComponentContext#export}), binds to the ones it may import
 * ({@link ComponentContext#bind}), and then serves or works for as long as the component is
 * meant to live. The component is <em>ready</em>, and the components that import its services
 * start, once it has exported every service it provides.
 *
 * <p>How {@code run} ends decides what the supervisor does, with the component's restart policy:
 * returning is a normal exit (a {@code transient} or {@code temporary} component is not
 * restarted; a {@code permanent} one is), throwing is a crash (restarted unless
 * {@code temporary}). A component that is stopped sees its thread interrupted and its IPC fail
 * with CLOSED.
 */
@FunctionalInterface
public interface Component {

  /**
   * Runs the component, on its main thread.
   *
   * @param context the component's view of the system: its name and arguments, its exports and
   *     imports, its drivers
   * @throws Exception any failure: a crash, which the supervisor handles as the restart policy
   *     says
   */
  void run(ComponentContext context) throws Exception;
}
