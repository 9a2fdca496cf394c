package dev.nucleus.rpc.processor;

import com.squareup.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * A {@code @Service} interface as the writers see it, once every check has passed.
 *
 * @param element the interface
 * @param type its class name
 * @param name the service's name
 * @param isPublic whether the generated classes are public
 * @param methods the remote methods, in declaration order
 */
record ServiceModel(TypeElement element, ClassName type, String name, boolean isPublic, List<Method> methods) {

  /** The generated class {@code <flat name>_<suffix>} in the interface's package. */
  ClassName generated(String suffix) {
    return ClassName.get(type.packageName(), String.join("_", type.simpleNames()) + "_" + suffix);
  }

  /**
   * One remote method.
   *
   * @param element the method
   * @param name its name
   * @param signature its signature, e.g. {@code (J)J}
   * @param id its id
   * @param oneway whether it is one-way
   * @param params its parameters
   * @param result its result type, or null for void
   * @param exceptions its declared exceptions, in throws-clause order (their index is the wire's)
   * @param catchOrder the indices of {@code exceptions} in the order the adapter catches them
   *     (subclasses before their superclasses)
   * @param constant the base name of its constants in {@code Foo_Service}, e.g. {@code GET}
   */
  record Method(ExecutableElement element, String name, String signature, int id, boolean oneway,
      List<Param> params, WireType result, List<ClassName> exceptions, List<Integer> catchOrder, String constant) {}

  /**
   * One parameter.
   *
   * @param name its name in the interface
   * @param type how it travels
   */
  record Param(String name, WireType type) {}
}
