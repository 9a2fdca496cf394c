package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unit tests of {@link Kernel.Config}: every limit is validated where the configuration is made,
 * and every wither changes its own component and nothing else. No kernel is started.
 */
@Tag("unit")
@DisplayName("Kernel.Config")
class KernelConfigTest {

  private static final Kernel.Config DEFAULTS = Kernel.Config.defaults();

  @Test
  @DisplayName("the defaults are 1024 threads, 256 spaces, 256 endpoints, 64 registers, ADAPTIVE spinning 25 µs")
  void shouldHaveTheDocumentedDefaults() {
    assertThat(DEFAULTS.maxThreads()).isEqualTo(1024);
    assertThat(DEFAULTS.maxSpaces()).isEqualTo(256);
    assertThat(DEFAULTS.maxEndpoints()).isEqualTo(256);
    assertThat(DEFAULTS.messageRegisters()).isEqualTo(64);
    assertThat(DEFAULTS.waitStrategy()).isEqualTo(WaitStrategy.ADAPTIVE);
    assertThat(DEFAULTS.adaptiveSpin()).isEqualTo(Duration.ofNanos(25_000));
    assertThat(DEFAULTS.linkDirectory()).isEqualTo(Kernel.Config.defaultLinkDirectory());
  }

  /** Each wither, the component it sets, and a value other than the default. */
  static Stream<Arguments> withers() {
    return Stream.of(
        wither("maxThreads", c -> c.withMaxThreads(7), 7),
        wither("maxSpaces", c -> c.withMaxSpaces(9), 9),
        wither("maxEndpoints", c -> c.withMaxEndpoints(0), 0),
        wither("messageRegisters", c -> c.withMessageRegisters(8), 8),
        wither("waitStrategy", c -> c.withWaitStrategy(WaitStrategy.BLOCK), WaitStrategy.BLOCK),
        wither("adaptiveSpin", c -> c.withAdaptiveSpin(Duration.ofMillis(1)), Duration.ofMillis(1)),
        wither("linkDirectory", c -> c.withLinkDirectory(Path.of("/tmp/links")), Path.of("/tmp/links")));
  }

  private static Arguments wither(String component, UnaryOperator<Kernel.Config> with, Object value) {
    return Arguments.of(component, with, value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withers")
  @DisplayName("a wither sets its component and keeps every other")
  void shouldChangeOnlyItsOwnComponent(String component, UnaryOperator<Kernel.Config> with, Object value)
      throws ReflectiveOperationException {
    final Kernel.Config changed = with.apply(DEFAULTS);
    for (RecordComponent c : Kernel.Config.class.getRecordComponents()) {
      final Object before = c.getAccessor().invoke(DEFAULTS);
      final Object after = c.getAccessor().invoke(changed);
      if (c.getName().equals(component)) {
        assertThat(after).as(component).isEqualTo(value).isNotEqualTo(before);
      } else {
        assertThat(after).as("%s after setting %s", c.getName(), component).isEqualTo(before);
      }
    }
  }

  @Test
  @DisplayName("every component of the configuration has a wither")
  void shouldHaveAWitherPerComponent() {
    assertThat(withers().map(a -> (String) a.get()[0]))
        .containsExactlyInAnyOrder(Stream.of(Kernel.Config.class.getRecordComponents())
            .map(RecordComponent::getName).toArray(String[]::new));
  }

  @Test
  @DisplayName("maxThreads must be in [1, 65535]")
  void shouldBoundMaxThreads() {
    assertThat(DEFAULTS.withMaxThreads(1).maxThreads()).isEqualTo(1);
    assertThat(DEFAULTS.withMaxThreads(ThreadId.MAX_INDEX).maxThreads()).isEqualTo(65_535);
    assertRejected(() -> DEFAULTS.withMaxThreads(0), "maxThreads");
    assertRejected(() -> DEFAULTS.withMaxThreads(ThreadId.MAX_INDEX + 1), "maxThreads");
  }

  @Test
  @DisplayName("maxSpaces must be in [2, 32767]: the kernel's own space and at least one more")
  void shouldBoundMaxSpaces() {
    assertThat(DEFAULTS.withMaxSpaces(2).maxSpaces()).isEqualTo(2);
    assertThat(DEFAULTS.withMaxSpaces(ThreadId.MAX_SPACE).maxSpaces()).isEqualTo(32_767);
    assertRejected(() -> DEFAULTS.withMaxSpaces(1), "maxSpaces");
    assertRejected(() -> DEFAULTS.withMaxSpaces(ThreadId.MAX_SPACE + 1), "maxSpaces");
  }

  @Test
  @DisplayName("maxEndpoints must be in [0, 65535]")
  void shouldBoundMaxEndpoints() {
    assertThat(DEFAULTS.withMaxEndpoints(0).maxEndpoints()).isZero();
    assertThat(DEFAULTS.withMaxEndpoints(ThreadId.MAX_INDEX).maxEndpoints()).isEqualTo(65_535);
    assertRejected(() -> DEFAULTS.withMaxEndpoints(-1), "maxEndpoints");
    assertRejected(() -> DEFAULTS.withMaxEndpoints(ThreadId.MAX_INDEX + 1), "maxEndpoints");
  }

  @Test
  @DisplayName("messageRegisters must be in [8, 64], MR0 included")
  void shouldBoundMessageRegisters() {
    assertThat(DEFAULTS.withMessageRegisters(8).messageRegisters()).isEqualTo(8);
    assertThat(DEFAULTS.withMessageRegisters(64).messageRegisters()).isEqualTo(64);
    assertRejected(() -> DEFAULTS.withMessageRegisters(7), "message registers");
    assertRejected(() -> DEFAULTS.withMessageRegisters(65), "message registers");
  }

  @Test
  @DisplayName("adaptiveSpin may be zero, never negative")
  void shouldBoundAdaptiveSpin() {
    assertThat(DEFAULTS.withAdaptiveSpin(Duration.ZERO).adaptiveSpin()).isZero();
    assertRejected(() -> DEFAULTS.withAdaptiveSpin(Duration.ofNanos(-1)), "adaptiveSpin");
  }

  @Test
  @DisplayName("a null wait strategy, spin or link directory is a NullPointerException naming it")
  void shouldRejectNulls() {
    assertThatNullPointerException().isThrownBy(() -> DEFAULTS.withWaitStrategy(null)).withMessage("waitStrategy");
    assertThatNullPointerException().isThrownBy(() -> DEFAULTS.withAdaptiveSpin(null)).withMessage("adaptiveSpin");
    assertThatNullPointerException().isThrownBy(() -> DEFAULTS.withLinkDirectory(null)).withMessage("linkDirectory");
  }

  @Test
  @DisplayName("the constructor validates as the withers do")
  void shouldValidateInTheConstructor() {
    assertRejected(() -> new Kernel.Config(0, 256, 256, 64, WaitStrategy.SPIN, Duration.ZERO, Path.of("/tmp")),
        "maxThreads");
    final Kernel.Config smallest = new Kernel.Config(1, 2, 0, 8, WaitStrategy.SPIN, Duration.ZERO, Path.of("/tmp"));
    assertThat(smallest.withMaxThreads(1)).isEqualTo(smallest);
  }

  private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable make, String limit) {
    assertThatThrownBy(make).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(limit);
  }
}
