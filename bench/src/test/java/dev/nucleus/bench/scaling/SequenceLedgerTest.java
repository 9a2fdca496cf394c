package dev.nucleus.bench.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scaling server's ledger: each client's requests exactly once and in order, or the first problem named. */
@Timeout(10)
@DisplayName("Sequence ledger")
class SequenceLedgerTest {

  @Test
  @DisplayName("requests in order from every client are echoed, no problem, and counted as served")
  void shouldEchoAndCountRequestsInOrder() {
    final SequenceLedger ledger = new SequenceLedger(3, -1);

    for (long seq = 0; seq < 5; seq++) {
      for (int k = 0; k < 3; k++) {
        assertThat(ledger.echo(SequenceLedger.value(k, seq))).isEqualTo(SequenceLedger.value(k, seq));
      }
    }

    assertThat(ledger.problem()).isNull();
    assertThat(ledger.served()).isEqualTo(15);
  }

  @Test
  @DisplayName("a request that comes again is named as duplicated")
  void shouldNameADuplicate() {
    final SequenceLedger ledger = new SequenceLedger(2, -1);
    ledger.echo(SequenceLedger.value(1, 0));
    ledger.echo(SequenceLedger.value(1, 1));

    ledger.echo(SequenceLedger.value(1, 1));

    assertThat(ledger.problem()).isEqualTo("client 1's request 1 arrived again after its request 1 (duplicated)");
    assertThat(ledger.served()).as("a duplicate is not served twice").isEqualTo(2);
  }

  @Test
  @DisplayName("a request that skips numbers is named as requests lost")
  void shouldNameALoss() {
    final SequenceLedger ledger = new SequenceLedger(2, -1);
    ledger.echo(SequenceLedger.value(0, 0));

    ledger.echo(SequenceLedger.value(0, 3));

    assertThat(ledger.problem()).isEqualTo("client 0's request 3 arrived when its request 1 was due (requests lost)");
  }

  @Test
  @DisplayName("a request from no client of the session is named as misrouted; only the first problem is kept")
  void shouldNameAStrangerAndKeepTheFirstProblem() {
    final SequenceLedger ledger = new SequenceLedger(2, -1);

    assertThat(ledger.echo(SequenceLedger.value(7, 0))).isEqualTo(SequenceLedger.value(7, 0));
    ledger.echo(SequenceLedger.value(0, 9));

    assertThat(ledger.problem()).isEqualTo("request 0x70000000000 names client 7, not one of the 2 (misrouted or corrupted)");
    assertThat(ledger.served()).isEqualTo(10);
  }

  @Test
  @DisplayName("the test hook answers its one request wrongly, and only that one")
  void shouldCorruptOnlyTheChosenRequest() {
    final SequenceLedger ledger = new SequenceLedger(1, SequenceLedger.value(0, 1));

    assertThat(ledger.echo(SequenceLedger.value(0, 0))).isEqualTo(0);
    assertThat(ledger.echo(SequenceLedger.value(0, 1))).isEqualTo(2);
    assertThat(ledger.echo(SequenceLedger.value(0, 2))).isEqualTo(2);
    assertThat(ledger.problem()).as("the server saw its requests in order").isNull();
  }

  @Test
  @DisplayName("the methods the clients never call are named as problems")
  void shouldNameCallsOfOtherMethods() {
    final SequenceLedger ledger = new SequenceLedger(1, -1);

    ledger.nothing();

    assertThat(ledger.problem()).startsWith("nothing() was called");
  }
}
