package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.rpc.LocalBinding;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every supported type goes to the server and comes back equal, through generated code. */
@Tag("unit")
@Timeout(60)
@DisplayName("every supported type through a LocalBinding")
class AllTypesTest {

  private final Fixture fixture = new Fixture();
  private final AllTypesEcho echo = new AllTypesEcho();
  private final LocalBinding binding = LocalBinding.create(fixture.space, AllTypes_Service.INSTANCE.newAdapter(echo),
      LocalBinding.DEFAULT_TIMEOUT, 64);
  private final AllTypes all = binding.proxy(AllTypes_Service.INSTANCE);

  @AfterEach
  void close() {
    binding.close();
    fixture.close();
  }

  @Test
  @DisplayName("primitives, their extremes included, round-trip bit for bit")
  void shouldRoundTripPrimitives() {
    assertThat(all.echoBoolean(true)).isTrue();
    assertThat(all.echoBoolean(false)).isFalse();
    assertThat(all.echoByte(Byte.MIN_VALUE)).isEqualTo(Byte.MIN_VALUE);
    assertThat(all.echoShort(Short.MIN_VALUE)).isEqualTo(Short.MIN_VALUE);
    assertThat(all.echoChar('\uffff')).isEqualTo('\uffff');
    assertThat(all.echoInt(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
    assertThat(all.echoLong(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(Float.floatToRawIntBits(all.echoFloat(Float.intBitsToFloat(0x7fc00001))))
        .as("a NaN payload").isEqualTo(0x7fc00001);
    assertThat(all.echoDouble(-0.0)).isEqualTo(-0.0);
    assertThat(all.echoDouble(Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
    assertThat(all.mixed((byte) 1, 2L, (short) 3, "four", 5, 6.5, true, 'h', 9.5f))
        .as("values of every alignment in one frame").isEqualTo("1,2,3,four,5,6.5,true,h,9.5");
    all.nothing();
  }

  @Test
  @DisplayName("boxes round-trip, null included")
  void shouldRoundTripBoxes() {
    assertThat(all.echoBoxedBoolean(Boolean.TRUE)).isTrue();
    assertThat(all.echoBoxedChar('x')).isEqualTo('x');
    assertThat(all.echoBoxedInt(-7)).isEqualTo(-7);
    assertThat(all.echoBoxedLong(null)).isNull();
    assertThat(all.echoBoxedDouble(Math.PI)).isEqualTo(Math.PI);
    assertThat(all.echoBoxedInt(null)).isNull();
  }

  @Test
  @DisplayName("strings round-trip: empty, null, non-ASCII and supplementary characters, and larger than the stack")
  void shouldRoundTripStrings() {
    assertThat(all.echoString("")).isEmpty();
    assertThat(all.echoString(null)).isNull();
    assertThat(all.echoString("h\u00e9llo \u4e16\u754c \ud83d\ude00")).isEqualTo("h\u00e9llo \u4e16\u754c \ud83d\ude00");
    final String big = "x".repeat(100_000);
    assertThat(all.echoString(big)).isEqualTo(big);
  }

  @Test
  @DisplayName("byte[], ByteBuffer and MemorySegment round-trip as copies, null included")
  void shouldRoundTripBulkValues() {
    assertThat(all.echoBytes(new byte[] {1, -2, 3})).containsExactly(1, -2, 3);
    assertThat(all.echoBytes(new byte[0])).isEmpty();
    assertThat(all.echoBytes(null)).isNull();

    final ByteBuffer in = ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5}).position(1).limit(4);
    final ByteBuffer out = all.echoBuffer(in);
    assertThat(out).isEqualTo(ByteBuffer.wrap(new byte[] {8, 7, 6}));
    assertThat(out.isReadOnly()).as("the client's copy is its own").isFalse();
    assertThat(in.position()).as("the argument's position is left alone").isEqualTo(1);
    assertThat(all.echoBuffer(null)).isNull();

    final MemorySegment segment = MemorySegment.ofArray(new byte[] {4, 5, 6, 7});
    assertThat(all.echoSegment(segment).toArray(ValueLayout.JAVA_BYTE)).containsExactly(4, 5, 6, 7);
    assertThat(all.echoSegment(null)).isNull();
  }

  @Test
  @DisplayName("the server gets a ByteBuffer argument as a read-only view")
  void shouldGiveTheServerAView() {
    assertThat(all.inspect(ByteBuffer.allocate(10))).isEqualTo("read-only 10");
    assertThat(all.inspect(null)).isEqualTo("null");
  }

  @Test
  @DisplayName("a view kept past its call fails once the call's grown frame is released")
  void shouldInvalidateViewsAfterTheCall() {
    final AtomicReference<ByteBuffer> kept = new AtomicReference<>();
    try (LocalBinding keeping = LocalBinding.create(fixture.space, AllTypes_Service.INSTANCE.newAdapter(
        new AllTypesEcho() {
          @Override
          public String inspect(ByteBuffer v) {
            kept.set(v);
            return "kept";
          }
        }), LocalBinding.DEFAULT_TIMEOUT, 64)) {
      keeping.proxy(AllTypes_Service.INSTANCE).inspect(ByteBuffer.allocate(4096));
      assertThatThrownBy(() -> kept.get().get(0)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  @DisplayName("enums and records round-trip, null included")
  void shouldRoundTripEnumsAndRecords() {
    assertThat(all.echoColor(Color.BLUE)).isEqualTo(Color.BLUE);
    assertThat(all.echoColor(null)).isNull();
    assertThat(all.echoPoint(new Point(-1, 2))).isEqualTo(new Point(-1, 2));
    assertThat(all.echoPoint(null)).isNull();
    final Shape shape = new Shape("tri", Color.GREEN, new Point(0, 0), List.of(new Point(1, 2), new Point(3, 4)),
        new Point[] {new Point(5, 6), null}, new double[] {0.5, -1}, 77L, new byte[] {1, 2});
    assertThat(all.echoShape(shape)).usingRecursiveComparison().isEqualTo(shape);
    final Shape empty = new Shape(null, null, null, null, null, null, null, null);
    assertThat(all.echoShape(empty)).usingRecursiveComparison().isEqualTo(empty);
    assertThat(all.echoShapes(Arrays.asList(shape, null, empty))).usingRecursiveComparison()
        .isEqualTo(Arrays.asList(shape, null, empty));
  }

  @Test
  @DisplayName("primitive arrays round-trip, empty and null included")
  void shouldRoundTripPrimitiveArrays() {
    assertThat(all.echoBooleans(new boolean[] {true, false, true})).containsExactly(true, false, true);
    assertThat(all.echoShorts(new short[] {1, -1})).containsExactly((short) 1, (short) -1);
    assertThat(all.echoChars("abc".toCharArray())).containsExactly('a', 'b', 'c');
    assertThat(all.echoInts(new int[] {Integer.MAX_VALUE, 0})).containsExactly(Integer.MAX_VALUE, 0);
    assertThat(all.echoLongs(new long[] {Long.MIN_VALUE})).containsExactly(Long.MIN_VALUE);
    assertThat(all.echoFloats(new float[] {1.5f})).containsExactly(1.5f);
    assertThat(all.echoDoubles(new double[0])).isEmpty();
    assertThat(all.echoInts(null)).isNull();
  }

  @Test
  @DisplayName("arrays and lists of references round-trip, nested, with null elements")
  void shouldRoundTripArraysAndLists() {
    assertThat(all.echoStrings(new String[] {"a", null, ""})).containsExactly("a", null, "");
    assertThat(all.echoColors(new Color[] {Color.RED, null})).containsExactly(Color.RED, null);
    assertThat(all.echoMatrix(new int[][] {{1, 2}, null, {}})).isDeepEqualTo(new int[][] {{1, 2}, null, {}});
    assertThat(all.echoGrid(new Point[][] {{new Point(1, 1)}, {}})).isDeepEqualTo(new Point[][] {{new Point(1, 1)}, {}});
    assertThat(all.echoStringList(List.of("x", "y"))).containsExactly("x", "y");
    assertThat(all.echoStringList(null)).isNull();
    assertThat(all.echoNested(Arrays.asList(List.of(1, 2), null, Arrays.asList(3, null))))
        .isEqualTo(Arrays.asList(List.of(1, 2), null, Arrays.asList(3, null)));
    assertThat(all.echoChunks(List.of(new byte[] {1}, new byte[0]))).satisfiesExactly(
        a -> assertThat(a).containsExactly(1), b -> assertThat(b).isEmpty());
  }

  @Test
  @DisplayName("overloads are different methods with different ids")
  void shouldTellOverloadsApart() {
    assertThat(all.plus(1)).isEqualTo(2);
    assertThat(all.plus(1L)).isEqualTo(2L);
    assertThat(AllTypes_Service.PLUS_1_ID).isNotEqualTo(AllTypes_Service.PLUS_2_ID);
  }

  @Test
  @DisplayName("a oneway call with arguments reaches the implementation")
  void shouldDeliverOnewayArguments() {
    all.record("click", new Point(3, 4));
    assertThat(echo.events).containsExactly("click@Point[x=3, y=4]");
  }

  @Test
  @DisplayName("a 256 MiB byte[] round-trips through a 64-byte stack: the frame grows, there is no size cliff")
  void shouldRoundTripALargeArray() {
    final byte[] big = new byte[256 << 20];
    big[0] = 1;
    big[big.length / 2] = 2;
    big[big.length - 1] = 3;
    final byte[] back = all.echoBytes(big);
    assertThat(back).hasSameSizeAs(big);
    assertThat(Arrays.equals(back, big)).isTrue();
  }
}
