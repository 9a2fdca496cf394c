package dev.nucleus.kernel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The far side of the cross-process conformance tests, run in a process space. Its first
 * argument names the mode:
 *
 * <ul>
 *   <li>{@code conductor PORT TOKEN}: runs the partners of the conformance suite on command from
 *       the test ({@link PartnerProcess} is the test's side). It connects to {@code PORT} on the
 *       loopback interface, says {@code TOKEN} (hex), and then executes commands until the test
 *       closes the connection: start a partner running a {@link Partners.Behaviour}, attach a
 *       thread the test drives operation by operation (an <em>agent</em>), create or close an
 *       endpoint, abort a thread, and clear everything after a test.
 *   <li>{@code notify ID BITS} (hex): notifies thread ID with BITS, then stays until ended.
 * </ul>
 *
 * <p>Why commands do not travel by IPC: the scenarios end spaces, close channels and close the
 * kernel, and a command path through the kernel would end with them. The connection is the
 * test's own, outside everything a scenario can touch.
 *
 * <p>A partner that throws ends the process at once (its space's end, as a crash), after sending
 * the failure to the test: the test sees the same as when a thread space's partner throws.
 *
 * <p>Protocol (big-endian, {@link DataOutputStream}): the test sends {@code int op, int n, long[n]};
 * the conductor answers {@code byte 'R', int 0, int n, long[n]} or, for an exception of the
 * operation, {@code byte 'R', int 1, UTF class, UTF message}; at any time it may send
 * {@code byte 'F', UTF text} (a partner failed, the process halts). Its first frame is
 * {@code byte 'H', long token, long origin}, the origin being {@code System.nanoTime()} at this
 * JVM's {@code Timeout.now()} zero, so that the test can turn its absolute deadlines into ours.
 */
public final class PartnerComponent implements ProcessComponent {

  // --- commands (op) --------------------------------------------------------------------------
  /** {@code [kind, strategy, args...]} -> {@code [id]}: start a partner. */
  static final int SPAWN = 1;
  /** {@code [strategy]} -> {@code [id, message registers]}: attach an agent. */
  static final int ATTACH = 2;
  /** {@code []} -> {@code [id]}. */
  static final int CREATE_ENDPOINT = 3;
  /** {@code [id]} -> {@code []}. */
  static final int CLOSE_ENDPOINT = 4;
  /** {@code [id]} -> {@code []}: abort a partner or agent (any thread may). */
  static final int ABORT = 5;
  /** {@code [millis]} -> {@code [1 if every partner thread finished]}. */
  static final int AWAIT_TERMINATION = 6;
  /** {@code []} -> {@code []}: close every partner, agent and endpoint, and wait for their threads. */
  static final int RESET = 7;
  /**
   * {@code [agent, operation, a, b, c, k, (index, value) x k]} -> {@code [result, sender, canReply,
   * n, MR0..MR(n-1)]}: the agent writes the k registers, runs the operation and answers with its
   * registers (n = -1 where they cannot be read: the thread is closed).
   */
  static final int OPERATE = 8;

  // --- agent operations -----------------------------------------------------------------------
  static final int SEND = 1;
  static final int CALL = 2;
  static final int CALL_NEVER = 3;
  static final int RECEIVE = 4;
  static final int WAIT_ANY = 5;
  static final int WAIT_AT = 6;
  static final int REPLY = 7;
  static final int REPLY_WAIT = 8;
  static final int REPLY_WAIT_AT = 9;
  static final int NOTIFY = 10;
  static final int POLL_NOTIFICATIONS = 11;
  static final int WAIT_NOTIFICATIONS = 12;
  static final int SET_NOTIFICATION_MASK = 13;
  static final int NOTIFICATION_MASK = 14;
  static final int ACCEPT_NOTIFICATIONS = 15;
  static final int CLOSE = 16;
  static final int READ_MR = 17;
  static final int WRITE_MR = 18;
  static final int SYNC = 19;

  /** How long a reset waits for the partners' Java threads to finish. */
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Override
  public void run(ProcessContext context) throws Exception {
    final String mode = context.args().get(0);
    switch (mode) {
      case "conductor" -> new Conductor(context.space()).run(Integer.parseInt(context.args().get(1)),
          Long.parseUnsignedLong(context.args().get(2), 16));
      case "notify" -> notify(context, Long.parseUnsignedLong(context.args().get(1), 16),
          Long.parseUnsignedLong(context.args().get(2), 16));
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static void notify(ProcessContext context, long target, long bits) {
    final IpcThread self = context.space().attach("notifier");
    context.publish(self.id());
    final int status = self.notifyBits(target, bits);
    if (status != Status.OK) {
      throw new IllegalStateException("notify: " + Status.toString(status));
    }
    self.waitNotifications(Timeout.NEVER); // stay until the test ends us
  }

  /** Executes the test's commands in this process space. */
  private static final class Conductor {

    private final Space space;
    private final Map<Long, IpcThread> partners = new LinkedHashMap<>();
    private final Map<Long, Agent> agents = new LinkedHashMap<>();
    private final Map<Long, Endpoint> endpoints = new LinkedHashMap<>();
    private DataOutputStream out;
    private int spawned;
    /** Set while a reset closes the partners: what they then see is not the test's concern. */
    private volatile boolean resetting;

    Conductor(Space space) {
      this.space = space;
    }

    void run(int port, long token) throws IOException, InterruptedException {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setTcpNoDelay(true);
        final DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        synchronized (out) {
          out.writeByte('H');
          out.writeLong(token);
          out.writeLong(System.nanoTime() - Timeout.now()); // this JVM's origin of Timeout.now()
          out.flush();
        }
        while (true) {
          final int op;
          try {
            op = in.readInt();
          } catch (EOFException closed) {
            break; // the test is done with us
          }
          final long[] args = new long[in.readInt()];
          for (int i = 0; i < args.length; i++) {
            args[i] = in.readLong();
          }
          answer(op, args);
        }
      }
      reset();
    }

    private void answer(int op, long[] args) throws IOException, InterruptedException {
      long[] result = null;
      Throwable thrown = null;
      try {
        result = execute(op, args);
      } catch (InterruptedException e) {
        throw e;
      } catch (Throwable t) {
        thrown = t;
      }
      synchronized (out) {
        out.writeByte('R');
        if (thrown == null) {
          out.writeInt(0);
          out.writeInt(result.length);
          for (long word : result) {
            out.writeLong(word);
          }
        } else {
          out.writeInt(1);
          out.writeUTF(thrown.getClass().getName());
          out.writeUTF(String.valueOf(thrown.getMessage()));
        }
        out.flush();
      }
    }

    private long[] execute(int op, long[] a) throws InterruptedException {
      return switch (op) {
        case SPAWN -> new long[] {spawn(a)};
        case ATTACH -> {
          final Agent agent = new Agent(space, WaitStrategy.values()[(int) a[0]]);
          agents.put(agent.id, agent);
          yield new long[] {agent.id, agent.messageRegisters};
        }
        case CREATE_ENDPOINT -> {
          final Endpoint e = space.createEndpoint("endpoint-" + endpoints.size());
          endpoints.put(e.id(), e);
          yield new long[] {e.id()};
        }
        case CLOSE_ENDPOINT -> {
          endpoint(a[0]).close();
          yield new long[0];
        }
        case ABORT -> {
          thread(a[0]).abort();
          yield new long[0];
        }
        case AWAIT_TERMINATION -> new long[] {space.awaitTermination(Duration.ofMillis(a[0])) ? 1 : 0};
        case RESET -> {
          reset();
          yield new long[0];
        }
        case OPERATE -> agent(a[0]).operate(a, this::endpoint);
        default -> throw new IllegalArgumentException("unknown command " + op);
      };
    }

    private long spawn(long[] a) {
      final Partners.Behaviour behaviour = new Partners.Behaviour(Partners.Kind.values()[(int) a[0]],
          Arrays.copyOfRange(a, 2, a.length));
      final String name = behaviour.kind().name().toLowerCase() + "-" + spawned++;
      final Space.Body body = behaviour.body(space);
      final IpcThread t = space.spawn(name, WaitStrategy.values()[(int) a[1]], self -> {
        try {
          body.run(self);
        } catch (Throwable failure) {
          if (!resetting) {
            fail(name, failure);
          }
        }
      });
      partners.put(t.id(), t);
      return t.id();
    }

    /**
     * A partner threw: its space ends, and here that is the process's end. Tells the test what
     * happened, then halts as a crash would (nothing else of this process runs on).
     */
    private void fail(String partner, Throwable failure) {
      try {
        synchronized (out) {
          out.writeByte('F');
          out.writeUTF(partner + ": " + failure);
          out.flush();
        }
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      } finally {
        System.err.println("partner " + partner + " failed, ending its process space:");
        failure.printStackTrace();
        Runtime.getRuntime().halt(1);
      }
    }

    private IpcThread thread(long id) {
      final IpcThread t = partners.get(id);
      if (t != null) {
        return t;
      }
      return agent(id).thread;
    }

    private Agent agent(long id) {
      final Agent agent = agents.get(id);
      if (agent == null) {
        throw new IllegalArgumentException("no agent " + ThreadId.toString(id));
      }
      return agent;
    }

    private Endpoint endpoint(long id) {
      final Endpoint e = endpoints.get(id);
      if (e == null) {
        throw new IllegalArgumentException("no endpoint " + ThreadId.toString(id) + " in this process space");
      }
      return e;
    }

    /** Closes every partner, agent and endpoint, and waits for the partners' Java threads. */
    private void reset() throws InterruptedException {
      resetting = true;
      try {
        partners.values().forEach(IpcThread::close);
        for (Agent agent : agents.values()) {
          agent.stop();
        }
        endpoints.values().forEach(Endpoint::close);
        partners.clear();
        agents.clear();
        endpoints.clear();
        if (!space.awaitTermination(PATIENCE)) {
          throw new IllegalStateException("partner threads still run " + PATIENCE + " after they were closed");
        }
      } finally {
        resetting = false;
      }
    }
  }

  /**
   * A thread the test drives: a Java thread attached to the space that runs each operation the
   * conductor hands it, on itself (an IpcThread's operations belong to its owner).
   */
  private static final class Agent {

    private final SynchronousQueue<Function<IpcThread, long[]>> tasks = new SynchronousQueue<>();
    private final SynchronousQueue<Object> results = new SynchronousQueue<>();
    private final Thread javaThread;
    final IpcThread thread;
    final long id;
    final int messageRegisters;

    Agent(Space space, WaitStrategy wait) {
      final CompletableFuture<IpcThread> attached = new CompletableFuture<>();
      javaThread = Thread.ofPlatform().name("agent").start(() -> serve(space, wait, attached));
      thread = attached.join();
      id = thread.id();
      messageRegisters = thread.messageRegisters();
    }

    private void serve(Space space, WaitStrategy wait, CompletableFuture<IpcThread> attached) {
      final IpcThread self;
      try {
        self = space.attach("agent", wait);
      } catch (Throwable t) {
        attached.completeExceptionally(t);
        return;
      }
      attached.complete(self);
      try {
        while (true) {
          final Function<IpcThread, long[]> task = tasks.take();
          if (task == STOP) {
            break;
          }
          Object result;
          try {
            result = task.apply(self);
          } catch (Throwable t) {
            result = t;
          }
          results.put(result);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        self.close();
      }
    }

    private static final Function<IpcThread, long[]> STOP = t -> null;

    /** Runs {@code task} on the agent's thread; its result, or what it threw. */
    long[] run(Function<IpcThread, long[]> task) throws InterruptedException {
      tasks.put(task);
      final Object result = results.take();
      if (result instanceof RuntimeException e) {
        throw e;
      }
      if (result instanceof Error e) {
        throw e;
      }
      return (long[]) result;
    }

    void stop() throws InterruptedException {
      thread.close();
      if (tasks.offer(STOP, PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        javaThread.join(PATIENCE);
      }
    }

    long[] operate(long[] a, Function<Long, Endpoint> endpoints) throws InterruptedException {
      final int operation = (int) a[1];
      final long x = a[2];
      final long y = a[3];
      final long z = a[4];
      final int writes = (int) a[5];
      final Endpoint endpoint = operation == WAIT_AT || operation == REPLY_WAIT_AT ? endpoints.apply(x) : null;
      return run(self -> {
        for (int k = 0; k < writes; k++) {
          self.setMr((int) a[6 + 2 * k], a[7 + 2 * k]);
        }
        final long result = switch (operation) {
          case SEND -> self.send(x, y);
          case CALL -> self.call(x, y, z);
          case CALL_NEVER -> self.call(x);
          case RECEIVE -> self.receive(x, y);
          case WAIT_ANY -> self.waitAny(x);
          case WAIT_AT -> self.waitAt(endpoint, y);
          case REPLY -> self.reply();
          case REPLY_WAIT -> self.replyWait(x);
          case REPLY_WAIT_AT -> self.replyWait(endpoint, y);
          case NOTIFY -> self.notifyBits(x, y);
          case POLL_NOTIFICATIONS -> self.pollNotifications();
          case WAIT_NOTIFICATIONS -> self.waitNotifications(x);
          case SET_NOTIFICATION_MASK -> {
            self.setNotificationMask(x);
            yield 0;
          }
          case NOTIFICATION_MASK -> self.notificationMask();
          case ACCEPT_NOTIFICATIONS -> {
            self.acceptNotifications(x != 0);
            yield 0;
          }
          case CLOSE -> {
            self.close();
            yield 0;
          }
          case READ_MR -> self.mr((int) x);
          case WRITE_MR -> {
            self.setMr((int) x, y);
            yield 0;
          }
          case SYNC -> 0;
          default -> throw new IllegalArgumentException("unknown operation " + operation);
        };
        return state(self, result);
      });
    }

    /** {@code [result, sender, canReply, n, MR0..]}; n = -1 where the registers cannot be read. */
    private static long[] state(IpcThread self, long result) {
      final long[] out = new long[4 + self.messageRegisters()];
      out[0] = result;
      try {
        for (int i = 0; i < self.messageRegisters(); i++) {
          out[4 + i] = self.mr(i);
        }
        out[1] = self.sender();
        out[2] = self.canReply() ? 1 : 0;
        out[3] = self.messageRegisters();
        return out;
      } catch (IllegalStateException closed) {
        return new long[] {result, ThreadId.NIL, 0, -1};
      }
    }
  }
}
