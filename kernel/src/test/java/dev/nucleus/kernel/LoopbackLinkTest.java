package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.layout.TcbDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loopback link is a real link (a call crosses it both ways), and what the fuzz target on it
 * found stays fixed: a peer that writes a copy-in-flight state into a thread's row cannot hang
 * that thread's close.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class LoopbackLinkTest {

  @Test
  void aRootThreadCallsAThreadOfTheProcessSideAndBack() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space client = kernel.createSpace("client");
      try (LoopbackLink loopback = LoopbackLink.open(kernel, client, "loop")) {
        final IpcThread echo = loopback.processSpace().spawn("echo", self -> EchoComponent.serve(self, Long.MAX_VALUE));
        try (IpcThread me = client.attach("me")) {
          for (long i = 0; i < 1_000; i++) {
            me.setTag(MessageTag.of(1, 1));
            me.setMr(1, i);
            assertThat(me.call(echo.id())).isEqualTo(Status.OK);
            assertThat(me.mr(1)).isEqualTo(i + 1);
          }
        }
      }
    }
  }

  /** Found by LoopbackLinkFuzzTest: killPort waited forever for a copy that no partner was making. */
  @ParameterizedTest
  @ValueSource(ints = {TcbDescriptor.CLAIMED, TcbDescriptor.TAKEN})
  void aThreadClosesWhenAPeerWroteACopyInFlightIntoItsRow(int code) throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space client = kernel.createSpace("client");
      try (LoopbackLink loopback = LoopbackLink.open(kernel, client, "loop")) {
        final IpcThread me = client.attach("me");
        final MemorySegment link = loopback.rootSide().link().segment();
        final LinkDescriptor.Geometry g = loopback.rootSide().link().geometry();
        final long row = g.tcbOffset() + ThreadId.index(me.id()) * g.stride() + TcbDescriptor.STATE_OFFSET;
        link.set(ValueLayout.JAVA_LONG, row, TcbDescriptor.state(7, code)); // the hostile process's write

        me.close(); // returns: the stranded copy is given up after the grace

        assertThat(TcbDescriptor.code(link.get(ValueLayout.JAVA_LONG, row))).isEqualTo(TcbDescriptor.DEAD);
        try (IpcThread next = client.attach("next"); IpcThread idle = loopback.processSpace().attach("idle")) {
          assertThat(next.send(idle.id(), Timeout.ZERO)).as("the link still works").isEqualTo(Status.send(Status.NO_PARTNER));
        }
      }
    }
  }
}
