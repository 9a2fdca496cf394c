package dev.nucleus.system;

import static dev.nucleus.system.Systems.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.system.fixtures.DriverRecorder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("Drivers deliver their events as interrupts to the component that owns them")
class DriversTest {

  @TempDir
  Path dir;

  @BeforeEach
  void clean() {
    DriverRecorder.EVENTS.clear();
  }

  private static String system(String driver) {
    return """
        name = "drivers"
        [[component]]
        name = "recorder"
        class = "dev.nucleus.system.fixtures.DriverRecorder"
        [[driver]]
        component = "recorder"
        %s
        """.formatted(driver);
  }

  private static DriverEvent next() throws InterruptedException {
    final DriverEvent e = DriverRecorder.EVENTS.poll(20, TimeUnit.SECONDS);
    assertThat(e).as("a driver event within 20 s").isNotNull();
    return e;
  }

  @Test
  @DisplayName("a timer fires periodically")
  void timer() throws Exception {
    try (RootTask root = RootTask.boot(parse(system("name = \"tick\"\nkind = \"timer\"\nperiod = \"10ms\"")), null, l -> {})) {
      final DriverEvent first = next();
      final DriverEvent second = next();
      assertThat(first.driver()).isEqualTo("tick");
      assertThat(second.driver()).isEqualTo("tick");
      assertThat(first.firings()).isPositive();
    }
  }

  @Test
  @DisplayName("a signal sent to the root arrives as an event")
  void signal() throws Exception {
    try (RootTask root = RootTask.boot(parse(system("name = \"reload\"\nkind = \"signal\"\nsignal = \"USR2\"")), null,
        l -> {})) {
      final Process kill = new ProcessBuilder("kill", "-USR2", Long.toString(ProcessHandle.current().pid())).start();
      assertThat(kill.waitFor()).isZero();
      assertThat(next().driver()).isEqualTo("reload");
    }
  }

  @Test
  @DisplayName("a connection to the doorbell port arrives as an event")
  void socket() throws Exception {
    final int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (RootTask root = RootTask.boot(parse(system("name = \"door\"\nkind = \"socket\"\nport = " + port)), null,
        l -> {})) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        assertThat(new String(s.getInputStream().readAllBytes())).isEqualTo("ok\n");
      }
      assertThat(next().driver()).isEqualTo("door");
    }
  }

  @Test
  @DisplayName("data written to a FIFO arrives as an event; the component reads the data itself")
  void fifo() throws Exception {
    final Path fifo = dir.resolve("in.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    try (RootTask root = RootTask.boot(parse(system("name = \"inbox\"\nkind = \"file\"\npath = \"" + fifo + "\"")), null,
        l -> {})) {
      try (OutputStream out = Files.newOutputStream(fifo)) {
        out.write("hello\n".getBytes());
        out.flush();
        assertThat(next().driver()).isEqualTo("inbox");
      } catch (IOException e) {
        throw new AssertionError("cannot write the FIFO", e);
      }
    }
  }
}
