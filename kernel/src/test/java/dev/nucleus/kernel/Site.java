package dev.nucleus.kernel;

import java.time.Duration;

/**
 * Where the conformance suite puts threads: a space of the root kernel ({@link ThreadSite}) or a
 * process space driven from the test ({@link PartnerProcess}). A site starts partners that run a
 * {@link Partners.Behaviour}, attaches threads the test drives step by step ({@link Actor}),
 * creates endpoints, and ends. The suite's scenarios are written against these interfaces only,
 * so that each runs over every kind of space.
 */
interface Site {

  /** The space number in the ids of this site's threads. */
  int number();

  /** Starts a thread running {@code behaviour}; its id is valid when this returns. */
  Peer spawn(String name, WaitStrategy wait, Partners.Behaviour behaviour);

  /** A thread of this site that the test drives operation by operation. */
  Actor attach(String name, WaitStrategy wait);

  /** Creates an endpoint owned by this site's space. */
  EndpointRef createEndpoint(String name);

  /**
   * Ends the space: its ids become stale, IPC blocked on its threads fails with PEER_DEAD. A
   * process site's process exits; this returns once the root has seen it.
   */
  void end();

  boolean isAlive();

  /** What ended the space by failing (an uncaught exception of a partner), or null. */
  Throwable failure();

  /** Waits until every partner thread started here has finished; false on timeout. */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /** The root's space, or null for a process site (which has no Space object in this JVM). */
  Space space();

  /**
   * Whether the open receives of this site's threads wait in several port tables (a root space
   * with a link to a process space): such a receiver is claimable only in the table of its last
   * IPC, and polls the others (docs/protocol.md, the receive over several tables).
   */
  boolean receivesInSeveralTables();

  /** A thread of a site, as the test sees it: its id, its IPC state, and abort. */
  interface Peer {

    long id();

    /** The thread's IPC state, as {@link Kernel#ipcState} reads it. */
    IpcState ipcState();

    /** Aborts the thread's IPC in progress (see {@link IpcThread#abort()}). */
    void abort();

    /** The IpcThread, where it lives in this JVM; else null. */
    IpcThread thread();
  }

  /** An endpoint of a site. */
  interface EndpointRef {

    long id();

    /** Closes the endpoint (see {@link Endpoint#close()}). */
    void close();
  }

  /**
   * A thread the test drives: every {@link IpcThread} operation, run by the thread itself
   * (in this JVM, or in the process of a process site); failures are the same statuses and
   * exceptions.
   */
  interface Actor extends Peer {

    int messageRegisters();

    long tag();

    void setTag(long tag);

    long mr(int i);

    void setMr(int i, long value);

    long sender();

    boolean canReply();

    int send(long to, long timeout);

    int call(long to, long sendTimeout, long receiveTimeout);

    int call(long to);

    int receive(long from, long timeout);

    int waitAny(long timeout);

    int waitAt(EndpointRef endpoint, long timeout);

    int reply();

    int replyWait(long timeout);

    int replyWait(EndpointRef endpoint, long timeout);

    int notifyBits(long to, long bits);

    long pollNotifications();

    int waitNotifications(long timeout);

    void setNotificationMask(long mask);

    long notificationMask();

    void acceptNotifications(boolean accept);

    /** Ends the thread (see {@link IpcThread#close()}), as its owner does. */
    void close();
  }
}
