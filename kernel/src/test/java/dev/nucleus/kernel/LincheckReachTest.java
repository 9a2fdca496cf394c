package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What Lincheck's model checker can see, checked on two copies of one racy counter (read, then
 * write the value plus one: a lost update under the right interleaving): one in a Java field,
 * one in a {@link MemorySegment} accessed through a VarHandle, the way the kernel keeps its TCBs.
 *
 * <p>Lincheck 3.7 switches threads at field accesses and finds the lost update in the field; it
 * does not switch at segment accesses and never finds it in the segment. So model checking the
 * kernel explores interleavings only at its Java fields (and wherever a spin loop makes Lincheck
 * detect an active lock), never between the loads, stores and CASes of the rendezvous itself:
 * the rendezvous is checked in stress mode, on real threads, instead
 * ({@link RendezvousLinearizabilityTest}, {@link ExactlyOnceLincheckTest}). If a later Lincheck
 * learns segment accesses, the second test here fails: then model-check the rendezvous too.
 */
@Tag("system")
@DisplayName("Lincheck's model checker switches at field accesses, not at memory segment accesses")
public class LincheckReachTest {

  private static ModelCheckingOptions options() {
    return new ModelCheckingOptions().iterations(5).invocationsPerIteration(200).threads(2).actorsPerThread(2)
        .actorsBefore(0).actorsAfter(0).sequentialSpecification(CounterSpec.class);
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  @DisplayName("a lost update in a Java field is found")
  void findsTheRaceInAField() {
    assertThatThrownBy(() -> options().check(FieldCounter.class)).isInstanceOf(LincheckAssertionError.class);
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  @DisplayName("the same lost update in a memory segment is not")
  void missesTheRaceInASegment() {
    assertThatCode(() -> options().check(SegmentCounter.class)).doesNotThrowAnyException();
  }

  /** The racy counter in a field. */
  public static final class FieldCounter {
    private volatile long value;

    /** Adds one: a read, then a write. @return the value before */
    @Operation
    public long increment() {
      final long before = value;
      value = before + 1;
      return before;
    }
  }

  /** The racy counter in a memory segment, accessed as the kernel accesses its TCBs. */
  public static final class SegmentCounter {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private final MemorySegment segment = Arena.ofAuto().allocate(Long.BYTES, Long.BYTES);

    /** Adds one: a read, then a write. @return the value before */
    @Operation
    public long increment() {
      final long before = (long) LONG.getVolatile(segment, 0L);
      LONG.setVolatile(segment, 0L, before + 1);
      return before;
    }
  }

  /** The sequential specification: a counter. */
  public static final class CounterSpec {
    private long value;

    /** @return the value before the increment */
    public long increment() {
      return value++;
    }
  }
}
