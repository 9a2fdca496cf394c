package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.Dispatcher;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.MalformedFrameException;
import dev.nucleus.rpc.MethodDescriptor;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.ServerCall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames a hostile peer could write, fed straight to a generated adapter: each gives a correct
 * call or MalformedFrameException, never anything else (no IndexOutOfBoundsException, no huge
 * allocation), and the server goes on serving.
 */
@Tag("unit")
@Timeout(120)
@DisplayName("hostile request frames at a generated adapter")
class HostileFrameTest {

  private static final long SEED = 0x5EED_2026L;
  private static final int RANDOM_FRAMES_PER_METHOD = 2_000;

  private final Dispatcher adapter = AllTypes_Service.INSTANCE.newAdapter(new AllTypesEcho());
  private final Arena arena = Arena.ofAuto();
  private final Frame reply = new Frame(arena.allocate(1 << 16), minimum -> arena.allocate(minimum, 8));

  /** Serves {@code bytes} as the request of {@code method}; returns the outcome, or the exception the adapter threw. */
  private Object serveRaw(MethodDescriptor method, byte[] bytes) {
    final MemorySegment segment = arena.allocate(Math.max(1, bytes.length), 8);
    MemorySegment.copy(bytes, 0, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
    final Frame request = new Frame(segment).wrap(bytes.length);
    final ServerCall call = new ServerCall(request, reply.clear());
    call.begin(method.id(), method.oneway(), Deadlines.NONE, 1, 0, 0);
    try {
      return adapter.dispatch(method.id(), call);
    } catch (MalformedFrameException e) {
      return e;
    }
  }

  /** A valid request for {@code method}, as the proxy would write it. */
  private static byte[] request(Consumer<Frame> writer) {
    final Frame f = new Frame(MemorySegment.ofArray(new byte[1 << 16]));
    writer.accept(f);
    final byte[] out = new byte[(int) f.position()];
    MemorySegment.copy(f.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, out, 0, out.length);
    return out;
  }

  private static byte[] withInt(byte[] bytes, int offset, int value) {
    MemorySegment.ofArray(bytes).set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
        offset, value);
    return bytes;
  }

  @Test
  @DisplayName("random bytes of random lengths, for every method: a call or MalformedFrameException, never anything else")
  void shouldSurviveRandomFrames() {
    final Random random = new Random(SEED);
    for (final MethodDescriptor method : AllTypes_Service.INSTANCE.methods()) {
      for (int i = 0; i < RANDOM_FRAMES_PER_METHOD; i++) {
        final byte[] bytes = new byte[random.nextInt(80)];
        random.nextBytes(bytes);
        if (random.nextInt(4) == 0 && bytes.length >= 4) {
          // Small counts and lengths, so that the frame gets past its first value.
          withInt(bytes, 0, random.nextInt(6) - 1);
        }
        final Object result = serveRaw(method, bytes);
        assertThat(result).as("%s with %d random bytes", method, bytes.length)
            .isInstanceOfAny(Boolean.class, MalformedFrameException.class);
      }
    }
  }

  @Test
  @DisplayName("every truncation of a valid frame is MalformedFrameException")
  void shouldRejectTruncatedFrames() {
    final Shape shape = new Shape("tri", Color.GREEN, new Point(0, 0), List.of(new Point(1, 2)),
        new Point[] {new Point(5, 6)}, new double[] {0.5}, 77L, new byte[] {1, 2});
    final byte[] full = request(f -> {
      f.putPresence(shape);
      f.putString(shape.name());
      f.putEnum(shape.color());
      f.putPresence(shape.origin());
      f.putInt(0);
      f.putInt(0);
      f.putCount(1);
      f.putPresence(shape);
      f.putInt(1);
      f.putInt(2);
      f.putCount(1);
      f.putPresence(shape);
      f.putInt(5);
      f.putInt(6);
      f.putDoubles(shape.weights());
      f.putPresence(shape.tag());
      f.putLong(77);
      f.putBytes(shape.blob());
    });
    assertThat(serveRaw(AllTypes_Service.ECHO_SHAPE, full)).as("the full frame").isEqualTo(true);
    for (int length = 0; length < full.length; length++) {
      assertThat(serveRaw(AllTypes_Service.ECHO_SHAPE, java.util.Arrays.copyOf(full, length)))
          .as("truncated to %d of %d bytes", length, full.length).isInstanceOf(MalformedFrameException.class);
    }
    final byte[] longer = java.util.Arrays.copyOf(full, full.length + 1);
    assertThat(serveRaw(AllTypes_Service.ECHO_SHAPE, longer)).as("a byte left over")
        .isInstanceOfSatisfying(MalformedFrameException.class, e -> assertThat(e.what()).contains("left over"));
  }

  @Test
  @DisplayName("negative and huge lengths and counts are MalformedFrameException, before any allocation")
  void shouldRejectBadLengths() {
    for (final int length : new int[] {-2, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30, 5}) {
      final byte[] frame = withInt(new byte[8], 0, length);
      assertThat(serveRaw(AllTypes_Service.ECHO_BYTES, frame)).as("byte[] length %d", length)
          .isInstanceOf(MalformedFrameException.class);
      assertThat(serveRaw(AllTypes_Service.ECHO_STRING, frame)).as("string length %d", length)
          .isInstanceOf(MalformedFrameException.class);
      assertThat(serveRaw(AllTypes_Service.ECHO_LONGS, frame)).as("long[] count %d", length)
          .isInstanceOf(MalformedFrameException.class);
      assertThat(serveRaw(AllTypes_Service.ECHO_STRING_LIST, frame)).as("list count %d", length)
          .isInstanceOf(MalformedFrameException.class);
      assertThat(serveRaw(AllTypes_Service.ECHO_GRID, frame)).as("array count %d", length)
          .isInstanceOf(MalformedFrameException.class);
    }
  }

  @Test
  @DisplayName("ill-formed UTF-8 is MalformedFrameException naming the offset of the bad byte")
  void shouldRejectBadUtf8() {
    final byte[][] bad = {
        {(byte) 0xc0, (byte) 0x80}, // overlong NUL
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xe4, (byte) 0xb8}, // truncated
        {(byte) 0x80}, // a stray continuation byte
        {(byte) 0xff},
    };
    for (final byte[] utf8 : bad) {
      final byte[] frame = request(f -> {
        f.putInt(utf8.length + 1);
        f.putByte((byte) 'a');
        for (final byte b : utf8) {
          f.putByte(b);
        }
      });
      assertThat(serveRaw(AllTypes_Service.ECHO_STRING, frame))
          .isInstanceOfSatisfying(MalformedFrameException.class, e -> {
            assertThat(e.what()).contains("UTF-8");
            assertThat(e.offset()).isEqualTo(5);
          });
    }
    final byte[] good = "\u00e9".getBytes(StandardCharsets.UTF_8);
    assertThat(serveRaw(AllTypes_Service.ECHO_STRING, request(f -> {
      f.putInt(good.length);
      f.putByte(good[0]);
      f.putByte(good[1]);
    }))).isEqualTo(true);
  }

  @Test
  @DisplayName("an enum ordinal out of range, and a boolean or presence byte other than 0 or 1, are MalformedFrameException")
  void shouldRejectBadOrdinalsAndFlags() {
    for (final int ordinal : new int[] {3, -2, Integer.MAX_VALUE}) {
      assertThat(serveRaw(AllTypes_Service.ECHO_COLOR, withInt(new byte[4], 0, ordinal)))
          .isInstanceOfSatisfying(MalformedFrameException.class, e -> assertThat(e.what()).contains("ordinal"));
    }
    assertThat(serveRaw(AllTypes_Service.ECHO_BOOLEAN, new byte[] {2})).isInstanceOf(MalformedFrameException.class);
    assertThat(serveRaw(AllTypes_Service.ECHO_POINT, new byte[] {7})).isInstanceOf(MalformedFrameException.class);
    assertThat(serveRaw(AllTypes_Service.ECHO_BOXED_INT, new byte[] {(byte) 0x81})).isInstanceOf(MalformedFrameException.class);
  }

  @Test
  @DisplayName("served through ServerCall, a malformed request is the MALFORMED_REQUEST outcome, and the next call is served")
  void shouldGoOnServing() {
    final MemorySegment segment = arena.allocate(64, 8);
    final Frame request = new Frame(segment);
    final ServerCall call = new ServerCall(request, reply.clear());
    request.putInt(-7);
    request.flip();
    call.begin(AllTypes_Service.ECHO_STRING_ID, false, Deadlines.NONE, 1, 0, 0);
    assertThat(call.serve(adapter)).isEqualTo(Outcome.MALFORMED_REQUEST);
    reply.flip();
    assertThat(reply.getString()).contains("negative");
    assertThat(reply.getLong()).isZero();

    request.clear();
    request.putInt(41);
    request.flip();
    call.begin(AllTypes_Service.ECHO_INT_ID, false, Deadlines.NONE, 1, 0, 0);
    assertThat(call.serve(adapter)).isEqualTo(Outcome.OK);
    reply.flip();
    assertThat(reply.getInt()).isEqualTo(41);
    assertThatThrownBy(() -> { throw call.failure(); }).isInstanceOf(NullPointerException.class);
  }
}
