package dev.nucleus.kernel;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;

/** The IPC conformance suite over thread spaces: every space in this JVM. */
@DisplayName("IPC conformance: thread spaces")
@org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS,
    threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadSpaceConformanceTest extends IpcConformanceSuite {

  @Override
  protected Kernel newKernel(WaitStrategy w) {
    return new Kernel(Kernel.Config.defaults().withWaitStrategy(w));
  }

  @Override
  protected Kernel newKernel(Kernel.Config config) {
    return new Kernel(config);
  }
}
