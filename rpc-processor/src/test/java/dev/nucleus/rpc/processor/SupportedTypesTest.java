package dev.nucleus.rpc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each supported type, as a parameter and as a result, compiles into warning-free generated code. */
@Tag("unit")
@Timeout(120)
@DisplayName("the processor accepts every supported type")
class SupportedTypesTest {

  private static final String TYPES = """
      package test;
      import java.util.List;
      public final class Types {
        private Types() {}
        public enum Color { RED, GREEN }
        public record Pt(int x, String label, List<Color> colors, long[] weights, Integer box) {}
        public record Line(Pt from, Pt to, Pt[] via) {}
        public static final class Outer { private Outer() {} public record Inner(byte[] bytes) {} }
      }
      """;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "boolean", "byte", "short", "char", "int", "long", "float", "double",
      "Boolean", "Byte", "Short", "Character", "Integer", "Long", "Float", "Double",
      "String", "byte[]", "boolean[]", "short[]", "char[]", "int[]", "long[]", "float[]", "double[]",
      "java.nio.ByteBuffer", "java.lang.foreign.MemorySegment",
      "Types.Color", "Types.Pt", "Types.Line", "Types.Outer.Inner",
      "String[]", "Types.Color[]", "Types.Pt[]", "int[][]", "String[][]", "byte[][]",
      "java.util.List<String>", "java.util.List<Integer>", "java.util.List<Types.Pt>", "java.util.List<byte[]>",
      "java.util.List<java.util.List<Types.Color>>", "java.util.List<int[]>", "java.util.List<Types.Line[]>",
  })
  @DisplayName("a type as parameter and result")
  void shouldAcceptType(String type) {
    final Compilation c = Sources.compile("test.Types", TYPES, "test.S", """
        package test;
        @dev.nucleus.rpc.Service
        public interface S {
          %s echo(%s value);
          void take(%s a, %s b);
        }
        """.formatted(type, type, type, type));
    assertThat(c.status()).as(Sources.messages(c.diagnostics())).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(c.warnings()).as("generated code compiles without warnings").isEmpty();
    assertThat(c.generatedSourceFile("test.S_Proxy")).isPresent();
    assertThat(c.generatedSourceFile("test.S_Adapter")).isPresent();
    assertThat(c.generatedSourceFile("test.S_Service")).isPresent();
  }

  @Test
  @DisplayName("default, static and private methods are left out; a package-private interface gets package-private classes")
  void shouldLeaveOutNonAbstractMethods() throws Exception {
    final Compilation c = Sources.compile("test.S", """
        package test;
        @dev.nucleus.rpc.Service
        interface S {
          long get(long key);
          default long twice(long key) { return get(get(key)); }
          static S none() { return null; }
          private void helper() {}
        }
        """);
    assertThat(c.status()).as(Sources.messages(c.diagnostics())).isEqualTo(Compilation.Status.SUCCESS);
    final String proxy = c.generatedSourceFile("test.S_Proxy").orElseThrow().getCharContent(true).toString();
    assertThat(proxy).contains("public long get(").doesNotContain("twice").doesNotContain("helper")
        .contains("final class S_Proxy").doesNotContain("public final class");
  }

  @Test
  @DisplayName("a parameter named like a local of the generated code keeps its name; the locals move aside")
  void shouldAvoidNameClashes() {
    final Compilation c = Sources.compile("test.S", """
        package test;
        @dev.nucleus.rpc.Service
        public interface S {
          long call(long call, String request, int reply, byte result, long implementation, long binding, int frame);
          java.util.List<String> element(java.util.List<String> element, String[] i);
        }
        """);
    assertThat(c.status()).as(Sources.messages(c.diagnostics())).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(c.warnings()).isEmpty();
  }
}
