package dev.nucleus.kernel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Site} that is a thread space of the root kernel: partners run on Java threads of this
 * JVM, and the test drives its own threads directly. Remembers what it made, so that a space
 * shared by several tests can be cleared after each ({@link #closeAll}).
 */
final class ThreadSite implements Site {

  private final Space space;
  private final List<IpcThread> threads = new CopyOnWriteArrayList<>();
  private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
  /** Set once the test is over ({@link #quiesce}): a partner failing then does not end the space. */
  private volatile boolean quiet;

  ThreadSite(Space space) {
    this.space = space;
  }

  @Override
  public int number() {
    return space.number();
  }

  @Override
  public Peer spawn(String name, WaitStrategy wait, Partners.Behaviour behaviour) {
    final Space.Body body = behaviour.body(space);
    final IpcThread t = space.spawn(name, wait, self -> {
      try {
        body.run(self);
      } catch (Exception | Error failure) {
        if (!quiet) {
          throw failure; // ends the space, as a partner's failure does
        }
      }
    });
    threads.add(t);
    return new LocalActor(t);
  }

  @Override
  public Actor attach(String name, WaitStrategy wait) {
    final IpcThread t = space.attach(name, wait);
    threads.add(t);
    return new LocalActor(t);
  }

  @Override
  public EndpointRef createEndpoint(String name) {
    final Endpoint e = space.createEndpoint(name);
    endpoints.add(e);
    return new LocalEndpoint(e);
  }

  @Override
  public void end() {
    space.end();
  }

  @Override
  public boolean isAlive() {
    return space.isAlive();
  }

  @Override
  public Throwable failure() {
    return space.failure();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return space.awaitTermination(timeout);
  }

  @Override
  public Space space() {
    return space;
  }

  @Override
  public boolean receivesInSeveralTables() {
    return space.tables.tables().length > 1;
  }

  /** The Endpoint object of {@code ref}, an endpoint of a thread space. */
  static Endpoint endpoint(EndpointRef ref) {
    if (ref instanceof LocalEndpoint local) {
      return local.endpoint();
    }
    throw new IllegalArgumentException(ref + " is an endpoint of another process: there is no Endpoint of it here");
  }

  /**
   * Marks the test over: from now on a partner of this site that fails (say, because a partner in
   * another space was closed first) does not end the space, which other tests share.
   */
  void quiesce() {
    quiet = true;
  }

  /** Closes every thread and endpoint this site made (their bodies see CLOSED and return). */
  void closeAll() {
    quiesce();
    threads.forEach(IpcThread::close);
    endpoints.forEach(Endpoint::close);
  }

  @Override
  public String toString() {
    return space.toString();
  }

  /** An endpoint of a thread space: its {@link Endpoint}. */
  record LocalEndpoint(Endpoint endpoint) implements EndpointRef {

    @Override
    public long id() {
      return endpoint.id();
    }

    @Override
    public void close() {
      endpoint.close();
    }

    @Override
    public String toString() {
      return endpoint.toString();
    }
  }

  /** An IpcThread of this JVM, used directly. */
  record LocalActor(IpcThread thread) implements Actor {

    @Override
    public long id() {
      return thread.id();
    }

    @Override
    public IpcState ipcState() {
      return thread.ipcState();
    }

    @Override
    public void abort() {
      thread.abort();
    }

    @Override
    public int messageRegisters() {
      return thread.messageRegisters();
    }

    @Override
    public long tag() {
      return thread.tag();
    }

    @Override
    public void setTag(long tag) {
      thread.setTag(tag);
    }

    @Override
    public long mr(int i) {
      return thread.mr(i);
    }

    @Override
    public void setMr(int i, long value) {
      thread.setMr(i, value);
    }

    @Override
    public long sender() {
      return thread.sender();
    }

    @Override
    public boolean canReply() {
      return thread.canReply();
    }

    @Override
    public int send(long to, long timeout) {
      return thread.send(to, timeout);
    }

    @Override
    public int call(long to, long sendTimeout, long receiveTimeout) {
      return thread.call(to, sendTimeout, receiveTimeout);
    }

    @Override
    public int call(long to) {
      return thread.call(to);
    }

    @Override
    public int receive(long from, long timeout) {
      return thread.receive(from, timeout);
    }

    @Override
    public int waitAny(long timeout) {
      return thread.waitAny(timeout);
    }

    @Override
    public int waitAt(EndpointRef endpoint, long timeout) {
      return thread.waitAt(endpoint(endpoint), timeout);
    }

    @Override
    public int reply() {
      return thread.reply();
    }

    @Override
    public int replyWait(long timeout) {
      return thread.replyWait(timeout);
    }

    @Override
    public int replyWait(EndpointRef endpoint, long timeout) {
      return thread.replyWait(endpoint(endpoint), timeout);
    }

    @Override
    public int notifyBits(long to, long bits) {
      return thread.notifyBits(to, bits);
    }

    @Override
    public long pollNotifications() {
      return thread.pollNotifications();
    }

    @Override
    public int waitNotifications(long timeout) {
      return thread.waitNotifications(timeout);
    }

    @Override
    public void setNotificationMask(long mask) {
      thread.setNotificationMask(mask);
    }

    @Override
    public long notificationMask() {
      return thread.notificationMask();
    }

    @Override
    public void acceptNotifications(boolean accept) {
      thread.acceptNotifications(accept);
    }

    @Override
    public void close() {
      thread.close();
    }

    @Override
    public String toString() {
      return thread.toString();
    }
  }
}
