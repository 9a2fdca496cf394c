package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.rpc.LocalBinding;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The "no size cliff": a 1 GiB argument goes through (system tier: it needs a 4 GiB heap). */
@Tag("system")
@Timeout(300)
@DisplayName("a 1 GiB argument")
class LargeArgumentTest {

  @Test
  @DisplayName("a 1 GiB byte[] round-trips through a LocalBinding with the default stacks")
  void shouldRoundTripOneGibibyte() {
    try (Fixture fixture = new Fixture();
        LocalBinding binding = LocalBinding.create(fixture.space, AllTypes_Service.INSTANCE.newAdapter(new AllTypesEcho()))) {
      final byte[] big = new byte[1 << 30];
      for (int i = 0; i < big.length; i += 4096) {
        big[i] = (byte) (i >>> 12);
      }
      big[big.length - 1] = 42;
      final byte[] back = binding.proxy(AllTypes_Service.INSTANCE).echoBytes(big);
      assertThat(back.length).isEqualTo(big.length);
      assertThat(Arrays.equals(back, big)).isTrue();
    }
  }
}
