package dev.nucleus.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.async.QueueMemory;
import dev.nucleus.testing.LayoutTable;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/rpc-wire.md, section 9, against {@link OnewayMessageDescriptor}, {@link OnewayRegionDescriptor}
 * and {@link RegisterFrames}: the two layout tables ({@code | offset | size | field | meaning |},
 * the meaning starting with the type) give each field at its {@code <FIELD>_OFFSET} constant, as
 * large as its type, naturally aligned, without overlaps, and every offset constant has its row;
 * the numbers the page states (the QUEUE_OPEN label and words, the largest frame) are the code's.
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(30)
@DisplayName("one-way requests over a queue, as rpc-wire.md states them")
class OnewayWireDocTest {

  @Test
  @DisplayName("the message's table: the header's fields at the descriptor's offsets, then the frame at HEADER_LENGTH")
  void shouldDocumentTheMessage() throws IOException {
    final List<LayoutTable.Row> rows = WireDocTables.table("OnewayMessageDescriptor: message");
    long end = 0;
    for (LayoutTable.Row row : rows) {
      assertThat(row.offset()).as("%s: rpc-wire.md vs OnewayMessageDescriptor", row.field())
          .isEqualTo(WireDocTables.constant(OnewayMessageDescriptor.class, row.field() + "_OFFSET"));
      assertThat(row.offset()).as("%s after the field before it", row.field()).isEqualTo(end);
      if (row.field().equals("FRAME")) {
        assertThat(row.offset()).isEqualTo(OnewayMessageDescriptor.HEADER_LENGTH).isEqualTo(24);
        assertThat(row.offset() % 8).as("the frame 8-aligned").isZero();
        continue;
      }
      final long size = Long.parseLong(row.size());
      assertThat(size).as("%s: its type's size", row.field()).isEqualTo(WireDocTables.typeSize(row));
      assertThat(row.offset() % size).as("%s naturally aligned: never across two slots", row.field()).isZero();
      end = row.offset() + size;
    }
    assertThat(rows).extracting(LayoutTable.Row::field).last().isEqualTo("FRAME");
    assertThat(WireDocTables.documented(rows)).containsExactlyInAnyOrderElementsOf(WireDocTables.offsetConstants(OnewayMessageDescriptor.class));
  }

  @Test
  @DisplayName("the lane lines' table: HANDLED and CLIENT_SLEEPING at the descriptor's offsets, each on a line of its own, after the queue")
  void shouldDocumentTheLaneLines() throws IOException {
    final List<LayoutTable.Row> rows = WireDocTables.table("OnewayRegionDescriptor: lane lines");
    for (LayoutTable.Row row : rows) {
      final long size = Long.parseLong(row.size());
      assertThat(row.offset()).as("%s: rpc-wire.md vs OnewayRegionDescriptor", row.field())
          .isEqualTo(WireDocTables.constant(OnewayRegionDescriptor.class, row.field() + "_OFFSET"));
      assertThat(size).as("%s: its type's size", row.field()).isEqualTo(WireDocTables.typeSize(row));
      assertThat(row.offset() % size).isZero();
    }
    assertThat(rows).extracting(LayoutTable.Row::field).containsExactly("HANDLED", "CLIENT_SLEEPING");
    assertThat(rows.get(0).offset() / 64).as("the two sides write different lines").isNotEqualTo(rows.get(1).offset() / 64);
    assertThat(WireDocTables.documented(rows)).containsExactlyInAnyOrderElementsOf(WireDocTables.offsetConstants(OnewayRegionDescriptor.class));
    for (int slots = QueueMemory.MIN_SLOTS; slots <= OnewayServer.MAX_SLOTS; slots *= 2) {
      assertThat(OnewayRegionDescriptor.laneOffset(slots)).as("LANE = 256 + 64 x SLOT_COUNT").isEqualTo(256 + 64L * slots);
      assertThat(OnewayRegionDescriptor.size(slots)).as("TOTAL_SIZE + 128").isEqualTo(256 + 64L * slots + 128);
    }
  }

  @Test
  @DisplayName("the numbers the page states are the code's: label 0x4C54 of 2 words, frames of 28,648 bytes at 1024 slots, ENDED all ones")
  void shouldStateTheCodesNumbers() throws IOException {
    final String doc = Files.readString(WireDocTables.DOC);
    assertThat(doc).contains("label 0x" + Integer.toHexString(RegisterFrames.QUEUE_OPEN).toUpperCase(java.util.Locale.ROOT)
        + ", untyped words = " + RegisterFrames.QUEUE_OPEN_WORDS);
    assertThat(OnewayMessageDescriptor.maxFrame(QueueMemory.maxPayload(1024))).isEqualTo(28_648);
    assertThat(doc).contains("28,648 at 1024 slots").contains("[2, " + OnewayServer.MAX_SLOTS + "]")
        .contains("fewer than " + OnewayServer.MAX_QUEUES + " queues");
    assertThat(OnewayRegionDescriptor.ENDED).isEqualTo(-1L);
  }

}
