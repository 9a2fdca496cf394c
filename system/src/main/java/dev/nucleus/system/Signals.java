package dev.nucleus.system;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * POSIX signals for the root task: a signal driver's source, and the orderly stop of
 * {@code nucleus run} on SIGTERM and SIGINT. It goes through the JDK's own signal dispatch
 * ({@code sun.misc.Signal} in module jdk.unsupported, which exists for exactly this), looked up
 * when first used so that nothing here is compiled against a class javac flags as proprietary. A
 * handler runs on a thread the JDK starts for each signal delivered; it must return quickly.
 *
 * <p>Thread-safe.
 */
public final class Signals {

  private static final MethodHandle NEW_SIGNAL;
  private static final MethodHandle HANDLE;
  private static final Class<?> HANDLER;

  static {
    try {
      final Class<?> signal = Class.forName("sun.misc.Signal");
      HANDLER = Class.forName("sun.misc.SignalHandler");
      final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      NEW_SIGNAL = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class));
      HANDLE = lookup.findStatic(signal, "handle", MethodType.methodType(HANDLER, signal, HANDLER));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Signals() {}

  /** What was installed before a {@link #handle}: give it to {@link #restore} to put it back. */
  public static final class Previous {
    private final String name;
    private final Object handler;

    private Previous(String name, Object handler) {
      this.name = name;
      this.handler = handler;
    }
  }

  /**
   * Runs {@code action} each time signal {@code name} is delivered to this JVM, instead of what
   * happened before (for TERM and INT: the JVM's exit).
   *
   * @param name the signal without "SIG", e.g. {@code HUP}, {@code TERM}
   * @param action what to run, on the JDK's signal thread
   * @return what was installed before
   * @throws IllegalArgumentException if the name is not a signal, or the JVM keeps it for itself
   *     (e.g. KILL, STOP, or one the JVM uses)
   */
  public static Previous handle(String name, Runnable action) {
    Objects.requireNonNull(action, "action");
    final Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {HANDLER},
        (proxy, method, args) -> switch (method.getName()) {
          case "handle" -> {
            action.run();
            yield null;
          }
          case "toString" -> "Signals handler of SIG" + name;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
    return new Previous(name, install(name, handler));
  }

  /**
   * Puts back what {@link #handle} replaced.
   *
   * @param previous what it returned
   */
  public static void restore(Previous previous) {
    install(previous.name, previous.handler);
  }

  private static Object install(String name, Object handler) {
    try {
      return HANDLE.invoke(NEW_SIGNAL.invoke(name), handler);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot handle SIG" + name + ": " + e.getMessage(), e);
    } catch (Throwable t) {
      throw new IllegalStateException("cannot handle SIG" + name + ": " + t, t);
    }
  }
}
