package dev.nucleus.bench;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link BenchReport} as one picture of two panels, with XChart:
 *
 * <ol>
 *   <li>round-trip latency per mechanism, p50 and p99 (median across runs), log scale, for every
 *       measured mechanism outside the size sweep, in report order;
 *   <li>p50 round trip against payload size, log-log, one line per {@link MessageSize#series()}
 *       that has at least two sizes measured, with the p50 of the C floors as dashed lines. Null
 *       messages are drawn at 1 byte.
 * </ol>
 *
 * <p>The format follows the file name: {@code .png} (raster) or {@code .svg} (vector). Headless:
 * needs no display.
 */
public final class ReportChart {

  static final int WIDTH = 1500;
  static final int LATENCY_HEIGHT = 720;
  static final int SIZE_HEIGHT = 680;

  private static final Color P50 = new Color(0x1f, 0x4e, 0x9a);
  private static final Color P99 = new Color(0x9c, 0xc3, 0xe6);

  /** Distinguishable line colours (Tableau 10, then darker variants), cycled. */
  private static final Color[] LINES = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf), new Color(0x393b79), new Color(0x637939),
    new Color(0x843c39), new Color(0x7b4173)
  };

  private ReportChart() {}

  /**
   * Writes the chart of {@code report} to {@code file} ({@code .png} or {@code .svg}), creating
   * parent directories; {@code mechanisms} supply each result's {@link PingPong#messageSize()}.
   *
   * @throws IllegalArgumentException for another extension
   */
  public static void write(BenchReport report, List<? extends PingPong> mechanisms, Path file)
      throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean svg = name.endsWith(".svg");
    if (!svg && !name.endsWith(".png")) {
      throw new IllegalArgumentException("chart file must end in .png or .svg: " + file);
    }
    Map<String, MessageSize> sizes = new HashMap<>();
    for (PingPong m : mechanisms) {
      if (m.messageSize() != null) sizes.put(m.name(), m.messageSize());
    }
    List<Chart<?, ?>> panels = new ArrayList<>();
    panels.add(latencyChart(report, sizes));
    XYChart sizeChart = sizeChart(report, sizes);
    if (sizeChart != null) panels.add(sizeChart);

    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    int height = panels.stream().mapToInt(Chart::getHeight).sum();
    if (svg) {
      VectorGraphics2D g = new VectorGraphics2D();
      paint(panels, g);
      try (OutputStream out = Files.newOutputStream(file)) {
        new SVGProcessor()
            .getDocument(g.getCommands(), new PageSize(0, 0, WIDTH, height))
            .writeTo(out);
      }
    } else {
      BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      paint(panels, g);
      g.dispose();
      if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer");
    }
  }

  private static void paint(List<Chart<?, ?>> panels, Graphics2D g) {
    int y = 0;
    for (Chart<?, ?> c : panels) {
      Graphics2D sub = (Graphics2D) g.create(0, y, c.getWidth(), c.getHeight());
      c.paint(sub, c.getWidth(), c.getHeight());
      sub.dispose();
      y += c.getHeight();
    }
  }

  /** Panel 1: p50 and p99 per headline mechanism, µs, log scale. */
  static CategoryChart latencyChart(BenchReport report, Map<String, MessageSize> sizes) {
    List<String> names = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    for (MechanismResult r : report.results()) {
      MessageSize s = sizes.get(r.name());
      if (s != null && s.sweep()) continue;
      names.add(r.name());
      p50.add(micros(r.rttNs().p50()));
      p99.add(micros(r.rttNs().p99()));
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(LATENCY_HEIGHT)
            .title(
                "Null request/response round trip per mechanism, median of "
                    + report.runs()
                    + " runs (log scale)")
            .xAxisTitle("")
            .yAxisTitle("round trip (µs)")
            .build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setOverlapped(true); // p99 behind, p50 in front
    chart.getStyler().setXAxisLabelRotation(55);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setYAxisDecimalPattern("#,##0.##");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridVerticalLinesVisible(false);
    chart.getStyler().setSeriesColors(new Color[] {P99, P50});
    if (!names.isEmpty()) {
      // Bars start at the axis minimum, which a log axis must be told: the decade below the least
      // p50.
      double least = p50.stream().mapToDouble(Double::doubleValue).min().orElse(1);
      chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
      chart.addSeries("p99", names, p99);
      chart.addSeries("p50", names, p50);
    }
    return chart;
  }

  /** Panel 2: p50 against payload bytes per series, log-log; {@code null} if nothing to draw. */
  static XYChart sizeChart(BenchReport report, Map<String, MessageSize> sizes) {
    Map<String, Map<Long, Double>> bySeries = new LinkedHashMap<>();
    for (MechanismResult r : report.results()) {
      MessageSize s = sizes.get(r.name());
      if (s == null) continue;
      bySeries
          .computeIfAbsent(s.series(), k -> new java.util.TreeMap<>())
          .put(Math.max(1, s.bytes()), micros(r.rttNs().p50()));
    }
    bySeries.values().removeIf(points -> points.size() < 2);
    if (bySeries.isEmpty()) return null;
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(SIZE_HEIGHT)
            .title(
                "p50 round trip against payload size each way (null message drawn at 1 B; 1"
                    + " register = 8 B)")
            .xAxisTitle("payload bytes each way (log scale)")
            .yAxisTitle("p50 round trip (µs, log scale)")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisDecimalPattern("#,##0");
    chart.getStyler().setYAxisDecimalPattern("#,##0.##");
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(7);
    chart.getStyler().setSeriesColors(LINES);
    long maxBytes = 1;
    for (Map.Entry<String, Map<Long, Double>> e : bySeries.entrySet()) {
      List<Long> xs = new ArrayList<>(e.getValue().keySet());
      List<Double> ys = new ArrayList<>(e.getValue().values());
      XYSeries series = chart.addSeries(e.getKey(), xs, ys);
      series.setMarker(SeriesMarkers.CIRCLE);
      maxBytes = Math.max(maxBytes, xs.get(xs.size() - 1));
    }
    // The C floors of the same run as dashed lines, labelled at the right end.
    chart.getStyler().setAnnotationLineColor(Color.GRAY);
    chart
        .getStyler()
        .setAnnotationLineStroke(
            new BasicStroke(
                1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
    double least =
        bySeries.values().stream()
            .flatMap(points -> points.values().stream())
            .mapToDouble(Double::doubleValue)
            .min()
            .orElse(1);
    for (MechanismResult r : report.results()) {
      if (r.name().equals(MechanismRegistry.FLOOR_C_SPIN)
          || r.name().equals(MechanismRegistry.FLOOR_C_FUTEX)) {
        double y = micros(r.rttNs().p50());
        chart.addAnnotation(new AnnotationLine(y, false, false));
        chart.addAnnotation(new AnnotationText(r.name() + " p50", maxBytes / 4.0, y * 1.12, false));
        least = Math.min(least, y);
      }
    }
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least)))); // floors in view
    return chart;
  }

  private static double micros(long ns) {
    return Math.max(ns, 1) / 1000.0;
  }
}
