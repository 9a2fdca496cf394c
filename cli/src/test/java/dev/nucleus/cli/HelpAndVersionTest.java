package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpAndVersionTest {

  @Test
  void helpListsEveryCommandWithAWholeOneLineDescription() {
    final Captured r = Captured.nucleus("--help");

    assertThat(r.exit()).isZero();
    final List<String> lines = r.out().lines().toList();
    for (String command : List.of("demo", "ping", "ps", "help", "bench", "jmh", "build", "test")) {
      assertThat(lines)
          .as("the line of %s in:%n%s", command, r.out())
          .anySatisfy(line -> assertThat(line)
              .matches("  " + command + " +[A-Z].*\\.")
              .doesNotEndWith(" on an."));
    }
    // No description runs on into a second line: the line after a command names another one.
    final int first = lines.indexOf("Commands:") + 1;
    for (String line : lines.subList(first, first + 3)) {
      assertThat(line).as("a command line, not a continuation").matches("  [a-z]+ +\\S.*");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "ping", "ps", "help"})
  void everyCommandHasHelp(String command) {
    final Captured r = Captured.nucleus(command, "--help");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Usage: nucleus " + command);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void helpNamesACommand() {
    final Captured r = Captured.nucleus("help", "ping");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Usage: nucleus ping").contains("--count");
  }

  @Test
  void versionComesFromTheBuild() {
    final Captured r = Captured.nucleus("--version");

    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).matches("nucleus \\d+\\.\\d+\\.\\d+\\S*");
    assertThat(r.out().strip()).isEqualTo("nucleus " + Main.version());
  }

  @Test
  void aBadOptionIsOneLineAndExitCode2() {
    final Captured r = Captured.nucleus("ping", "--bogus");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString()
        .startsWith("nucleus ping: Unknown option: '--bogus'")
        .contains("nucleus ping --help");
    assertThat(r.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bench", "jmh", "build", "test"})
  void launcherCommandsRunDirectlySayWhereTheyLive(String command) {
    final Captured r = Captured.nucleus(command, "--quick");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString().contains("./nucleus " + command);
  }
}
