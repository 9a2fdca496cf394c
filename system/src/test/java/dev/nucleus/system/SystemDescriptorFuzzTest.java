package dev.nucleus.system;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * Jazzer drives {@link SystemDescriptor#parse} with arbitrary text: whatever the text, it returns
 * a descriptor or throws {@link DescriptorException}; any other exception escapes this method and
 * is a finding.
 *
 * <p>Under {@code ./nucleus test} this replays the regression corpus in
 * {@code src/test/resources/dev/nucleus/system/SystemDescriptorFuzzTestInputs/}: each file is raw
 * descriptor text (UTF-8; invalid sequences decode to U+FFFD). To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl system -am verify -Dtest=SystemDescriptorFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=5m}; a crashing input is written
 * into that directory, where it stays as a regression once the bug is fixed.
 */
@Tag("unit")
class SystemDescriptorFuzzTest {

  private static final Path SOURCE = Path.of("/fuzz/system.toml");
  private static final ClassLoader LOADER = SystemDescriptorFuzzTest.class.getClassLoader();

  @FuzzTest(maxDuration = "5m")
  void anyTextIsADescriptorOrADescriptorException(byte[] input) {
    final String toml = new String(input, StandardCharsets.UTF_8);
    try {
      SystemDescriptor.parse(toml, SOURCE, LOADER);
    } catch (DescriptorException expected) {
      // the documented outcome for every invalid descriptor
    }
  }
}
