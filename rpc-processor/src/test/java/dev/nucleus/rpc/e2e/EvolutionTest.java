package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.rpc.LocalBinding;
import dev.nucleus.rpc.UnknownMethodException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two versions of service "Store": a method added on one side only. */
@Tag("unit")
@Timeout(60)
@DisplayName("interface evolution")
class EvolutionTest {

  private final Fixture fixture = new Fixture();

  private static final class V1 implements StoreV1 {
    @Override
    public long get(long key) {
      return key * 10;
    }
  }

  private static final class V2 implements StoreV2 {
    @Override
    public long get(long key) {
      return key * 20;
    }

    @Override
    public String describe() {
      return "store v2";
    }
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  @DisplayName("adding a method keeps the ids of the others")
  void shouldKeepIds() {
    assertThat(StoreV2_Service.GET_ID).isEqualTo(StoreV1_Service.GET_ID);
    assertThat(StoreV2_Service.ID).isEqualTo(StoreV1_Service.ID);
    assertThat(StoreV2_Service.NAME).isEqualTo("Store");
  }

  @Test
  @DisplayName("an old client calls a new server")
  void shouldServeOldClients() {
    try (LocalBinding binding = LocalBinding.create(fixture.space, StoreV2_Service.INSTANCE.newAdapter(new V2()))) {
      final StoreV1 old = binding.proxy(StoreV1_Service.INSTANCE);
      assertThat(old.get(2)).isEqualTo(40);
    }
  }

  @Test
  @DisplayName("a new client calling a method an old server lacks gets UnknownMethodException; its other methods work")
  void shouldReportUnknownMethods() {
    try (LocalBinding binding = LocalBinding.create(fixture.space, StoreV1_Service.INSTANCE.newAdapter(new V1()))) {
      final StoreV2 client = binding.proxy(StoreV2_Service.INSTANCE);
      assertThatThrownBy(client::describe)
          .isInstanceOfSatisfying(UnknownMethodException.class, e -> {
            assertThat(e.service()).isEqualTo("Store");
            assertThat(e.methodId()).isEqualTo(StoreV2_Service.DESCRIBE_ID);
            assertThat(e.delivered()).isTrue();
            assertThat(e.getMessage()).contains("describe()Ljava/lang/String;").contains("nothing ran");
          });
      assertThat(client.get(2)).isEqualTo(20);
    }
  }

  @Test
  @DisplayName("a proxy of another service cannot be bound")
  void shouldRefuseAnotherService() {
    try (LocalBinding binding = LocalBinding.create(fixture.space, StoreV1_Service.INSTANCE.newAdapter(new V1()))) {
      assertThatThrownBy(() -> binding.proxy(KeyValue_Service.INSTANCE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Store");
    }
  }
}
