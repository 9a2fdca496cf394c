package dev.nucleus.kernel.internal.ipc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which rows of a table have memory behind them. A row is a receive point (rows
 * {@code 0..maxThreads-1} are threads' own points, each with its TCB; the endpoints' points
 * follow). The kernel's home table has every row. A link's table is identity-indexed like the
 * home table, but its file is sparse: only the rows of the two spaces it joins are reserved, so
 * a link costs what its spaces use, not the whole table (see LinkDescriptor, ROW_MAP). Touching
 * a row that was never reserved would allocate a page of the link's tmpfs then, and a full
 * tmpfs answers that touch with SIGBUS; so every index the engine takes from an id or from
 * shared memory passes {@link #has} before any access to its row.
 *
 * <p>The side that creates a link reserves rows ({@link #ensure}) through its {@link Backing}
 * and trusts only its own record. The other side learns of rows reserved after it attached
 * from the creator's row map, which it trusts: the creator is the root kernel.
 *
 * <p>Thread-safe: rows are only ever added; a row's flag is published with a release store
 * after its memory is reserved and initialised, and read with an acquire load.
 */
public final class Rows {

  /** Where a link's rows come from. */
  public interface Backing {
    /**
     * Reserves and initialises row {@code row} (the creator's side), then marks it in the
     * shared row map.
     *
     * @throws IllegalStateException if its memory cannot be had (a one-line message)
     */
    void reserve(int row);

    /** Whether the creator has marked row {@code row} reserved (the other side's lookup). */
    boolean reservedByCreator(int row);
  }

  private static final VarHandle PRESENT = MethodHandles.arrayElementVarHandle(boolean[].class);

  private final boolean[] present;
  private final Backing backing;

  private Rows(int count, Backing backing, boolean all) {
    this.present = new boolean[count];
    this.backing = backing;
    if (all) {
      java.util.Arrays.fill(present, true);
    }
  }

  /** Every one of {@code count} rows is there (the kernel's home table). */
  public static Rows all(int count) {
    return new Rows(count, null, true);
  }

  /** None of {@code count} rows is there until reserved through {@code backing} (a link's table). */
  public static Rows backed(int count, Backing backing) {
    return new Rows(count, backing, false);
  }

  /** Whether row {@code row} is in range and has memory behind it. */
  boolean has(int row) {
    if (row < 0 || row >= present.length) {
      return false;
    }
    return (boolean) PRESENT.getAcquire(present, row) || learn(row);
  }

  /** Whether the creator reserved {@code row} since this side last looked; records it if so. */
  private boolean learn(int row) {
    if (backing == null || !backing.reservedByCreator(row)) {
      return false;
    }
    PRESENT.setRelease(present, row, true);
    return true;
  }

  /**
   * Makes sure row {@code row} has memory behind it, reserving it if this side created the
   * table. Callers hold the kernel's management lock.
   *
   * @throws IllegalStateException if it cannot be reserved, or this side may not reserve it
   */
  void ensure(int row) {
    if (has(row)) {
      return;
    }
    if (backing == null || row < 0 || row >= present.length) {
      throw new IllegalStateException("row " + row + " is outside this table");
    }
    backing.reserve(row);
    PRESENT.setRelease(present, row, true);
  }
}
