package io.restock.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What each provider status means for a round (SPEC rule 11). */
class ProviderRefusalTest {
  @Test
  void each_provider_status_means_what_rule_11_says() {
    for (int status : new int[] {400, 404, 410, 422}) {
      assertEquals(ProviderRefusal.Meaning.RECIPIENT_REJECTED, ProviderRefusal.meaningOf(status));
    }
    for (int status : new int[] {401, 403}) {
      assertEquals(ProviderRefusal.Meaning.WE_ARE_REFUSED, ProviderRefusal.meaningOf(status));
    }
    for (int status : new int[] {408, 429, 500, 502, 503, 504, 302, 409}) {
      assertEquals(ProviderRefusal.Meaning.TRY_AGAIN, ProviderRefusal.meaningOf(status));
    }
  }
}
