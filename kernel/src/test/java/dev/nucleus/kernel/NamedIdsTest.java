package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Named ids across a link, both ways: a component publishes several services by name, and the
 * root offers it ids of its own threads by name (the only way a process learns a root thread's
 * id before that thread has sent it anything).
 */
@Tag("system")
@DisplayName("Named ids across a link")
class NamedIdsTest {

  private Kernel kernel;

  @AfterEach
  void cleanUp() throws Exception {
    ProcessTests.closeAndCheckNothingLeft(kernel);
  }

  @Test
  @DisplayName("a component publishes several named ids and calls a root server it found by name")
  void namesBothWays() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final IpcThread rootEcho = client.spawn("root-echo", self -> {
      int status = self.waitAny(Timeout.NEVER);
      while (Status.code(status) != Status.CLOSED) {
        self.setTag(MessageTag.of(0, 1));
        self.setMr(1, self.mr(1) + 1000);
        status = self.replyWait(Timeout.NEVER);
      }
    });
    final ProcessSpace ps = kernel.spawnProcessSpace("named", NamedIdsComponent.class, client);
    assertThat(kernel.offeredTo(ps.number(), rootEcho.id())).as("not yet offered").isFalse();
    ps.offer("root-echo", rootEcho.id());
    assertThat(ps.offered(rootEcho.id())).isTrue();
    assertThat(kernel.offeredTo(ps.number(), rootEcho.id())).as("the offer, as the root keeps it").isTrue();
    assertThat(kernel.offeredTo(ps.number(), client.attach("other").id())).as("another id").isFalse();
    assertThat(kernel.offeredTo(client.number(), rootEcho.id())).as("a thread space holds no offers").isFalse();
    assertThat(kernel.offeredTo(-1, rootEcho.id())).isFalse();
    final long adder = ps.awaitPublished("adder", Duration.ofSeconds(30));
    final long caller = ps.awaitPublished("caller", Duration.ofSeconds(30));
    assertThat(adder).isNotEqualTo(caller);
    assertThat(ThreadId.space(adder)).isEqualTo(ps.number());

    try (IpcThread me = client.attach("me")) {
      me.setTag(MessageTag.of(1, 2));
      me.setMr(1, 2);
      me.setMr(2, 3);
      assertThat(me.call(adder)).isEqualTo(Status.OK);
      assertThat(me.mr(1)).isEqualTo(5);

      me.setTag(MessageTag.of(1, 1));
      me.setMr(1, 5);
      assertThat(me.send(caller, Timeout.NEVER)).isEqualTo(Status.OK);
      assertThat(me.receive(caller, Timeout.relative(Duration.ofSeconds(30)))).isEqualTo(Status.OK);
      assertThat(me.mr(1)).as("the component called the root's echo it learned by name").isEqualTo(1005);
    }
    assertThatThrownBy(() -> ps.offer("root-echo", rootEcho.id())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ps.offer("x", ThreadId.of(ps.number(), 1, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ps.awaitPublished("nobody", Duration.ofMillis(50)))
        .isInstanceOf(java.util.concurrent.TimeoutException.class);
    ps.close();
    assertThat(kernel.offeredTo(ps.number(), rootEcho.id())).as("an ended process space holds nothing").isFalse();
  }

  @Test
  @DisplayName("a directory scribbled by a hostile peer yields no name, never an exception")
  void hostileDirectoryIsIgnored() {
    final Random random = new Random(42);
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment page = arena.allocate(LinkDescriptor.PAGE, 64);
      for (int round = 0; round < 1000; round++) {
        for (long off = LinkDescriptor.B_NAME_COUNT_OFFSET; off < LinkDescriptor.B_NAME_COUNT_OFFSET + 1024; off += 8) {
          page.set(ValueLayout.JAVA_LONG, off, random.nextLong());
        }
        if (round % 2 == 0) {
          page.set(ValueLayout.JAVA_INT, LinkDescriptor.B_NAME_COUNT_OFFSET, random.nextInt(40) - 20);
        }
        LinkDescriptor.findName(page, LinkDescriptor.B_NAMES, "adder"); // must not throw
      }
      page.asSlice(LinkDescriptor.B_NAME_COUNT_OFFSET, 1024).fill((byte) 0);
      LinkDescriptor.addName(page, LinkDescriptor.B_NAMES, "adder", 77);
      assertThat(LinkDescriptor.findName(page, LinkDescriptor.B_NAMES, "adder")).isEqualTo(77);
      page.set(ValueLayout.JAVA_BYTE, LinkDescriptor.B_NAMES_OFFSET + 5, (byte) 'x');
      assertThat(LinkDescriptor.findName(page, LinkDescriptor.B_NAMES, "adder"))
          .as("a name whose terminator was overwritten matches nothing").isEqualTo(ThreadId.NIL);
      assertThatThrownBy(() -> LinkDescriptor.addName(page, LinkDescriptor.B_NAMES, "x".repeat(56), 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
