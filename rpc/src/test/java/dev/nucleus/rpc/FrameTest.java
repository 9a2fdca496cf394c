package dev.nucleus.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wire format of {@link Frame} (docs/rpc-wire.md), its validation and its growth. */
@Tag("unit")
@Timeout(30)
@DisplayName("Frame")
class FrameTest {

  private final Arena arena = Arena.ofAuto();

  private Frame frame(int bytes) {
    return new Frame(arena.allocate(bytes, 8));
  }

  private static String hex(Frame f) {
    return HexFormat.of().formatHex(f.segment().asSlice(0, f.position()).toArray(ValueLayout.JAVA_BYTE));
  }

  private static Frame over(String hex) {
    final byte[] bytes = HexFormat.of().parseHex(hex);
    return new Frame(MemorySegment.ofArray(bytes)).wrap(bytes.length);
  }

  @Test
  @DisplayName("primitives are little-endian at their natural alignment, padding zeroed")
  void shouldLayOutPrimitives() {
    final Frame f = frame(64);
    f.segment().fill((byte) 0xee);
    f.putByte((byte) 1);
    f.putShort((short) 0x0203);
    f.putInt(0x04050607);
    f.putBoolean(true);
    f.putLong(0x08090a0b0c0d0e0fL);
    f.putChar('A');
    f.putFloat(1.0f);
    f.putDouble(2.0);
    assertThat(hex(f)).isEqualTo(
        "01" + "00" + "0302" + "07060504" + "01" + "00000000000000" + "0f0e0d0c0b0a0908" + "4100" + "0000" + "0000803f"
            + "0000000000000040");
    f.flip();
    assertThat(f.getByte()).isEqualTo((byte) 1);
    assertThat(f.getShort()).isEqualTo((short) 0x0203);
    assertThat(f.getInt()).isEqualTo(0x04050607);
    assertThat(f.getBoolean()).isTrue();
    assertThat(f.getLong()).isEqualTo(0x08090a0b0c0d0e0fL);
    assertThat(f.getChar()).isEqualTo('A');
    assertThat(f.getFloat()).isEqualTo(1.0f);
    assertThat(f.getDouble()).isEqualTo(2.0);
    f.expectEnd();
  }

  @Test
  @DisplayName("a string is its i32 UTF-8 length then its bytes, unaligned; null is length -1")
  void shouldLayOutStrings() {
    final Frame f = frame(64);
    f.putString("h\u00e9");
    f.putString(null);
    f.putString("");
    assertThat(hex(f)).isEqualTo("03000000" + "68c3a9" + "00" + "ffffffff" + "00000000");
    f.flip();
    assertThat(f.getString()).isEqualTo("h\u00e9");
    assertThat(f.getString()).isNull();
    assertThat(f.getString()).isEmpty();
    f.expectEnd();
  }

  @Test
  @DisplayName("bulk values are an i32 length, then the elements from the next 8-aligned offset")
  void shouldLayOutBulkValues() {
    final Frame f = frame(128);
    f.putBytes(new byte[] {1, 2, 3});
    f.putInts(new int[] {-1});
    f.putBytes(null);
    assertThat(hex(f)).isEqualTo("03000000" + "00000000" + "010203" + "00" + "01000000" + "ffffffff" + "ffffffff");
    f.flip();
    assertThat(f.getBytes()).containsExactly(1, 2, 3);
    assertThat(f.getInts()).containsExactly(-1);
    assertThat(f.getBytes()).isNull();
    f.expectEnd();
  }

  @Test
  @DisplayName("presence bytes, counts and enum ordinals")
  void shouldLayOutNullabilityAndCounts() {
    final Frame f = frame(64);
    assertThat(f.putPresence("x")).isTrue();
    assertThat(f.putPresence(null)).isFalse();
    f.putCount(2);
    f.putEnum(RpcException.Phase.RECEIVE);
    f.putEnum(null);
    assertThat(hex(f)).isEqualTo("0100" + "0000" + "02000000" + "01000000" + "ffffffff");
    f.flip();
    assertThat(f.getPresence()).isTrue();
    assertThat(f.getPresence()).isFalse();
    assertThat(f.getCount(1)).isEqualTo(2);
    assertThat(f.getEnum(RpcException.Phase.values())).isEqualTo(RpcException.Phase.RECEIVE);
    assertThat(f.getEnum(RpcException.Phase.values())).isNull();
  }

  @Test
  @DisplayName("every primitive array round-trips")
  void shouldRoundTripPrimitiveArrays() {
    final Frame f = frame(256);
    f.putBooleans(new boolean[] {true, false});
    f.putShorts(new short[] {-2});
    f.putChars(new char[] {'z'});
    f.putLongs(new long[] {Long.MIN_VALUE, 1});
    f.putFloats(new float[] {Float.NaN});
    f.putDoubles(new double[] {-0.0});
    f.flip();
    assertThat(f.getBooleans()).containsExactly(true, false);
    assertThat(f.getShorts()).containsExactly((short) -2);
    assertThat(f.getChars()).containsExactly('z');
    assertThat(f.getLongs()).containsExactly(Long.MIN_VALUE, 1);
    assertThat(f.getFloats()).containsExactly(Float.NaN);
    assertThat(f.getDoubles()).containsExactly(-0.0);
    f.expectEnd();
  }

  @Test
  @DisplayName("a ByteBuffer or MemorySegment is read as a read-only view of the frame, or as a heap copy")
  void shouldReadViewsAndCopies() {
    final Frame f = frame(64);
    f.putByteBuffer(ByteBuffer.wrap(new byte[] {5, 6, 7}).position(1));
    f.putSegment(MemorySegment.ofArray(new byte[] {8}));
    f.flip();
    final ByteBuffer view = f.getByteBufferView();
    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.remaining()).isEqualTo(2);
    assertThat(view.get(0)).isEqualTo((byte) 6);
    final MemorySegment segmentView = f.getSegmentView();
    assertThat(segmentView.isReadOnly()).isTrue();
    assertThat(segmentView.address()).as("a view of the frame, no copy").isEqualTo(f.segment().address() + 16);
    f.flip();
    f.wrap(f.limit());
    final ByteBuffer copy = f.getByteBufferCopy();
    assertThat(copy.isReadOnly()).isFalse();
    assertThat(copy.hasArray()).isTrue();
    assertThat(f.getSegmentCopy().isNative()).isFalse();
  }

  @Test
  @DisplayName("a frame without growth that overflows is a FrameOverflowException, not delivered")
  void shouldOverflowWithoutGrowth() {
    final Frame f = frame(8);
    f.putLong(1);
    assertThatThrownBy(() -> f.putByte((byte) 1)).isInstanceOfSatisfying(FrameOverflowException.class,
        e -> assertThat(e.delivered()).isFalse());
  }

  @Test
  @DisplayName("a frame with growth asks for more, keeps what it wrote and goes on: no size cliff")
  void shouldGrow() {
    final List<Long> asked = new ArrayList<>();
    final Frame f = new Frame(arena.allocate(16, 8), minimum -> {
      asked.add(minimum);
      return arena.allocate(minimum, 8);
    });
    f.putLong(7);
    f.putString("x".repeat(100));
    for (int i = 0; i < 1000; i++) {
      f.putInt(i);
    }
    assertThat(asked).isNotEmpty().hasSizeLessThan(12);
    f.flip();
    assertThat(f.getLong()).isEqualTo(7);
    assertThat(f.getString()).hasSize(100);
    for (int i = 0; i < 1000; i++) {
      assertThat(f.getInt()).isEqualTo(i);
    }
    f.expectEnd();
  }

  @Test
  @DisplayName("a growth that gives too little is a FrameOverflowException")
  void shouldRefuseAGrowthThatGivesTooLittle() {
    final Frame f = new Frame(arena.allocate(8, 8), minimum -> arena.allocate(8, 8));
    assertThatThrownBy(() -> f.putBytes(new byte[100])).isInstanceOf(FrameOverflowException.class)
        .hasMessageContaining("needed");
  }

  @Test
  @DisplayName("reads past the end, bad lengths, counts, flags, ordinals and UTF-8 are MalformedFrameException with the offset")
  void shouldValidateEveryRead() {
    assertThatThrownBy(() -> over("0102").getInt()).isInstanceOfSatisfying(MalformedFrameException.class,
        e -> assertThat(e.offset()).isZero());
    assertThatThrownBy(() -> over("02").getBoolean()).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> over("fe").getPresence()).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> over("feffffff").getString()).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> over("05000000" + "6869").getString()).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> over("ffffff7f").getBytes()).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> over("02000000" + "c328").getString()).isInstanceOfSatisfying(
        MalformedFrameException.class, e -> assertThat(e.offset()).isEqualTo(4));
    assertThatThrownBy(() -> over("05000000" + "00").getCount(1)).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> over("02000000" + "00000000").getCount(4)).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> over("02000000").getEnum(RpcException.Phase.values()))
        .isInstanceOf(MalformedFrameException.class).hasMessageContaining("ordinal 2");
    assertThatThrownBy(() -> over("01000000" + "00000000" + "02").getBooleans())
        .isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> over("01000000" + "0000").getLongs()).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> over("00").expectEnd()).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("left over");
    assertThatThrownBy(() -> new Frame(MemorySegment.ofArray(new byte[4])).wrap(5))
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  @DisplayName("the bulk padding counts: a length that fits only without it is malformed")
  void shouldCheckThePadding() {
    final byte[] bytes = new byte[12];
    MemorySegment.ofArray(bytes).set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, 8);
    assertThatThrownBy(() -> new Frame(MemorySegment.ofArray(bytes)).wrap(12).getBytes())
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  @DisplayName("a failed read leaves the position where it was")
  void shouldNotMoveOnAFailedRead() {
    final Frame f = over("0100");
    assertThatThrownBy(f::getLong).isInstanceOf(MalformedFrameException.class);
    assertThat(f.position()).isZero();
    assertThat(f.getByte()).isEqualTo((byte) 1);
  }

  @Test
  @DisplayName("putCount below -1 is an IllegalArgumentException")
  void shouldRefuseABadCount() {
    assertThatThrownBy(() -> frame(8).putCount(-2)).isInstanceOf(IllegalArgumentException.class);
  }
}
