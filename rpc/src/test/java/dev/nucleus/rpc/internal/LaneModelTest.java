package dev.nucleus.rpc.internal;

import dev.nucleus.testing.SpinModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model of the call lane (rpc/src/test/promela/lane.pml; docs/rpc-wire.md, section 10),
 * checked with SPIN: every scenario is searched exhaustively and holds its properties (each call
 * served at most once, and exactly once if it was delivered; each answer the call's own; one
 * attendant at a time; nothing waits for ever); every documented mutation of the protocol is
 * caught, for the reason the model's comment gives, so the check cannot pass by checking nothing.
 *
 * <p>Skipped, with the reason, only where {@code spin} or {@code gcc} is missing; {@code .ci/run}
 * installs both. The figures of each run are printed; none is asserted but the error count and
 * that the search was complete.
 */
@Tag("unit")
@DisplayName("Lane model: SPIN checks the call lane exhaustively")
class LaneModelTest {

  private static final String MODEL = "lane.pml";
  /** Bound on each step (spin, compile, search) of one run: a hang guard, not a measurement. */
  private static final Duration STEP_LIMIT = Duration.ofSeconds(60);
  /** The model's directory, relative to the module (the tests' working directory). */
  private static final SpinModel SPIN = new SpinModel(Path.of("src/test/promela"), 100_000, 1024);
  private static final String LOST = "invalid end state";
  private static final String ASSERTION = "assertion violated";

  /** Every check of this class, started two at a time before the first test (SpinModel.ahead). */
  private static SpinModel.Ahead ahead;

  @BeforeAll
  static void startChecks() {
    SpinModel.assumeToolsPresent();
    ahead = SPIN.ahead(Stream.concat(scenarios(), mutations()).map(a -> SpinModel.Run.of(MODEL, a.get()[1]))
        .toList(), STEP_LIMIT);
  }

  @AfterAll
  static void stopChecks() throws InterruptedException {
    if (ahead != null) {
      ahead.close();
    }
  }

  /** The scenarios that must hold every property: name, defines. */
  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("L1 three calls, two server threads: posts race with leaving, attaching after kernel calls",
            List.of()),
        Arguments.of("L2 calls on the lane and over the kernel may give up at their deadline once delivered",
            List.of("TIMEOUTS")),
        Arguments.of("L3 four calls with deadlines", List.of("TIMEOUTS", "M=4")),
        Arguments.of("L4 three server threads with deadlines", List.of("TIMEOUTS", "P=3")));
  }

  /** Mutations of the protocol, each of which SPIN must catch: name, defines, the error it must report. */
  static Stream<Arguments> mutations() {
    return Stream.of(
        Arguments.of("N1 the attendant leaves with a check and a store: a post between them is lost",
            List.of("BUG_LEAVE_STORE"), LOST),
        Arguments.of("N2 the client posts with a check and a store: a post after the attendant left is never taken",
            List.of("BUG_POST_STORE"), LOST),
        Arguments.of("N3 a server thread takes the lane with a check and a store: two attend it",
            List.of("BUG_ATTACH_STORE", "TIMEOUTS"), ASSERTION),
        Arguments.of("N4 the client posts again before the reply of a call it gave up: a request served twice",
            List.of("BUG_POST_UNANSWERED", "TIMEOUTS"), ASSERTION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  @DisplayName("holds every property, searched exhaustively:")
  @Timeout(200)
  void holds(String name, List<String> defines) throws Exception {
    final SpinModel.Run run = new SpinModel.Run(MODEL, defines);
    SpinModel.assertHolds(run, ahead.result(run));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutations")
  @DisplayName("catches the mutation:")
  @Timeout(200)
  void catches(String name, List<String> defines, String expected) throws Exception {
    final SpinModel.Run run = new SpinModel.Run(MODEL, defines);
    SpinModel.assertCatches(run, ahead.result(run), expected);
  }
}
