package dev.nucleus.rpc.processor;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Maps Java types to {@link WireType}s: the list of supported types is here. A type that is not
 * supported is an {@link Unsupported} with the reason, when there is more to say than the type.
 */
final class WireTypes {

  /** A type that cannot travel; {@code detail} says why when the type itself is not the reason. */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String detail) {
      super(detail, null, false, false);
    }
  }

  private static final Map<TypeKind, WireType.Primitive> PRIMITIVES = Map.of(
      TypeKind.BOOLEAN, new WireType.Primitive(TypeName.BOOLEAN, "Z", "Boolean", 1),
      TypeKind.BYTE, new WireType.Primitive(TypeName.BYTE, "B", "Byte", 1),
      TypeKind.SHORT, new WireType.Primitive(TypeName.SHORT, "S", "Short", 2),
      TypeKind.CHAR, new WireType.Primitive(TypeName.CHAR, "C", "Char", 2),
      TypeKind.INT, new WireType.Primitive(TypeName.INT, "I", "Int", 4),
      TypeKind.LONG, new WireType.Primitive(TypeName.LONG, "J", "Long", 8),
      TypeKind.FLOAT, new WireType.Primitive(TypeName.FLOAT, "F", "Float", 4),
      TypeKind.DOUBLE, new WireType.Primitive(TypeName.DOUBLE, "D", "Double", 8));

  /** Arrays of primitives: bulk values with a put/get pair of their own. */
  private static final Map<TypeKind, String> BULK_SUFFIXES = Map.of(
      TypeKind.BOOLEAN, "Booleans", TypeKind.BYTE, "Bytes", TypeKind.SHORT, "Shorts", TypeKind.CHAR, "Chars",
      TypeKind.INT, "Ints", TypeKind.LONG, "Longs", TypeKind.FLOAT, "Floats", TypeKind.DOUBLE, "Doubles");

  private final Elements elements;
  private final String packageName;
  /** Records mapped so far (by qualified name), and those being mapped (to catch recursion). */
  private final Map<String, WireType.RecordType> records = new HashMap<>();
  private final Deque<String> inProgress = new ArrayDeque<>();

  /**
   * A mapper for the generated code of one service.
   *
   * @param elements the compiler's elements
   * @param packageName the package the generated code goes in (for accessibility)
   */
  WireTypes(Elements elements, String packageName) {
    this.elements = elements;
    this.packageName = packageName;
  }

  /**
   * The wire type of {@code type}.
   *
   * @throws Unsupported if it cannot travel
   */
  WireType map(TypeMirror type) throws Unsupported {
    final TypeKind kind = type.getKind();
    if (kind.isPrimitive()) {
      return PRIMITIVES.get(kind);
    }
    if (kind == TypeKind.ARRAY) {
      return mapArray((ArrayType) type);
    }
    if (kind != TypeKind.DECLARED) {
      throw new Unsupported(null);
    }
    final DeclaredType declared = (DeclaredType) type;
    final TypeElement element = (TypeElement) declared.asElement();
    final String name = element.getQualifiedName().toString();
    switch (name) {
      case "java.lang.String":
        return new WireType.Str();
      case "java.nio.ByteBuffer":
        return new WireType.Bulk(ClassName.get("java.nio", "ByteBuffer"), "Ljava/nio/ByteBuffer;",
            "putByteBuffer", "getByteBufferView", "getByteBufferCopy");
      case "java.lang.foreign.MemorySegment":
        return new WireType.Bulk(ClassName.get("java.lang.foreign", "MemorySegment"),
            "Ljava/lang/foreign/MemorySegment;", "putSegment", "getSegmentView", "getSegmentCopy");
      case "java.util.List":
        return mapList(declared);
      default:
        break;
    }
    final WireType.Primitive unboxed = unbox(name);
    if (unboxed != null) {
      return new WireType.Boxed(unboxed, ClassName.get(element));
    }
    if (element.getKind() == ElementKind.ENUM) {
      checkAccessible(element);
      return new WireType.EnumType(ClassName.get(element), descriptorOf(element));
    }
    if (element.getKind() == ElementKind.RECORD) {
      return mapRecord(element);
    }
    throw new Unsupported(null);
  }

  private WireType mapArray(ArrayType array) throws Unsupported {
    final TypeMirror component = array.getComponentType();
    if (component.getKind().isPrimitive()) {
      final String suffix = BULK_SUFFIXES.get(component.getKind());
      final WireType.Primitive p = PRIMITIVES.get(component.getKind());
      return new WireType.Bulk(ArrayTypeName.of(p.typeName()), "[" + p.descriptor(), "put" + suffix, "get" + suffix,
          "get" + suffix);
    }
    if (component.getKind() == TypeKind.DECLARED && !((DeclaredType) component).getTypeArguments().isEmpty()) {
      throw new Unsupported("arrays of generic types cannot be created: use a List of " + component);
    }
    return new WireType.ArrayOf(mapElement(component));
  }

  private WireType mapList(DeclaredType list) throws Unsupported {
    final List<? extends TypeMirror> args = list.getTypeArguments();
    if (args.size() != 1) {
      throw new Unsupported("a List needs its element type");
    }
    return new WireType.ListOf(mapElement(args.get(0)));
  }

  private WireType mapElement(TypeMirror element) throws Unsupported {
    try {
      return map(element);
    } catch (Unsupported e) {
      throw new Unsupported(e.getMessage() != null ? e.getMessage() : "element type " + element + " is not supported");
    }
  }

  private WireType mapRecord(TypeElement record) throws Unsupported {
    final String name = record.getQualifiedName().toString();
    final WireType.RecordType known = records.get(name);
    if (known != null) {
      return known;
    }
    if (inProgress.contains(name)) {
      throw new Unsupported("record " + name + " contains itself; recursive records are not supported");
    }
    if (!record.getTypeParameters().isEmpty()) {
      throw new Unsupported("generic record " + name + " is not supported");
    }
    checkAccessible(record);
    inProgress.push(name);
    try {
      final List<WireType.Component> components = new ArrayList<>();
      for (final RecordComponentElement c : record.getRecordComponents()) {
        try {
          components.add(new WireType.Component(c.getSimpleName().toString(), map(c.asType())));
        } catch (Unsupported e) {
          throw new Unsupported("record component " + record.getSimpleName() + "." + c.getSimpleName() + " has unsupported type "
              + c.asType() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
      }
      final WireType.RecordType mapped = new WireType.RecordType(ClassName.get(record), descriptorOf(record),
          List.copyOf(components));
      records.put(name, mapped);
      return mapped;
    } finally {
      inProgress.pop();
    }
  }

  /** Generated code in {@link #packageName} must name {@code type}: public all the way out, or in that package and not private. */
  private void checkAccessible(TypeElement type) throws Unsupported {
    final boolean samePackage = elements.getPackageOf(type).getQualifiedName().contentEquals(packageName);
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      final boolean ok = e.getModifiers().contains(Modifier.PUBLIC)
          || (samePackage && !e.getModifiers().contains(Modifier.PRIVATE));
      if (!ok) {
        throw new Unsupported(type.getQualifiedName() + " is not accessible from package " + packageName);
      }
      if (e.getEnclosingElement() instanceof PackageElement) {
        break;
      }
    }
  }

  private String descriptorOf(TypeElement type) {
    return "L" + elements.getBinaryName(type).toString().replace('.', '/') + ";";
  }

  private static WireType.Primitive unbox(String qualifiedName) {
    return switch (qualifiedName) {
      case "java.lang.Boolean" -> PRIMITIVES.get(TypeKind.BOOLEAN);
      case "java.lang.Byte" -> PRIMITIVES.get(TypeKind.BYTE);
      case "java.lang.Short" -> PRIMITIVES.get(TypeKind.SHORT);
      case "java.lang.Character" -> PRIMITIVES.get(TypeKind.CHAR);
      case "java.lang.Integer" -> PRIMITIVES.get(TypeKind.INT);
      case "java.lang.Long" -> PRIMITIVES.get(TypeKind.LONG);
      case "java.lang.Float" -> PRIMITIVES.get(TypeKind.FLOAT);
      case "java.lang.Double" -> PRIMITIVES.get(TypeKind.DOUBLE);
      default -> null;
    };
  }
}
