package dev.nucleus.rpc.processor;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes the code that puts values on a frame and gets them back, for one generated class. Simple
 * values become one Frame call; arrays and lists become loops; each record gets a pair of private
 * static helpers ({@code writePoint}, {@code readPoint}) and each enum a cached
 * {@code values()} array, added to the class once.
 *
 * <p>Side: the proxy (client) gets ByteBuffer and MemorySegment results as copies, the adapter
 * (server) gets those arguments as views of the request.
 */
final class Codec {

  static final ClassName FRAME = ClassName.get("dev.nucleus.rpc", "Frame");
  private static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");

  private final boolean server;
  private final TypeSpec.Builder owner;
  private final Set<String> helpers = new HashSet<>();
  private final Map<ClassName, String> enumValues = new HashMap<>();
  private final Set<String> memberNames = new HashSet<>();
  private final List<MethodSpec> pending = new ArrayList<>();

  /**
   * A codec that adds its helpers to {@code owner}.
   *
   * @param server true for the adapter (views), false for the proxy (copies)
   * @param owner the class being generated
   */
  Codec(boolean server, TypeSpec.Builder owner) {
    this.server = server;
    this.owner = owner;
  }

  /** Adds the helper methods written so far to the class; call once, after the last method. */
  void finish() {
    pending.forEach(owner::addMethod);
    pending.clear();
  }

  /** Puts the value of the local or parameter {@code name} of type {@code t} on {@code frame}. */
  void write(CodeBlock.Builder code, WireType t, String frame, String name, Locals locals) {
    switch (t) {
      case WireType.Primitive p -> code.addStatement("$N.put$L($N)", frame, p.frameSuffix(), name);
      case WireType.Boxed b -> code.beginControlFlow("if ($N.putPresence($N))", frame, name)
          .addStatement("$N.put$L($N)", frame, b.primitive().frameSuffix(), name)
          .endControlFlow();
      case WireType.Str s -> code.addStatement("$N.putString($N)", frame, name);
      case WireType.Bulk b -> code.addStatement("$N.$L($N)", frame, b.put(), name);
      case WireType.EnumType e -> code.addStatement("$N.putEnum($N)", frame, name);
      case WireType.RecordType r -> code.addStatement("$N($N, $N)", writer(r), frame, name);
      case WireType.ArrayOf a -> writeElements(code, a.element(), frame, name, name + ".length", locals);
      case WireType.ListOf l -> writeElements(code, l.element(), frame, name, name + ".size()", locals);
    }
  }

  private void writeElements(CodeBlock.Builder code, WireType element, String frame, String name, String size,
      Locals locals) {
    code.addStatement("$N.putCount($N == null ? $T.NULL_LENGTH : $L)", frame, name, FRAME, size);
    code.beginControlFlow("if ($N != null)", name);
    final String item = locals.fresh("element");
    code.beginControlFlow("for (final $T $N : $N)", element.typeName(), item, name);
    write(code, element, frame, item, locals);
    code.endControlFlow();
    code.endControlFlow();
  }

  /** Declares the local {@code name} of type {@code t}, got from {@code frame}. */
  void read(CodeBlock.Builder code, WireType t, String frame, String name, Locals locals) {
    final TypeName type = t.typeName();
    switch (t) {
      case WireType.Primitive p -> code.addStatement("final $T $N = $N.get$L()", type, name, frame, p.frameSuffix());
      case WireType.Boxed b -> code.addStatement("final $T $N = $N.getPresence() ? $T.valueOf($N.get$L()) : null",
          type, name, frame, b.typeName(), frame, b.primitive().frameSuffix());
      case WireType.Str s -> code.addStatement("final $T $N = $N.getString()", type, name, frame);
      case WireType.Bulk b -> code.addStatement("final $T $N = $N.$L()", type, name, frame,
          server ? b.serverGet() : b.clientGet());
      case WireType.EnumType e -> code.addStatement("final $T $N = $N.getEnum($N)", type, name, frame, values(e));
      case WireType.RecordType r -> code.addStatement("final $T $N = $N($N)", type, name, reader(r), frame);
      case WireType.ArrayOf a -> readElements(code, a.element(), frame, name, type, true, locals);
      case WireType.ListOf l -> readElements(code, l.element(), frame, name, type, false, locals);
    }
  }

  private void readElements(CodeBlock.Builder code, WireType element, String frame, String name, TypeName type,
      boolean array, Locals locals) {
    final String count = locals.fresh(name + "Count");
    code.addStatement("final int $N = $N.getCount($L)", count, frame, element.minBytes());
    code.addStatement("final $T $N", type, name);
    code.beginControlFlow("if ($N == $T.NULL_LENGTH)", count, FRAME);
    code.addStatement("$N = null", name);
    code.nextControlFlow("else");
    if (array) {
      code.addStatement("$N = $L", name, newArray(element.typeName(), count));
    } else {
      code.addStatement("$N = new $T<>($N)", name, ARRAY_LIST, count);
    }
    final String index = locals.fresh("i");
    code.beginControlFlow("for (int $N = 0; $N < $N; $N++)", index, index, count, index);
    final String item = locals.fresh("element");
    read(code, element, frame, item, locals);
    if (array) {
      code.addStatement("$N[$N] = $N", name, index, item);
    } else {
      code.addStatement("$N.add($N)", name, item);
    }
    code.endControlFlow();
    code.endControlFlow();
  }

  /** {@code new E[count]}, with the dimensions of an array element after the count: {@code new int[count][]}. */
  private static CodeBlock newArray(TypeName element, String count) {
    TypeName base = element;
    final StringBuilder dims = new StringBuilder();
    while (base instanceof ArrayTypeName a) {
      base = a.componentType;
      dims.append("[]");
    }
    return CodeBlock.of("new $T[$N]$L", base, count, dims);
  }

  /** The name of the cached {@code values()} of {@code e}, adding the field on first use. */
  private String values(WireType.EnumType e) {
    return enumValues.computeIfAbsent(e.typeName(), type -> {
      final String field = unique(ServiceAnalyzer.ConstantNames.upperSnake(String.join("_", type.simpleNames()))
          + "_VALUES");
      owner.addField(FieldSpec.builder(ArrayTypeName.of(type), field, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("$T's constants by ordinal, read once: {@code values()} copies its array on every call.\n", type)
          .initializer("$T.values()", type)
          .build());
      return field;
    });
  }

  private String writer(WireType.RecordType r) {
    final String name = "write" + String.join("_", r.typeName().simpleNames());
    if (helpers.add(name)) {
      final Locals locals = new Locals("frame", "value");
      final CodeBlock.Builder code = CodeBlock.builder();
      code.beginControlFlow("if (!frame.putPresence(value))").addStatement("return").endControlFlow();
      for (final WireType.Component c : r.components()) {
        final String local = locals.fresh(c.name());
        code.addStatement("final $T $N = value.$N()", c.type().typeName(), local, c.name());
        write(code, c.type(), "frame", local, locals);
      }
      pending.add(MethodSpec.methodBuilder(name)
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("Puts a {@link $T}: presence, then its components in order.\n", r.typeName())
          .addParameter(FRAME, "frame", Modifier.FINAL)
          .addParameter(r.typeName(), "value", Modifier.FINAL)
          .addCode(code.build())
          .build());
    }
    return name;
  }

  private String reader(WireType.RecordType r) {
    final String name = "read" + String.join("_", r.typeName().simpleNames());
    if (helpers.add(name)) {
      final Locals locals = new Locals("frame");
      final CodeBlock.Builder code = CodeBlock.builder();
      code.beginControlFlow("if (!frame.getPresence())").addStatement("return null").endControlFlow();
      final List<String> args = new ArrayList<>();
      for (final WireType.Component c : r.components()) {
        final String local = locals.fresh(c.name());
        read(code, c.type(), "frame", local, locals);
        args.add(local);
      }
      code.addStatement("return new $T($L)", r.typeName(), String.join(", ", args));
      pending.add(MethodSpec.methodBuilder(name)
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("Gets a {@link $T}, or null.\n", r.typeName())
          .returns(r.typeName())
          .addParameter(FRAME, "frame", Modifier.FINAL)
          .addCode(code.build())
          .build());
    }
    return name;
  }

  private String unique(String base) {
    String name = base;
    for (int n = 2; !memberNames.add(name); n++) {
      name = base + n;
    }
    return name;
  }

  /** Local names of one generated method: the parameters' and the writer's own, never twice. */
  static final class Locals {
    private final Set<String> taken = new HashSet<>();

    Locals(String... reserved) {
      taken.addAll(List.of(reserved));
    }

    /** Reserves {@code name} as is (a parameter of the interface). */
    void reserve(String name) {
      taken.add(name);
    }

    /** {@code base}, or base with a number, not taken before. */
    String fresh(String base) {
      String name = base;
      for (int n = 2; !taken.add(name); n++) {
        name = base + n;
      }
      return name;
    }
  }
}
