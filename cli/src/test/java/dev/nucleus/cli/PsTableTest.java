package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.cli.StatusSurvey.Found;
import dev.nucleus.cli.StatusSurvey.Running;
import dev.nucleus.cli.StatusSurvey.Stale;
import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.SystemStatus;
import dev.nucleus.system.ThreadStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
@DisplayName("ps's table, character for character")
class PsTableTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  @DisplayName("columns are aligned, numbers to the right, threads under their component; stale segments last")
  void shouldRenderTheWholeTable() {
    final SystemStatus s = new SystemStatus("demo", 4242, NOW.minusSeconds(3723), NOW.minusMillis(300), List.of(
        new ComponentStatus("kv-server", "process", "running", 2, 4250, 3, 120_345, NOW.minusSeconds(302), List.of(
            new ThreadStatus(0x1_0002_0001L, "server-0", "receiving", "any"),
            new ThreadStatus(0x1_0002_0002L, "server-1", "waiting_for_reply", "clock/tick"))),
        new ComponentStatus("client", "thread", "restarting", 3, 4242, 0, 0, NOW.minusSeconds(7), List.of(
            new ThreadStatus(0x1_0003_0001L, "main", "sending", "kv-server/server-0"))),
        new ComponentStatus("crasher", "process", "failed", 4, 0, 5, 7, NOW, List.of())));
    final List<Found> found = List.of(new Running(Path.of("/dev/shm/nucleus-status-4242"), s),
        new Stale(Path.of("/dev/shm/nucleus-status-17"), 17, "root pid 17 is not running"));

    assertThat(PsTable.render(found, NOW)).isEqualTo("""
        system demo, root pid 4242, up 1h02m, updated 0.3s ago
          COMPONENT  ISOLATION  STATE       SPACE   PID  RESTARTS  CALLS SERVED  UPTIME
          kv-server  process    running         2  4250         3        120345   5m02s
              T2.1v1  server-0  receiving from any
              T2.2v1  server-1  waiting for a reply from clock/tick
          client     thread     restarting      3  4242         0             0      7s
              T3.1v1  main      sending to kv-server/server-0
          crasher    process    failed          4     -         5             7       -

        stale: /dev/shm/nucleus-status-17 (root pid 17 is not running); delete it: rm /dev/shm/nucleus-status-17
        """);
  }

  @ParameterizedTest(name = "{0} s -> {1}")
  @CsvSource({"0, 0s", "59, 59s", "60, 1m00s", "3599, 59m59s", "3600, 1h00m", "86399, 23h59m", "86400, 1d00h",
      "1000000, 11d13h", "-5, 0s"})
  @DisplayName("an uptime reads as seconds, minutes and seconds, hours and minutes, or days and hours")
  void shouldFormatDurations(long seconds, String text) {
    assertThat(PsTable.duration(Duration.ofSeconds(seconds))).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0} ms -> {1}")
  @CsvSource({"0, 0.0s", "340, 0.3s", "9999, 9.9s", "10000, 10s", "125000, 2m05s"})
  @DisplayName("an update's age reads in tenths of a second below 10 s")
  void shouldFormatAges(long millis, String text) {
    assertThat(PsTable.age(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
