package dev.nucleus.rpc.processor;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import java.util.List;

/**
 * How a Java type travels on a frame: the model the code writers work from. Each kind knows its
 * Java type, its part of the method signature ({@code MethodIds}) and the fewest bytes it can take
 * on the wire (what a hostile count is checked against).
 */
sealed interface WireType {

  /** The Java type, as generated code spells it. */
  TypeName typeName();

  /** The signature fragment: a JVM descriptor, with List type arguments in generic form. */
  String descriptor();

  /** The fewest bytes one value takes on the wire, padding aside. */
  int minBytes();

  /** A primitive: {@code putInt}/{@code getInt} and so on. */
  record Primitive(TypeName typeName, String descriptor, String frameSuffix, int minBytes) implements WireType {}

  /** A box of a primitive: a presence byte, then the primitive. */
  record Boxed(Primitive primitive, ClassName typeName) implements WireType {
    @Override
    public String descriptor() {
      return "L" + typeName.reflectionName().replace('.', '/') + ";";
    }

    @Override
    public int minBytes() {
      return 1;
    }
  }

  /** A String: i32 length, UTF-8. */
  record Str() implements WireType {
    @Override
    public TypeName typeName() {
      return ClassName.get(String.class);
    }

    @Override
    public String descriptor() {
      return "Ljava/lang/String;";
    }

    @Override
    public int minBytes() {
      return 4;
    }
  }

  /**
   * A bulk value: byte[] and the other primitive arrays, ByteBuffer, MemorySegment. The getters
   * differ by side only for ByteBuffer and MemorySegment (a view at the server, a copy at the
   * client).
   */
  record Bulk(TypeName typeName, String descriptor, String put, String serverGet, String clientGet)
      implements WireType {
    @Override
    public int minBytes() {
      return 4;
    }
  }

  /** An enum: i32 ordinal. */
  record EnumType(ClassName typeName, String descriptor) implements WireType {
    @Override
    public int minBytes() {
      return 4;
    }
  }

  /** A record: presence byte, then the components in order. */
  record RecordType(ClassName typeName, String descriptor, List<Component> components) implements WireType {
    @Override
    public int minBytes() {
      return 1;
    }
  }

  /** A record component: its accessor's name and its type. */
  record Component(String name, WireType type) {}

  /** An array of non-primitive values: i32 count, then the elements. */
  record ArrayOf(WireType element) implements WireType {
    @Override
    public TypeName typeName() {
      return ArrayTypeName.of(element.typeName());
    }

    @Override
    public String descriptor() {
      return "[" + element.descriptor();
    }

    @Override
    public int minBytes() {
      return 4;
    }
  }

  /** A {@code List}: i32 count, then the elements. */
  record ListOf(WireType element) implements WireType {
    @Override
    public TypeName typeName() {
      return ParameterizedTypeName.get(ClassName.get(List.class), element.typeName());
    }

    @Override
    public String descriptor() {
      return "Ljava/util/List<" + element.descriptor() + ">;";
    }

    @Override
    public int minBytes() {
      return 4;
    }
  }
}
