package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The chart is written headless, as a real PNG or SVG with both panels. */
@Timeout(30)
class ReportChartTest {

  @TempDir Path dir;

  /** A mechanism that only has a name, a floor and a message size (never run). */
  private record Sized(String name, String floor, MessageSize messageSize) implements PingPong {
    @Override
    public String unavailableReason() {
      return null;
    }

    @Override
    public void run(int warmup, int iterations, Histogram roundTripsNs) {
      throw new UnsupportedOperationException();
    }
  }

  private static final List<PingPong> MECHANISMS =
      List.of(
          new Sized("floor-c-spin", null, null),
          new Sized("floor-c-futex", null, null),
          new Sized("unix-socket", "floor-c-futex", MessageSize.nullMessage("unix-socket")),
          new Sized("unix-socket-64B", "floor-c-futex", new MessageSize("unix-socket", 64, true)),
          new Sized(
              "unix-socket-64KiB", "floor-c-futex", new MessageSize("unix-socket", 65536, true)),
          new Sized(
              "nucleus-thread-spin",
              "floor-c-spin",
              MessageSize.nullMessage("nucleus-thread-spin")),
          new Sized(
              "nucleus-thread-spin-8w",
              "floor-c-spin",
              new MessageSize("nucleus-thread-spin", 64, true)));

  private static BenchReport report() {
    List<MechanismResult> results = new ArrayList<>();
    long ns = 150;
    for (PingPong m : MECHANISMS) {
      results.add(
          new MechanismResult(
              m.name(),
              5,
              1000,
              new Percentiles(ns, ns * 2, ns * 4, ns * 8, ns * 20),
              1e9 / ns,
              m.floor(),
              null,
              null,
              List.of()));
      ns *= 3;
    }
    return new BenchReport(
        results, List.of(new Skipped("grpc-uds", "no epoll", false)), 5, Duration.ofSeconds(3));
  }

  @Test
  void writesANonEmptyPngWithBothPanels() throws Exception {
    Path png = dir.resolve("sub/chart.png");
    ReportChart.write(report(), MECHANISMS, png);

    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).isGreaterThan(10_000);
    assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(ReportChart.WIDTH);
    assertThat(image.getHeight()).isEqualTo(ReportChart.LATENCY_HEIGHT + ReportChart.SIZE_HEIGHT);
  }

  @Test
  void writesAnSvgWithBothPanels() throws Exception {
    Path svg = dir.resolve("chart.svg");
    ReportChart.write(report(), MECHANISMS, svg);

    String text = Files.readString(svg);
    int height = ReportChart.LATENCY_HEIGHT + ReportChart.SIZE_HEIGHT;
    assertThat(text)
        .contains("<svg")
        .contains("viewBox=\"0 0 " + ReportChart.WIDTH + " " + height + "\"");
    assertThat(text.length()).isGreaterThan(10_000);
  }

  @Test
  void withoutASweepOnlyThePerMechanismPanelIsDrawn() throws Exception {
    BenchReport headline =
        new BenchReport(
            report().results().stream()
                .filter(r -> !r.name().contains("-64") && !r.name().endsWith("w"))
                .toList(),
            List.of(),
            5,
            Duration.ofSeconds(1));
    Path png = dir.resolve("headline.png");
    ReportChart.write(headline, MECHANISMS, png);
    assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(ReportChart.LATENCY_HEIGHT);
  }

  @Test
  void rejectsOtherFormats() {
    assertThatThrownBy(() -> ReportChart.write(report(), MECHANISMS, dir.resolve("chart.jpg")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".png or .svg");
  }
}
