package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Root operations belong to the root: a process space cannot reach them, and the kernel's own space takes no channels. */
@Tag("system")
@DisplayName("Root-only operations")
class RootOnlyOperationsTest {

  private Kernel kernel;

  @AfterEach
  void cleanUp() throws Exception {
    ProcessTests.closeAndCheckNothingLeft(kernel);
  }

  @Test
  @DisplayName("a process space's Space.kernel() throws IllegalStateException, and it reads a root caller's state through its link")
  void aProcessSpaceHasNoKernel() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final ProcessSpace probe = kernel.spawnProcessSpace("probe", RootOnlyComponent.class, client);
    final long server = probe.awaitPublished(Duration.ofSeconds(30)); // published only after the refusal
    try (IpcThread me = client.attach("me")) {
      me.setTag(MessageTag.of(1, 0));
      assertThat(me.call(server)).isEqualTo(Status.OK);
      assertThat(IpcState.Kind.values()[(int) me.mr(1)]).as("the root caller, seen from the process")
          .isEqualTo(IpcState.Kind.WAITING_FOR_REPLY);
    }
  }

  @Test
  @DisplayName("the kernel's own space takes no channels")
  void noChannelToTheKernelSpace() {
    kernel = Kernel.create();
    final Space s = kernel.createSpace("s");
    final Space kernelSpace = kernel.spaces().stream().filter(x -> x.number() == Kernel.KERNEL_SPACE).findFirst().orElseThrow();
    assertThatThrownBy(() -> kernel.createChannel(s, kernelSpace)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kernel's own space");
  }

  @Test
  @DisplayName("a root thread in a closed receive from a process thread reads RECEIVING from that partner")
  void closedReceiveAcrossALinkReadsReceiving() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, client);
    final long server = echo.awaitPublished(Duration.ofSeconds(30));
    final IpcThread receiver = client.spawn("receiver", self -> self.receive(server, Timeout.relative(Duration.ofSeconds(30))));
    ProcessTests.awaitState(kernel, receiver.id(), IpcState.Kind.RECEIVING);
    assertThat(kernel.ipcState(receiver.id()).partner()).isEqualTo(server);
    receiver.abort();
  }
}
