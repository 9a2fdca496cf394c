package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;

/**
 * The IPC conformance suite over thread spaces: the test thread and its partners in two spaces
 * of the root kernel, a new kernel for every test.
 */
@DisplayName("IPC conformance: thread spaces")
class ThreadSpaceConformanceTest extends IpcConformanceSuite {

  @Override
  protected World newWorld(Kernel.Config config, boolean connected) {
    final Kernel kernel = new Kernel(config);
    final ThreadSite local = threadSite(kernel, "local");
    final ThreadSite remote = threadSite(kernel, "remote");
    if (connected) {
      kernel.createChannel(local.space(), remote.space());
    }
    return new World(kernel, local, remote, local.attach("test", config.waitStrategy()), config.waitStrategy());
  }

  @Override
  protected void endWorld(World f, boolean discard) throws InterruptedException {
    f.kernel().close();
    for (Site s : List.of(f.local(), f.remote())) {
      assertThat(s.awaitTermination(PATIENCE)).as("threads of %s finish after the kernel closes", s).isTrue();
    }
  }
}
