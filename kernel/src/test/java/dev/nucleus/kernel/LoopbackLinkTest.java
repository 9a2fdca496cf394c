package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.internal.link.Link;
import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
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

  /**
   * A process that keeps the lock of one of its threads' receive points (and says senders are
   * queued there, so a sender must take the lock) delays a root thread's send with a deadline to
   * that deadline only: the send gives up TIMEOUT, not delivered, and leaves the lock as the
   * process holds it. Before, it waited out the lock's patience (1 s), broke the lock and went on;
   * the lock word left behind tells the two apart without timing anything.
   */
  @Test
  void aTimedSendGivesUpAtItsDeadlineOnALockThePeerKeeps() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space client = kernel.createSpace("client");
      try (LoopbackLink loopback = LoopbackLink.open(kernel, client, "loop")) {
        final MemorySegment link = loopback.rootSide().link().segment();
        final LinkDescriptor.Geometry g = loopback.rootSide().link().geometry();
        try (IpcThread me = client.attach("me"); IpcThread target = loopback.processSpace().attach("target")) {
          final long rp = g.rpOffset() + ThreadId.index(target.id()) * (long) ReceivePointDescriptor.SIZE;
          link.set(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LOCK_OFFSET, Link.SIDE_B); // the process's hold
          link.set(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LENGTH_OFFSET, 1);

          me.setTag(MessageTag.of(1, 0));
          assertThat(me.send(target.id(), Timeout.relative(50_000_000L))).isEqualTo(Status.send(Status.TIMEOUT));
          assertThat(me.call(target.id(), Timeout.relative(50_000_000L), Timeout.NEVER))
              .as("a call: not delivered, so its send phase").isEqualTo(Status.send(Status.TIMEOUT));

          assertThat(link.get(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LOCK_OFFSET))
              .as("the lock was not broken: the deadline came first").isEqualTo(Link.SIDE_B);
          link.set(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LENGTH_OFFSET, 0); // the process lets go
          link.set(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LOCK_OFFSET, 0);
          assertThat(me.send(target.id(), Timeout.ZERO)).as("the link still works").isEqualTo(Status.send(Status.NO_PARTNER));
        }
      }
    }
  }

  /** The same on the receiving side: a process thread's timed receive, its lock kept by the root's side. */
  @Test
  void aTimedReceiveGivesUpAtItsDeadlineOnABusyLock() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space client = kernel.createSpace("client");
      try (LoopbackLink loopback = LoopbackLink.open(kernel, client, "loop")) {
        final MemorySegment link = loopback.rootSide().link().segment();
        final LinkDescriptor.Geometry g = loopback.rootSide().link().geometry();
        try (IpcThread target = loopback.processSpace().attach("target")) {
          final long rp = g.rpOffset() + ThreadId.index(target.id()) * (long) ReceivePointDescriptor.SIZE;
          link.set(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LOCK_OFFSET, Link.SIDE_A);
          link.set(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LENGTH_OFFSET, 1);

          assertThat(target.receive(ThreadId.ANY, Timeout.relative(50_000_000L)))
              .isEqualTo(Status.receive(Status.TIMEOUT));

          assertThat(link.get(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LOCK_OFFSET)).isEqualTo(Link.SIDE_A);
          link.set(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LENGTH_OFFSET, 0);
          link.set(ValueLayout.JAVA_INT, rp + ReceivePointDescriptor.LOCK_OFFSET, 0);
          assertThat(target.receive(ThreadId.ANY, Timeout.ZERO)).isEqualTo(Status.receive(Status.NO_PARTNER));
        }
      }
    }
  }

  /**
   * Writes at any time, including between the reads of one operation: a scribbler thread writes
   * into both ends' rows while the root's thread and the process side's thread poll each other.
   */
  @Test
  void writesDuringOperationsGiveStatusesNeverExceptions() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space client = kernel.createSpace("client");
      try (LoopbackLink loopback = LoopbackLink.open(kernel, client, "loop")) {
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(2);
        final long[] ids = new long[2];
        final java.util.concurrent.atomic.AtomicLong operations = new java.util.concurrent.atomic.AtomicLong();
        final Thread[] pollers = new Thread[2];
        for (int side = 0; side < 2; side++) {
          final int me = side;
          pollers[side] = Thread.ofPlatform().name("poller-" + side).start(() -> {
            try (IpcThread self = (me == 0 ? client : loopback.processSpace()).attach("poller-" + me)) {
              ids[me] = self.id();
              attached.countDown();
              attached.await();
              final java.util.SplittableRandom random = new java.util.SplittableRandom(me);
              final long other = ids[1 - me];
              while (!stop.get()) {
                self.setTag(MessageTag.of(1, 1));
                final int status = switch (random.nextInt(5)) {
                  case 0 -> self.call(other, Timeout.ZERO, Timeout.ZERO);
                  case 1 -> self.send(other, Timeout.ZERO);
                  case 2 -> self.waitAny(Timeout.ZERO);
                  case 3 -> self.canReply() ? self.replyWait(Timeout.ZERO) : self.receive(other, Timeout.ZERO);
                  default -> self.notifyBits(other, random.nextLong());
                };
                if (!Status.isValid(status)) {
                  throw new AssertionError("not a status of this kernel: " + status);
                }
                self.pollNotifications();
                operations.incrementAndGet();
              }
            } catch (Throwable t) {
              failure.compareAndSet(null, t);
            }
          });
        }
        attached.await();
        final HostilePeer peer = new HostilePeer(loopback.rootSide().link(), ThreadId.index(ids[0]), ThreadId.index(ids[1]));
        final java.util.SplittableRandom random = new java.util.SplittableRandom(20261206);
        final long end = System.nanoTime() + 3_000_000_000L;
        long writes = 0;
        while (System.nanoTime() < end && failure.get() == null) {
          peer.scribble(random::nextInt, random::nextLong);
          writes++;
          for (int k = random.nextInt(200); k > 0; k--) {
            Thread.onSpinWait();
          }
        }
        stop.set(true);
        for (Thread t : pollers) {
          t.join(30_000);
          assertThat(t.isAlive()).as("%s returned", t.getName()).isFalse();
        }
        assertThat(failure.get()).as("what a poller threw").isNull();
        assertThat(writes).isPositive();
        assertThat(operations.get()).as("operations made").isPositive();
      }
    }
  }
}
