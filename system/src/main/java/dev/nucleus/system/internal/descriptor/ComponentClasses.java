package dev.nucleus.system.internal.descriptor;

import dev.nucleus.system.Component;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * Checks, when the descriptor is loaded, that the root task will be able to make a component of
 * a class: found by the class loader, in a package its module exports, implementing
 * {@link Component}, public (and so every class it is nested in), concrete, with a public
 * no-argument constructor. The class is loaded but not initialized: no code of it runs.
 */
final class ComponentClasses {

  private ComponentClasses() {}

  /**
   * What is wrong with {@code className} as a component class, if anything.
   *
   * @param className the binary name, as written in the descriptor
   * @param loader the class loader the root task will load it with
   * @return the problem, phrased for a message (what was expected, what was found), or empty
   */
  static Optional<String> problem(String className, ClassLoader loader) {
    final Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      return Optional.of("expected the binary name of a class on the class path (Outer$Inner for a nested "
          + "class), got " + Values.quote(className) + ", which is not found");
    } catch (LinkageError e) {
      return Optional.of("expected a class that can be loaded, got " + Values.quote(className) + ": " + e);
    }
    final String got = ", got " + Values.quote(className);
    final Module module = type.getModule();
    if (!module.isExported(type.getPackageName(), Component.class.getModule())) {
      return Optional.of("expected a class in an exported package" + got + ", in package "
          + type.getPackageName() + ", which module " + module.getName() + " does not export");
    }
    if (!Component.class.isAssignableFrom(type)) {
      return Optional.of("expected a class implementing " + Component.class.getName() + got);
    }
    for (Class<?> enclosing = type; enclosing != null; enclosing = enclosing.getEnclosingClass()) {
      if (!Modifier.isPublic(enclosing.getModifiers())) {
        return Optional.of("expected a public class" + got + (enclosing == type
            ? ", which is not public"
            : ", nested in " + Values.quote(enclosing.getName()) + ", which is not public"));
      }
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      return Optional.of("expected a concrete class" + got + ", which is "
          + (type.isInterface() ? "an interface" : "abstract"));
    }
    try {
      type.getConstructor();
    } catch (NoSuchMethodException e) {
      final boolean inner = type.isMemberClass() && !Modifier.isStatic(type.getModifiers());
      return Optional.of("expected a class with a public no-argument constructor" + got + ", which has none"
          + (inner ? " (an inner class: make it static)" : ""));
    }
    return Optional.empty();
  }
}
