package dev.nucleus.rpc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** An unsupported signature is a compile error that names the method and the parameter, and nothing is generated. */
@Tag("unit")
@Timeout(120)
@DisplayName("the processor rejects unsupported signatures")
class RejectedSignaturesTest {

  private static final String HELPERS = """
      package test;
      public final class Helpers {
        private Helpers() {}
        public record Node(String name, java.util.List<Node> children) {}
        public static class NoStringConstructor extends Exception {
          private static final long serialVersionUID = 1L;
          public NoStringConstructor(int code) { super("code " + code); }
        }
        public static class Fine extends Exception {
          private static final long serialVersionUID = 1L;
          public Fine(String message) { super(message); }
        }
        private record Hidden(int x) {}
        public static Object hidden() { return new Hidden(1); }
      }
      """;

  static Stream<Arguments> methods() {
    return Stream.of(
        Arguments.of("void put(String key, java.util.Map<String, byte[]> value);",
            "KeyValue.put: parameter 'value' has unsupported type java.util.Map<java.lang.String,byte[]>"),
        Arguments.of("void take(Object value);", "KeyValue.take: parameter 'value' has unsupported type java.lang.Object"),
        Arguments.of("void sb(StringBuilder text);", "KeyValue.sb: parameter 'text' has unsupported type java.lang.StringBuilder"),
        Arguments.of("<T> void generic(T value);", "KeyValue.generic: a remote method cannot have type parameters"),
        Arguments.of("java.util.List names();", "KeyValue.names: result has unsupported type java.util.List (a List needs its element type)"),
        Arguments.of("void numbers(java.util.List<? extends Number> values);",
            "KeyValue.numbers: parameter 'values' has unsupported type java.util.List<? extends java.lang.Number>"),
        Arguments.of("void maps(java.util.List<java.util.Map<String, String>> values);",
            "KeyValue.maps: parameter 'values' has unsupported type java.util.List<java.util.Map<java.lang.String,java.lang.String>>"),
        Arguments.of("java.util.List<String>[] lists();", "KeyValue.lists: result has unsupported type java.util.List<java.lang.String>[] (arrays of generic types"),
        Arguments.of("void tree(Helpers.Node root);", "KeyValue.tree: parameter 'root' has unsupported type test.Helpers.Node (record component Node.children"),
        Arguments.of("void tree(java.util.List<Helpers.Node> roots);", "recursive records are not supported"),
        Arguments.of("@Oneway long ping(long x);", "KeyValue.ping: a @Oneway method must return void, not long"),
        Arguments.of("@Oneway void fire() throws Helpers.Fine;", "KeyValue.fire: a @Oneway method cannot declare exceptions"),
        Arguments.of("void fail() throws Helpers.NoStringConstructor;",
            "KeyValue.fail: exception test.Helpers.NoStringConstructor needs a public constructor taking a String"),
        Arguments.of("String toString();", "KeyValue.toString: a method of java.lang.Object cannot be remote"),
        Arguments.of("int hashCode();", "KeyValue.hashCode: a method of java.lang.Object cannot be remote"),
        Arguments.of("java.util.Optional<String> find(long key);",
            "KeyValue.find: result has unsupported type java.util.Optional<java.lang.String>"),
        Arguments.of("void m763399(); void m1109514();",
            "KeyValue.m1109514: method id 0x8d85d650 of m1109514()V collides with m763399()V; rename one of them"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  @DisplayName("an unsupported method")
  void shouldRejectMethod(String method, String error) {
    final Compilation c = Sources.compile("test.Helpers", HELPERS, "test.KeyValue", """
        package test;
        import dev.nucleus.rpc.*;
        @Service
        public interface KeyValue {
          long get(long key);
          %s
        }
        """.formatted(method));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(Sources.messages(c.errors())).contains(error);
    assertThat(Sources.messages(c.errors())).as("nothing generated for an interface with errors, so no error in it")
        .doesNotContain("KeyValue_");
  }

  @Test
  @DisplayName("a type that generated code cannot reach is rejected, naming why")
  void shouldRejectInaccessibleTypes() {
    final Compilation c = Sources.compile("other.Hidden", """
        package other;
        public final class Hidden {
          private Hidden() {}
          record Point(int x, int y) {}
          public static final class Box { private Box() {} }
        }
        """, "test.S", """
        package test;
        @dev.nucleus.rpc.Service
        public interface S {
          void a(other.Hidden.Box box);
        }
        """);
    assertThat(Sources.messages(c.errors())).contains("S.a: parameter 'box' has unsupported type other.Hidden.Box");
  }

  static Stream<Arguments> interfaces() {
    return Stream.of(
        Arguments.of("@Service public class KeyValue {}", "@Service applies to interfaces; KeyValue is a class"),
        Arguments.of("@Service public enum KeyValue { A }", "@Service applies to interfaces; KeyValue is an enum"),
        Arguments.of("@Service public interface KeyValue<T> { long get(long key); }",
            "KeyValue: a @Service interface cannot have type parameters"),
        Arguments.of("@Service public interface KeyValue extends Runnable {}",
            "KeyValue: a @Service interface cannot extend other interfaces"),
        Arguments.of("public interface KeyValue { @Oneway void log(String line); }",
            "KeyValue.log: @Oneway applies only to methods of a @Service interface"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("interfaces")
  @DisplayName("an unsupported annotated type")
  void shouldRejectType(String declaration, String error) {
    final Compilation c = Sources.compile("test.KeyValue", """
        package test;
        import dev.nucleus.rpc.*;
        %s
        """.formatted(declaration));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(Sources.messages(c.errors())).contains(error);
  }

  @Test
  @DisplayName("every error of an interface is reported in one compilation, each on its own element")
  void shouldReportEveryError() {
    final Compilation c = Sources.compile("test.KeyValue", """
        package test;
        @dev.nucleus.rpc.Service
        public interface KeyValue {
          void a(Object first, Thread second);
          Object b();
        }
        """);
    assertThat(c.errors()).hasSize(3);
    assertThat(Sources.messages(c.errors())).contains("KeyValue.a: parameter 'first'", "KeyValue.a: parameter 'second'",
        "KeyValue.b: result");
    assertThat(c.errors()).allSatisfy(e -> assertThat(e.getLineNumber()).isIn(4L, 5L));
  }
}
