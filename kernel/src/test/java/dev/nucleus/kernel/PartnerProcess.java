package dev.nucleus.kernel;

import static dev.nucleus.kernel.PartnerComponent.*;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The test's side of a partner process: a process space running {@link PartnerComponent} as a
 * conductor, which the test drives over a loopback connection of its own (see there why not by
 * IPC). As a {@link Site}, it starts partners in the process, attaches {@link Actor}s there (an
 * agent thread that runs each IpcThread operation the test asks for, with the registers the test
 * wrote, and hands back the registers it then has), and creates endpoints there.
 *
 * <p>Deadlines: {@link Timeout#now()} counts from each JVM's start, so an absolute timeout the
 * test gives an agent is moved to the process's clock ({@link #timeoutThere}).
 *
 * <p>A partner that fails ends the process after telling the test why: {@link #failure()}. A
 * process that exits without being asked to is a failure too, unless its kernel was closed.
 *
 * <p>Commands are serialised; a command that cannot complete (the process has gone, or the
 * connection is in an unknown state) throws IllegalStateException, and the process is no longer
 * {@link #healthy()}.
 */
final class PartnerProcess implements Site, AutoCloseable {

  /** How long a start, a command or an exit may take before the test fails (a hang guard). */
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  /** What the reader hands the waiting command when the connection ends. */
  private static final Object GONE = new Object();

  private final Kernel kernel;
  private final ProcessSpace process;
  private final Socket socket;
  private final DataOutputStream out;
  private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
  private final Thread reader;
  /** What a partner reported before the process halted; null while none did. */
  private volatile String reported;
  private volatile Throwable failure;
  /** The test ended the process ({@link #end}, {@link #close}): its exit is no failure. */
  private volatile boolean ended;
  /** A command went wrong: the connection's state is unknown. */
  private volatile boolean broken;
  /**
   * What to add to a deadline on this JVM's {@link Timeout#now()} to have the same instant on the
   * process's: each JVM counts from its own start (both from CLOCK_MONOTONIC, which
   * System.nanoTime reads on Linux).
   */
  private final long clockShift;

  private PartnerProcess(Kernel kernel, ProcessSpace process, Socket socket, DataInputStream in, long origin)
      throws IOException {
    this.clockShift = (System.nanoTime() - Timeout.now()) - origin;
    this.kernel = kernel;
    this.process = process;
    this.socket = socket;
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    this.reader = Thread.ofPlatform().daemon().name("partner-reader-" + process.number()).start(() -> read(in));
  }

  /**
   * Starts a partner process space named {@code name}, linked to {@code peer}, and waits until its
   * conductor has connected. Throws IllegalStateException if it does not within {@link #PATIENCE}.
   */
  static PartnerProcess start(Kernel kernel, Space peer, String name) throws IOException {
    final long token = ThreadLocalRandom.current().nextLong();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(100);
      final ProcessSpace process = kernel.spawnProcessSpace(name, PartnerComponent.class, peer, "conductor",
          Integer.toString(server.getLocalPort()), Long.toHexString(token));
      final long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (true) {
        try {
          final Socket socket = server.accept();
          socket.setTcpNoDelay(true);
          final DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
          if (in.readByte() != 'H' || in.readLong() != token) {
            socket.close();
            continue; // not our conductor
          }
          return new PartnerProcess(kernel, process, socket, in, in.readLong());
        } catch (SocketTimeoutException notYet) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            process.close();
            throw new IllegalStateException(process + " did not connect" + (process.isAlive() ? " within " + PATIENCE : ""));
          }
        }
      }
    }
  }

  private void read(DataInputStream in) {
    try {
      while (true) {
        final byte type = in.readByte();
        if (type == 'F') {
          reported = in.readUTF();
        } else if (in.readInt() == 0) {
          final long[] words = new long[in.readInt()];
          for (int i = 0; i < words.length; i++) {
            words[i] = in.readLong();
          }
          responses.add(words);
        } else {
          responses.add(thrown(in.readUTF(), in.readUTF()));
        }
      }
    } catch (IOException ended) {
      responses.add(GONE);
    }
  }

  /** The exception an operation threw in the process, as the same type here where it is one of the kernel's. */
  private static RuntimeException thrown(String type, String message) {
    return switch (type) {
      case "java.lang.IllegalStateException" -> new IllegalStateException(message);
      case "java.lang.IllegalArgumentException" -> new IllegalArgumentException(message);
      case "java.lang.IndexOutOfBoundsException", "java.lang.ArrayIndexOutOfBoundsException" ->
          new IndexOutOfBoundsException(message);
      case "java.lang.WrongThreadException" -> new WrongThreadException(message);
      default -> new IllegalStateException("in the partner process: " + type + ": " + message);
    };
  }

  /** Sends command {@code op} and returns its answer; rethrows what the command threw there. */
  synchronized long[] command(int op, long... args) {
    if (broken) {
      throw new IllegalStateException(this + " can take no more commands" + note());
    }
    final Object answer;
    try {
      out.writeInt(op);
      out.writeInt(args.length);
      for (long word : args) {
        out.writeLong(word);
      }
      out.flush();
      answer = responses.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | InterruptedException e) {
      broken = true;
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("command " + op + " to " + this + " failed: " + e + note(), e);
    }
    if (answer == null || answer == GONE) {
      broken = true;
      throw new IllegalStateException(this + (answer == null ? " did not answer within " + PATIENCE : " has gone")
          + note());
    }
    if (answer instanceof RuntimeException e) {
      throw e;
    }
    return (long[]) answer;
  }

  private String note() {
    final Throwable f = failure();
    return f == null ? "" : " (" + f.getMessage() + ")";
  }

  /**
   * Timeout {@code t} of this JVM as the process must be given it: an absolute deadline moved to
   * the process's clock; every other encoding (relative, zero, never, invalid) as it is.
   */
  long timeoutThere(long t) {
    if (t <= 0 || (t & Timeout.ABSOLUTE_FLAG) == 0) {
      return t;
    }
    final long there = (t & Timeout.VALUE_MASK) + clockShift;
    return Timeout.at(Math.clamp(there, 0, Timeout.VALUE_MASK));
  }

  /** The process's pid. */
  long pid() {
    return process.pid();
  }

  /** The process space this partner runs in, as the root sees it. */
  ProcessSpace processSpace() {
    return process;
  }

  /**
   * Whether the process can serve another test: it runs, no partner failed, nothing went wrong
   * with a command, and the test did not end it.
   */
  boolean healthy() {
    return !broken && !ended && reported == null && process.isAlive();
  }

  /**
   * Clears what the last test made (closes its partners, agents and endpoints, and waits for
   * them); false if that did not work out, and the process should not serve another test.
   */
  boolean reset() {
    try {
      command(RESET);
      return healthy();
    } catch (RuntimeException e) {
      return false;
    }
  }

  // --- Site -----------------------------------------------------------------------------------

  @Override
  public int number() {
    return process.number();
  }

  @Override
  public Peer spawn(String name, WaitStrategy wait, Partners.Behaviour behaviour) {
    if (!behaviour.portable()) {
      throw new IllegalArgumentException(behaviour + " runs only in this JVM");
    }
    final long[] args = new long[2 + behaviour.args().length];
    args[0] = behaviour.kind().ordinal();
    args[1] = wait.ordinal();
    System.arraycopy(behaviour.args(), 0, args, 2, behaviour.args().length);
    return new RemotePeer(this, command(SPAWN, args)[0], name);
  }

  @Override
  public Actor attach(String name, WaitStrategy wait) {
    final long[] attached = command(ATTACH, wait.ordinal());
    return new RemoteActor(this, attached[0], name, (int) attached[1]);
  }

  @Override
  public EndpointRef createEndpoint(String name) {
    final long id = command(CREATE_ENDPOINT)[0];
    return new EndpointRef() {
      @Override
      public long id() {
        return id;
      }

      @Override
      public void close() {
        command(CLOSE_ENDPOINT, id);
      }

      @Override
      public String toString() {
        return name + "[" + ThreadId.toString(id) + "]";
      }
    };
  }

  /** Kills the process, as a crash would, and returns once the root has seen it exit. */
  @Override
  public void end() {
    ended = true;
    process.kill();
    try {
      if (!process.awaitExit(PATIENCE)) {
        throw new IllegalStateException(process + " did not exit within " + PATIENCE + " of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean isAlive() {
    return process.isAlive() && reported == null;
  }

  @Override
  public Throwable failure() {
    if (failure == null && reported == null && !process.isAlive()) {
      try {
        reader.join(PATIENCE); // what the process said before it exited
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure == null && reported != null) {
      failure = new RemoteFailure(process + ": " + reported);
    } else if (failure == null && !ended && !kernel.isClosed() && !process.isAlive()) {
      failure = new RemoteFailure(process + " exited unexpectedly" + exitCode());
    }
    return failure;
  }

  private String exitCode() {
    try {
      return ", exit code " + process.exitCode();
    } catch (RuntimeException stillReaping) {
      return "";
    }
  }

  @Override
  public boolean awaitTermination(Duration timeout) {
    return command(AWAIT_TERMINATION, timeout.toMillis())[0] == 1;
  }

  @Override
  public Space space() {
    return null;
  }

  @Override
  public boolean receivesInSeveralTables() {
    return process.peerLinkCount() > 0; // its root link, and each peer link
  }

  /** Ends the connection (the conductor then clears up and returns) and waits for the process to exit. */
  @Override
  public void close() throws Exception {
    ended = true;
    socket.close();
    if (!process.awaitExit(Duration.ofSeconds(5))) {
      process.close();
    }
    reader.join(PATIENCE);
  }

  @Override
  public String toString() {
    return "partner " + process;
  }

  /** A partner failed in the process (the message says which, and what it threw), or the process died. */
  static final class RemoteFailure extends RuntimeException {
    RemoteFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** A partner thread in the process. */
  private record RemotePeer(PartnerProcess process, long id, String name) implements Peer {

    @Override
    public IpcState ipcState() {
      return process.kernel.ipcState(id);
    }

    @Override
    public void abort() {
      process.command(ABORT, id);
    }

    @Override
    public IpcThread thread() {
      return null;
    }

    @Override
    public String toString() {
      return name + "[" + ThreadId.toString(id) + "]";
    }
  }

  /**
   * An agent in the process, driven operation by operation. Its registers are mirrored here:
   * writes are kept and sent with the next operation, which answers with every register as the
   * thread then has it. Where the mirror cannot stand in (an index out of range, a closed
   * thread), the access itself goes to the agent, so that it fails as the IpcThread there does.
   */
  private static final class RemoteActor implements Actor {

    private final PartnerProcess process;
    private final long id;
    private final String name;
    private final long[] registers;
    private final boolean[] written;
    /** Whether {@link #registers} holds the thread's registers (false once it is closed). */
    private boolean mirrored;
    private long sender;
    private boolean canReply;

    RemoteActor(PartnerProcess process, long id, String name, int messageRegisters) {
      this.process = process;
      this.id = id;
      this.name = name;
      this.registers = new long[messageRegisters];
      this.written = new boolean[messageRegisters];
      operate(SYNC, 0, 0, 0);
    }

    private long operate(int operation, long x, long y, long z) {
      final long[] writes = new long[2 * registers.length];
      int k = 0;
      for (int i = 0; i < registers.length; i++) {
        if (written[i]) {
          writes[2 * k] = i;
          writes[2 * k + 1] = registers[i];
          k++;
        }
      }
      final long[] args = new long[6 + 2 * k];
      args[0] = id;
      args[1] = operation;
      args[2] = x;
      args[3] = y;
      args[4] = z;
      args[5] = k;
      System.arraycopy(writes, 0, args, 6, 2 * k);
      Arrays.fill(written, false);
      final long[] state = process.command(OPERATE, args);
      mirrored = state[3] >= 0;
      if (mirrored) {
        sender = state[1];
        canReply = state[2] != 0;
        System.arraycopy(state, 4, registers, 0, registers.length);
      }
      return state[0];
    }

    private boolean inMirror(int i) {
      return mirrored && i >= 0 && i < registers.length;
    }

    @Override
    public long id() {
      return id;
    }

    @Override
    public IpcState ipcState() {
      return process.kernel.ipcState(id);
    }

    @Override
    public void abort() {
      process.command(ABORT, id);
    }

    @Override
    public IpcThread thread() {
      return null;
    }

    @Override
    public int messageRegisters() {
      return registers.length;
    }

    @Override
    public long tag() {
      return mr(0);
    }

    @Override
    public void setTag(long tag) {
      setMr(0, tag);
    }

    @Override
    public long mr(int i) {
      return inMirror(i) ? registers[i] : operate(READ_MR, i, 0, 0);
    }

    @Override
    public void setMr(int i, long value) {
      if (inMirror(i)) {
        registers[i] = value;
        written[i] = true;
      } else {
        operate(WRITE_MR, i, value, 0);
      }
    }

    @Override
    public long sender() {
      return sender;
    }

    @Override
    public boolean canReply() {
      return canReply;
    }

    @Override
    public int send(long to, long timeout) {
      return (int) operate(SEND, to, process.timeoutThere(timeout), 0);
    }

    @Override
    public int call(long to, long sendTimeout, long receiveTimeout) {
      return (int) operate(CALL, to, process.timeoutThere(sendTimeout), process.timeoutThere(receiveTimeout));
    }

    @Override
    public int call(long to) {
      return (int) operate(CALL_NEVER, to, 0, 0);
    }

    @Override
    public int receive(long from, long timeout) {
      return (int) operate(RECEIVE, from, process.timeoutThere(timeout), 0);
    }

    @Override
    public int waitAny(long timeout) {
      return (int) operate(WAIT_ANY, process.timeoutThere(timeout), 0, 0);
    }

    @Override
    public int waitAt(EndpointRef endpoint, long timeout) {
      return (int) operate(WAIT_AT, endpoint.id(), process.timeoutThere(timeout), 0);
    }

    @Override
    public int reply() {
      return (int) operate(REPLY, 0, 0, 0);
    }

    @Override
    public int replyWait(long timeout) {
      return (int) operate(REPLY_WAIT, process.timeoutThere(timeout), 0, 0);
    }

    @Override
    public int replyWait(EndpointRef endpoint, long timeout) {
      return (int) operate(REPLY_WAIT_AT, endpoint.id(), process.timeoutThere(timeout), 0);
    }

    @Override
    public int notifyBits(long to, long bits) {
      return (int) operate(NOTIFY, to, bits, 0);
    }

    @Override
    public long pollNotifications() {
      return operate(POLL_NOTIFICATIONS, 0, 0, 0);
    }

    @Override
    public int waitNotifications(long timeout) {
      return (int) operate(WAIT_NOTIFICATIONS, process.timeoutThere(timeout), 0, 0);
    }

    @Override
    public void setNotificationMask(long mask) {
      operate(SET_NOTIFICATION_MASK, mask, 0, 0);
    }

    @Override
    public long notificationMask() {
      return operate(NOTIFICATION_MASK, 0, 0, 0);
    }

    @Override
    public void acceptNotifications(boolean accept) {
      operate(ACCEPT_NOTIFICATIONS, accept ? 1 : 0, 0, 0);
    }

    @Override
    public void close() {
      operate(CLOSE, 0, 0, 0);
    }

    @Override
    public String toString() {
      return name + "[" + ThreadId.toString(id) + "] in " + process;
    }
  }
}
