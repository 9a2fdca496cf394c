package dev.nucleus.rpc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated source is stable: the KeyValue example gives exactly the files in
 * src/test/resources/golden (which also show what generated code looks like; {@code .java.txt}, so
 * that javac does not take them for sources on the class path). After an intended change to the
 * generated code, update them from target/generated-test-sources (package {@code golden}).
 */
@Tag("unit")
@Timeout(120)
@DisplayName("generated source")
class GeneratedSourceTest {

  private static final Path E2E = Path.of("src/test/java/dev/nucleus/rpc/e2e");

  /** The end-to-end tests' KeyValue, moved to package {@code golden} (its own generated classes are on the class path). */
  private static Compilation compileKeyValue() throws IOException {
    return Sources.compile(
        "golden.KeyValue", inGoldenPackage(E2E.resolve("KeyValue.java")),
        "golden.KeyTooLong", inGoldenPackage(E2E.resolve("KeyTooLong.java")));
  }

  private static String inGoldenPackage(Path source) throws IOException {
    return Files.readString(source).replace("package dev.nucleus.rpc.e2e;", "package golden;");
  }

  private static String generated(Compilation c, String name) throws IOException {
    return c.generatedSourceFile("golden." + name).orElseThrow().getCharContent(true).toString();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"KeyValue_Proxy", "KeyValue_Adapter", "KeyValue_Service"})
  @DisplayName("KeyValue's generated class matches its golden file, compilation after compilation")
  void shouldMatchTheGoldenFile(String name) throws IOException {
    final Compilation first = compileKeyValue();
    final Compilation second = compileKeyValue();
    assertThat(first.status()).as(Sources.messages(first.diagnostics())).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(generated(second, name)).isEqualTo(generated(first, name));
    try (InputStream golden = GeneratedSourceTest.class.getResourceAsStream("/golden/" + name + ".java.txt")) {
      assertThat(golden).as("golden file for " + name).isNotNull();
      assertThat(generated(first, name)).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
