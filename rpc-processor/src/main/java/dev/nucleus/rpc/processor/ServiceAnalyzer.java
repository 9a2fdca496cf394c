package dev.nucleus.rpc.processor;

import com.squareup.javapoet.ClassName;
import dev.nucleus.rpc.MethodIds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks a {@code @Service} interface and builds its {@link ServiceModel}. Every problem is a
 * compile error on the element at fault, naming the method and, for a type, the parameter; the
 * analysis goes on after an error so that one compilation reports them all.
 *
 * <p>Rules (also in {@code Service}'s Javadoc): a non-generic interface extending nothing; its
 * abstract methods are remote (default, static and private methods are left out), without type
 * parameters, of supported types; a declared exception has a public (String) constructor; a
 * oneway method is void and declares nothing; methods of Object may not be redeclared; no two
 * method ids collide.
 */
final class ServiceAnalyzer {

  private static final String ONEWAY = "dev.nucleus.rpc.Oneway";

  private final Elements elements;
  private final Types types;
  private final Messager messager;
  private boolean failed;

  ServiceAnalyzer(Elements elements, Types types, Messager messager) {
    this.elements = elements;
    this.types = types;
    this.messager = messager;
  }

  /**
   * The model of {@code element}, or null if an error was reported.
   *
   * @param element an element annotated {@code @Service}
   * @param declaredName the annotation's name(), empty for the simple name
   */
  ServiceModel analyze(Element element, String declaredName) {
    failed = false;
    if (element.getKind() != ElementKind.INTERFACE) {
      error(element, "@Service applies to interfaces; " + element.getSimpleName() + " is "
          + article(element.getKind()));
      return null;
    }
    final TypeElement type = (TypeElement) element;
    final String simple = type.getSimpleName().toString();
    if (!type.getTypeParameters().isEmpty()) {
      error(type, simple + ": a @Service interface cannot have type parameters");
    }
    if (!type.getInterfaces().isEmpty()) {
      error(type, simple + ": a @Service interface cannot extend other interfaces (" + type.getInterfaces() + ")");
    }
    if (!isAccessibleInPackage(type)) {
      error(type, simple + ": a @Service interface cannot be private");
    }
    final String packageName = elements.getPackageOf(type).getQualifiedName().toString();
    final WireTypes wireTypes = new WireTypes(elements, packageName);
    final List<ServiceModel.Method> methods = new ArrayList<>();
    final Map<Integer, ServiceModel.Method> byId = new HashMap<>();
    final ConstantNames constants = new ConstantNames();
    final Map<String, Integer> overloads = countNames(type);
    final Map<String, Integer> seen = new HashMap<>();
    for (final ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (!m.getModifiers().contains(Modifier.ABSTRACT)) {
        continue; // default, static, private: not remote
      }
      final String name = m.getSimpleName().toString();
      final int nth = seen.merge(name, 1, Integer::sum);
      final String constant = constants.allocate(ConstantNames.upperSnake(name)
          + (overloads.get(name) > 1 ? "_" + nth : ""));
      final ServiceModel.Method method = method(simple, m, wireTypes, constant);
      if (method == null) {
        continue;
      }
      final ServiceModel.Method clash = byId.putIfAbsent(method.id(), method);
      if (clash != null) {
        error(m, simple + "." + name + ": method id " + MethodIds.toString(method.id()) + " of " + name
            + method.signature() + " collides with " + clash.name() + clash.signature() + "; rename one of them");
        continue;
      }
      methods.add(method);
    }
    if (failed) {
      return null;
    }
    final String serviceName = declaredName.isEmpty() ? simple : declaredName;
    return new ServiceModel(type, ClassName.get(type), serviceName, isPublicAllTheWay(type), List.copyOf(methods));
  }

  private ServiceModel.Method method(String service, ExecutableElement m, WireTypes wireTypes, String constant) {
    final String where = service + "." + m.getSimpleName();
    final String name = m.getSimpleName().toString();
    if (isObjectMethod(m)) {
      error(m, where + ": a method of java.lang.Object cannot be remote");
      return null;
    }
    if (!m.getTypeParameters().isEmpty()) {
      error(m, where + ": a remote method cannot have type parameters");
      return null;
    }
    final boolean oneway = m.getAnnotationMirrors().stream()
        .anyMatch(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(ONEWAY));
    boolean ok = true;
    final List<ServiceModel.Param> params = new ArrayList<>();
    final StringBuilder signature = new StringBuilder("(");
    for (final VariableElement p : m.getParameters()) {
      try {
        final WireType t = wireTypes.map(p.asType());
        params.add(new ServiceModel.Param(p.getSimpleName().toString(), t));
        signature.append(t.descriptor());
      } catch (WireTypes.Unsupported e) {
        error(p, where + ": parameter '" + p.getSimpleName() + "' has unsupported type " + p.asType() + detail(e));
        ok = false;
      }
    }
    signature.append(')');
    WireType result = null;
    final TypeMirror returnType = m.getReturnType();
    if (returnType.getKind() == TypeKind.VOID) {
      signature.append('V');
    } else if (oneway) {
      error(m, where + ": a @Oneway method must return void, not " + returnType);
      ok = false;
    } else {
      try {
        result = wireTypes.map(returnType);
        signature.append(result.descriptor());
      } catch (WireTypes.Unsupported e) {
        error(m, where + ": result has unsupported type " + returnType + detail(e));
        ok = false;
      }
    }
    final List<ClassName> exceptions = new ArrayList<>();
    final List<TypeMirror> thrown = new ArrayList<>();
    if (oneway && !m.getThrownTypes().isEmpty()) {
      error(m, where + ": a @Oneway method cannot declare exceptions (" + m.getThrownTypes() + ")");
      ok = false;
    }
    for (final TypeMirror t : m.getThrownTypes()) {
      final String problem = exceptionProblem(t);
      if (problem != null) {
        error(m, where + ": exception " + t + " " + problem);
        ok = false;
      } else if (thrown.stream().noneMatch(x -> types.isSameType(x, t))) {
        thrown.add(t);
        exceptions.add(ClassName.get((TypeElement) ((DeclaredType) t).asElement()));
      }
    }
    if (!ok) {
      return null;
    }
    final String sig = signature.toString();
    return new ServiceModel.Method(m, name, sig, MethodIds.methodId(name, sig), oneway, List.copyOf(params), result,
        List.copyOf(exceptions), catchOrder(thrown), constant);
  }

  /** Subclasses before their superclasses, else in throws-clause order. */
  private List<Integer> catchOrder(List<TypeMirror> thrown) {
    final Comparator<Integer> bySupertypesDeclared = Comparator.comparingLong(
        i -> -thrown.stream().filter(o -> !types.isSameType(o, thrown.get(i)) && types.isSubtype(thrown.get(i), o)).count());
    return IntStream.range(0, thrown.size()).boxed().sorted(bySupertypesDeclared).toList();
  }

  /** Why {@code t} cannot be a declared exception, or null if it can. */
  private String exceptionProblem(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return "must be a class, not a type variable";
    }
    final TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
    if (e.getModifiers().contains(Modifier.ABSTRACT)) {
      return "must not be abstract: the client creates one";
    }
    if (!isPublicAllTheWay(e)) {
      return "must be public: the client creates one";
    }
    final TypeMirror string = elements.getTypeElement("java.lang.String").asType();
    final boolean hasStringConstructor = ElementFilter.constructorsIn(e.getEnclosedElements()).stream()
        .anyMatch(c -> c.getModifiers().contains(Modifier.PUBLIC) && c.getParameters().size() == 1
            && types.isSameType(c.getParameters().get(0).asType(), string));
    return hasStringConstructor ? null : "needs a public constructor taking a String (its message)";
  }

  private boolean isObjectMethod(ExecutableElement m) {
    final String name = m.getSimpleName().toString();
    final int arity = m.getParameters().size();
    return (name.equals("toString") || name.equals("hashCode")) && arity == 0
        || name.equals("equals") && arity == 1 && m.getParameters().get(0).asType().toString().equals("java.lang.Object");
  }

  private static Map<String, Integer> countNames(TypeElement type) {
    final Map<String, Integer> counts = new HashMap<>();
    for (final ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (m.getModifiers().contains(Modifier.ABSTRACT)) {
        counts.merge(m.getSimpleName().toString(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static boolean isPublicAllTheWay(TypeElement type) {
    for (Element e = type; !(e instanceof PackageElement); e = e.getEnclosingElement()) {
      if (!e.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAccessibleInPackage(TypeElement type) {
    for (Element e = type; !(e instanceof PackageElement); e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return false;
      }
    }
    return true;
  }

  private static String detail(WireTypes.Unsupported e) {
    return e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
  }

  private static String article(ElementKind kind) {
    final String k = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return (k.matches("^[aeiou].*") ? "an " : "a ") + k;
  }

  private void error(Element element, String message) {
    failed = true;
    messager.printMessage(Diagnostic.Kind.ERROR, message, element);
  }

  /** Unique constant names in {@code Foo_Service}: NAME, ID, INSTANCE, METHODS are taken. */
  static final class ConstantNames {
    private final Set<String> taken = new HashSet<>(Set.of("NAME", "ID", "INSTANCE", "METHODS"));

    /** {@code base}, or base with a number, such that base and base_ID are both free. */
    String allocate(String base) {
      String name = base;
      for (int n = 2; taken.contains(name) || taken.contains(name + "_ID"); n++) {
        name = base + n;
      }
      taken.add(name);
      taken.add(name + "_ID");
      return name;
    }

    /** {@code getAll} as {@code GET_ALL}. */
    static String upperSnake(String camel) {
      final StringBuilder out = new StringBuilder();
      for (int i = 0; i < camel.length(); i++) {
        final char c = camel.charAt(i);
        if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(camel.charAt(i - 1))) {
          out.append('_');
        }
        out.append(Character.toUpperCase(c));
      }
      return out.toString();
    }
  }
}
