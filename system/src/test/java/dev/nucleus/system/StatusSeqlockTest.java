package dev.nucleus.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.system.internal.StatusWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seqlock under a writer that publishes without pause: every read is one publish, whole.
 * Publish number n is built so that each of its fields says n (counts, names, numbers, the update
 * time); a read that mixed two publishes would hold two different n.
 *
 * <p>Acceptable outcomes: a status whose fields all say the same n, n never going back between
 * reads. Forbidden: a mix, an exception.
 */
@Tag("unit")
@Timeout(60)
@DisplayName("A reader racing a publishing writer never sees a mix of two publishes")
class StatusSeqlockTest {

  private static final long ME = ProcessHandle.current().pid();
  private static final int READS = 3000;

  @TempDir
  Path dir;

  @Test
  @DisplayName("every read is one whole publish, and publishes are seen in order")
  void shouldReadOnlyWholePublishes() throws Exception {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong published = new AtomicLong();
    try (StatusWriter writer = StatusWriter.create(dir, "race");
        StatusReader reader = StatusReader.open(writer.path())) {
      writer.publish(publish(0));
      final Thread publisher = Thread.ofPlatform().name("publisher").start(() -> {
        for (long n = 1; !stop.get(); n++) {
          writer.publish(publish(n));
          published.set(n);
        }
      });
      try {
        long last = -1;
        for (int r = 0; r < READS; r++) {
          final SystemStatus s = reader.read();
          final long n = Duration.between(StatusFixtures.STARTED, s.updated()).toSeconds();
          assertThat(s).as("read %d", r).isEqualTo(publish(n));
          assertThat(n).as("read %d: publishes in order", r).isGreaterThanOrEqualTo(last);
          last = n;
        }
      } finally {
        stop.set(true);
        publisher.join();
      }
      assertThat(published.get()).as("the writer published while we read").isPositive();
    }
  }

  /** Publish number {@code n}: every field says n. */
  private static SystemStatus publish(long n) {
    final List<ComponentStatus> components = new ArrayList<>();
    for (int c = 0; c < 1 + n % 7; c++) {
      final List<ThreadStatus> threads = new ArrayList<>();
      for (int t = 0; t < n % 3; t++) {
        threads.add(new ThreadStatus(n, "t" + n, "sending", "c/" + n));
      }
      components.add(new ComponentStatus("c" + n, "process", "running", (int) (n % 1000), n, n, n,
          StatusFixtures.STARTED.plusSeconds(n), threads));
    }
    return new SystemStatus("race", ME, StatusFixtures.STARTED, StatusFixtures.STARTED.plusSeconds(n), components);
  }
}
