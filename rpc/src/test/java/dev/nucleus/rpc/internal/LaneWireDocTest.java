package dev.nucleus.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.testing.LayoutTable;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/rpc-wire.md, section 10, against {@link CallLaneDescriptor} and {@link RegisterFrames}:
 * the lane's table gives each field at its {@code <FIELD>_OFFSET} constant, as large as its type
 * or its capacity, naturally aligned, and every offset constant has its row; the two lines that
 * carry a call (request and reply) are written by one side each, the server's line and the
 * client's futex word have lines of their own; the numbers the page states are the code's.
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(30)
@DisplayName("call lanes, as rpc-wire.md states them")
class LaneWireDocTest {

  @Test
  @DisplayName("the lane's table: every field at the descriptor's offset, the frames as large as 64 registers carry")
  void shouldDocumentTheLane() throws IOException {
    final List<LayoutTable.Row> rows = WireDocTables.table("CallLaneDescriptor: lane");
    for (LayoutTable.Row row : rows) {
      assertThat(row.offset()).as("%s: rpc-wire.md vs CallLaneDescriptor", row.field())
          .isEqualTo(WireDocTables.constant(CallLaneDescriptor.class, row.field() + "_OFFSET"));
      final long size = Long.parseLong(row.size());
      if (row.field().endsWith("_FRAME")) {
        assertThat(row.offset() + size).as("%s ends where its line's area ends", row.field())
            .isEqualTo(row.field().startsWith("REPLY") ? CallLaneDescriptor.SERVER_LINE : CallLaneDescriptor.REPLY_LINE);
        assertThat(row.offset() % 8).as("%s 8-aligned", row.field()).isZero();
        continue;
      }
      assertThat(size).as("%s: its type's size", row.field()).isEqualTo(WireDocTables.typeSize(row));
      assertThat(row.offset() % size).as("%s naturally aligned", row.field()).isZero();
    }
    assertThat(WireDocTables.documented(rows))
        .containsExactlyInAnyOrderElementsOf(WireDocTables.offsetConstants(CallLaneDescriptor.class));
    assertThat(CallLaneDescriptor.REQUEST_CAPACITY).as("what 64 registers carry of a request")
        .isEqualTo(RegisterFrames.capacity(64, RegisterFrames.CALL_HEADER)).isEqualTo(480);
    assertThat(CallLaneDescriptor.OFFERED_REQUEST_CAPACITY).as("with an offer, as in the registers").isEqualTo(456);
    assertThat(CallLaneDescriptor.REPLY_CAPACITY).as("what 64 registers carry of a reply")
        .isEqualTo(RegisterFrames.capacity(64, RegisterFrames.REPLY_HEADER)).isEqualTo(496);
  }

  @Test
  @DisplayName("each side writes its own lines: request (client), reply (server), the server's line, the client's futex word")
  void shouldKeepTheSidesOnTheirOwnLines() {
    final int line = CallLaneDescriptor.LINE;
    assertThat(CallLaneDescriptor.POSTED_OFFSET / line).as("POSTED and the request fields share the request line")
        .isEqualTo(CallLaneDescriptor.REQUEST_FLAGS_OFFSET / line).isEqualTo(CallLaneDescriptor.RESULT_BYTES_OFFSET / line);
    assertThat(CallLaneDescriptor.REPLIED_OFFSET / line).as("REPLIED and the reply's fields share the reply line")
        .isEqualTo(CallLaneDescriptor.REPLY_LENGTH_OFFSET / line);
    assertThat(CallLaneDescriptor.REPLY_LINE % line).isZero();
    assertThat(CallLaneDescriptor.SERVER_LINE % line).isZero();
    assertThat(CallLaneDescriptor.TAKEN_OFFSET / line).as("TAKEN and ATTENDANT on the server's line")
        .isEqualTo(CallLaneDescriptor.ATTENDANT_OFFSET / line).isEqualTo(CallLaneDescriptor.SERVER_LINE / line);
    assertThat(CallLaneDescriptor.CLIENT_SLEEPING_OFFSET / line).as("the futex word on a line of its own")
        .isNotEqualTo(CallLaneDescriptor.SERVER_LINE / line);
    assertThat(CallLaneDescriptor.SIZE).isEqualTo(CallLaneDescriptor.CLIENT_SLEEPING_OFFSET + line).isEqualTo(1152);
    assertThat(CallLaneDescriptor.VACANT | CallLaneDescriptor.CLOSED | CallLaneDescriptor.SEQUENCE_MASK)
        .as("the sequence number and the two flags fill POSTED").isEqualTo(-1L);
  }

  @Test
  @DisplayName("the numbers the page states are the code's: label 0x4C56 of 2 words, version 1, MR2 bits 48..63, 1152 bytes, 1024 lanes")
  void shouldStateTheCodesNumbers() throws IOException {
    final String doc = Files.readString(WireDocTables.DOC);
    assertThat(doc).contains("| request (label 0x" + Integer.toHexString(RegisterFrames.LANE_OPEN).toUpperCase(Locale.ROOT)
        + ", LANE_OPEN)").contains("label 0x4C56, untyped words = " + RegisterFrames.LANE_OPEN_WORDS)
        .contains("layout version " + RegisterFrames.LANE_VERSION).contains("bits 48..63")
        .contains("`SIZE` = " + CallLaneDescriptor.SIZE).contains("at most " + CallLanes.MAX_LANES + " lanes")
        .contains((CallLanes.DEFAULT_IDLE_NANOS / 1000) + " µs").contains(CallLanes.IDLE_PROPERTY)
        .contains(CallLanes.TENURE_PROPERTY);
    assertThat(RegisterFrames.LANE_SHIFT).isEqualTo(48);
    assertThat(CallLanes.DEFAULT_TENURE_NANOS).isEqualTo(1_000_000);
  }
}
