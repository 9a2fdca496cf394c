package dev.nucleus.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Method and service ids: 32-bit FNV-1a, so a C peer can compute them. */
@Tag("unit")
@Timeout(10)
@DisplayName("MethodIds")
class MethodIdsTest {

  @Test
  @DisplayName("FNV-1a matches its published test vectors")
  void shouldMatchFnvTestVectors() {
    assertThat(MethodIds.fnv1a("")).isEqualTo(0x811c9dc5);
    assertThat(MethodIds.fnv1a("a")).isEqualTo(0xe40c292c);
    assertThat(MethodIds.fnv1a("foobar")).isEqualTo(0xbf9cf968);
  }

  @Test
  @DisplayName("a method id hashes the name and the signature; a service id the name")
  void shouldHashNameAndSignature() {
    assertThat(MethodIds.methodId("get", "(J)J")).isEqualTo(MethodIds.fnv1a("get(J)J")).isEqualTo(0x8c90da2a);
    assertThat(MethodIds.methodId("get", "(I)I")).isNotEqualTo(MethodIds.methodId("get", "(J)J"));
    assertThat(MethodIds.serviceId("KeyValue")).isEqualTo(MethodIds.fnv1a("KeyValue"));
    assertThat(MethodIds.toString(0x0a)).isEqualTo("0x0000000a");
  }

  @Test
  @DisplayName("hashes UTF-8 bytes, not UTF-16 units")
  void shouldHashUtf8() {
    assertThat(MethodIds.fnv1a("\u00e9")).isEqualTo(((0x811c9dc5 ^ 0xc3) * 0x01000193 ^ 0xa9) * 0x01000193);
  }
}
