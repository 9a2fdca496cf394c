package dev.nucleus.kernel;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * The fast target on segment validation: a {@link LoopbackLink} (a root link whose process side is
 * attached in this JVM), so that an input costs microseconds, not a process. Each input is a sequence of steps chosen by the fuzzer:
 * hostile writes ({@link HostilePeer}) into the rows of both ends, and polls (zero timeouts) by
 * the root's thread and by the process side's thread in either direction: call, send, receive,
 * reply-and-wait, notify. Whatever was written, every operation returns a status this kernel
 * defines, without an exception and without waiting; the root's thread stays usable.
 *
 * <p>The pair is kept from one input to the next (building it costs a file and two mappings),
 * and built afresh every {@link #INPUTS_PER_PAIR} inputs, so the state a step meets is what
 * earlier inputs left: the fuzzer explores histories, not only single writes. A failing input
 * therefore names the step and the status; the pair's history is in the libFuzzer log.
 * {@link HostilePeerFuzzTest} is the slow twin against a live process.
 *
 * <p>Under {@code ./nucleus test} this replays the inputs in
 * {@code src/test/resources/dev/nucleus/kernel/LoopbackLinkFuzzTestInputs/}; to fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl kernel test -Dtest=LoopbackLinkFuzzTest -Djazzer.max_duration=30m}.
 */
class LoopbackLinkFuzzTest {

  static final int INPUTS_PER_PAIR = 4096;
  /**
   * The most steps one input takes (the rest of it is not read): a history is built across
   * inputs, since the pair is kept, so short inputs lose nothing, and they keep an execution in
   * the tens of microseconds (inputs of libFuzzer's 4 KiB made it hundreds).
   */
  static final int MAX_STEPS = 16;

  private static Kernel kernel;
  private static Space client;
  private static LoopbackLink loopback;
  private static IpcThread root;
  private static IpcThread server;
  private static HostilePeer peer;
  private static int inputs;
  private static int pairs;

  /** Builds the pair on first use and every {@link #INPUTS_PER_PAIR} inputs. */
  private static void ensurePair() {
    if (kernel == null) {
      kernel = Kernel.create();
      client = kernel.createSpace("loopback-client");
      root = client.attach("root");
    }
    if (loopback != null && inputs % INPUTS_PER_PAIR != 0) {
      return;
    }
    closePair();
    loopback = LoopbackLink.open(kernel, client, "loopback-" + pairs++);
    server = loopback.processSpace().attach("server");
    peer = new HostilePeer(loopback.rootSide().link(), ThreadId.index(server.id()), ThreadId.index(root.id()));
  }

  private static void closePair() {
    if (server != null) {
      server.close();
      server = null;
    }
    if (loopback != null) {
      loopback.close();
      loopback = null;
    }
  }

  @FuzzTest(maxDuration = "60s")
  void anyWritesBetweenPollsGiveStatusesNeverExceptions(FuzzedDataProvider data) {
    ensurePair();
    inputs++;
    for (int steps = 0; steps < MAX_STEPS && data.remainingBytes() > 0; steps++) {
      final int step = data.consumeInt(0, 9);
      final int status = switch (step) {
        case 0, 1 -> {
          peer.scribble(data::consumeInt, data::consumeLong);
          yield Status.OK;
        }
        case 2 -> {
          root.setTag(MessageTag.of(1, data.consumeInt(0, 3)));
          yield root.call(server.id(), Timeout.ZERO, Timeout.ZERO);
        }
        case 3 -> {
          root.setTag(MessageTag.of(2, 0));
          yield root.send(server.id(), Timeout.ZERO);
        }
        case 4 -> server.waitAny(Timeout.ZERO);
        case 5 -> server.canReply() ? server.replyWait(Timeout.ZERO) : server.receive(root.id(), Timeout.ZERO);
        case 6 -> {
          server.setTag(MessageTag.of(3, 1));
          yield server.call(root.id(), Timeout.ZERO, Timeout.ZERO);
        }
        case 7 -> root.waitAny(Timeout.ZERO);
        case 8 -> root.notifyBits(server.id(), data.consumeLong());
        default -> server.notifyBits(root.id(), data.consumeLong());
      };
      if (!Status.isValid(status)) {
        throw new AssertionError("step " + step + " returned " + status + ", not a status of this kernel");
      }
    }
    server.pollNotifications();
    root.pollNotifications();
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    closePair();
    if (root != null) {
      root.close();
    }
    if (kernel != null) {
      kernel.close();
    }
  }
}
