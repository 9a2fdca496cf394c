package dev.nucleus.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict UTF-8 validation (RFC 3629). */
@Tag("unit")
@Timeout(10)
@DisplayName("Utf8")
class Utf8Test {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"", "41", "c3a9", "e4b896", "f09f9880", "7f", "dfbf", "efbfbf", "f48fbfbf", "ee8080"})
  @DisplayName("well-formed sequences pass")
  void shouldAcceptWellFormed(String hex) {
    assertThat(Utf8.firstInvalid(HexFormat.of().parseHex(hex))).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"80", "c0af", "c1bf", "e08080", "eda080", "edbfbf", "f08f8080", "f4908080", "f5", "ff",
      "c3", "e4b8", "f09f98", "c328", "e428a1"})
  @DisplayName("overlong, surrogate, out-of-range, truncated and stray bytes fail at the start of their sequence")
  void shouldRejectIllFormed(String hex) {
    final byte[] bytes = HexFormat.of().parseHex("41" + hex);
    assertThat(Utf8.firstInvalid(bytes)).isEqualTo(1);
  }

  @Test
  @DisplayName("agrees with the JDK's encoder on random strings of every plane")
  void shouldAcceptWhatJavaEncodes() {
    final Random random = new Random(7);
    for (int i = 0; i < 1_000; i++) {
      final StringBuilder s = new StringBuilder();
      for (int k = 0; k < 20; k++) {
        s.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
      }
      assertThat(Utf8.firstInvalid(s.toString().getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }
  }
}
