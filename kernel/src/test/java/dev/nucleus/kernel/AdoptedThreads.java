package dev.nucleus.kernel;

/**
 * A small kernel with one thread space and a fixed set of IPC threads that whichever Java thread
 * runs an operation adopts: the bridge between Lincheck and the kernel's owner-thread rule.
 *
 * <p>Why adoption: an {@link IpcThread}'s operations must run on its owner thread, and
 * {@link Space#attach} makes the calling thread the owner. Lincheck, though, creates the object
 * under test on one thread and runs each of its scenario threads' operations on worker threads of
 * its own choosing, and a test that attached lazily on first use would let one thread's first
 * operation create the id another thread's operation addresses (a race of the harness, not of
 * the kernel). So the ids exist, all of them, before any operation runs, and each operation hands
 * its scenario thread's IPC thread to the Java thread running it ({@link #adopt}). A scenario
 * thread's operations never overlap, so an IPC thread is never used by two Java threads at once;
 * the hand-over itself is package-private test support, not API.
 */
final class AdoptedThreads implements AutoCloseable {

  /** A kernel just big enough: the scenario threads, a server, an auditor. */
  private static final Kernel.Config CONFIG =
      Kernel.Config.defaults().withMaxThreads(8).withMaxSpaces(2).withMaxEndpoints(1).withMessageRegisters(8);

  private final Kernel kernel;
  private final Space space;
  private final IpcThread[] threads;

  /**
   * {@code count} IPC threads, attached by the calling thread and handed over on use.
   *
   * @param count how many threads (scenario threads, plus one more for Lincheck's init and post
   *     parts where a test has them)
   * @param wait how they wait for partners
   */
  AdoptedThreads(int count, WaitStrategy wait) {
    this.kernel = new Kernel(CONFIG.withWaitStrategy(wait));
    this.space = kernel.createSpace("lincheck");
    this.threads = new IpcThread[count];
    for (int i = 0; i < count; i++) {
      threads[i] = space.attach("t" + i, wait);
    }
  }

  /** The space the threads live in: a server spawned here needs no channel to them. */
  Space space() {
    return space;
  }

  /** The id of thread {@code i}; callable from any thread. */
  long id(int i) {
    return threads[i].id();
  }

  /** Thread {@code i}, without adopting it: for {@link IpcThread#abort()} from another thread. */
  IpcThread peek(int i) {
    return threads[i];
  }

  /** Thread {@code i}, owned by the calling Java thread from now on. */
  IpcThread adopt(int i) {
    final IpcThread t = threads[i];
    t.bindOwner(Thread.currentThread());
    space.registry.sleeper.bind(t.engine.index, Thread.currentThread());
    return t;
  }

  /** Ends the kernel: its spawned threads return CLOSED and exit. */
  @Override
  public void close() {
    kernel.close();
  }
}
