package io.restock.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** NOTIFIER_MESSAGE_TEMPLATE: filled in from the notification, checked when it is read. */
class MessageTemplateTest {
  static final Notification BOOT = new Notification(12, "Trail shoe", 345, 6, 0, "run");

  @Test
  void the_default_names_the_product() {
    assertEquals("Trail shoe is back in stock", MessageTemplate.parse(MessageTemplate.DEFAULT).render(BOOT));
  }

  @Test
  void every_placeholder_is_filled_in_as_often_as_it_appears() {
    MessageTemplate template = MessageTemplate.parse(
        "{productName}! User {userId}: product {productId}, round {restockRound}. {productName}!");
    assertEquals("Trail shoe! User 345: product 12, round 6. Trail shoe!", template.render(BOOT));
    assertEquals("no placeholder at all", MessageTemplate.parse("no placeholder at all").render(BOOT));
  }

  @Test
  void a_product_name_that_looks_like_a_placeholder_is_shown_as_it_is() {
    Notification odd = new Notification(1, "{userId} {restockRound}", 2, 3, 0, "run");
    assertEquals("{userId} {restockRound} is back in stock",
        MessageTemplate.parse(MessageTemplate.DEFAULT).render(odd));
  }

  @Test
  void an_unknown_placeholder_is_refused_and_named() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> MessageTemplate.parse("{prodcutName} is back"));
    assertTrue(refused.getMessage().startsWith("NOTIFIER_MESSAGE_TEMPLATE")
        && refused.getMessage().contains("{prodcutName}"), refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MessageTemplate.parse("{} is back"));
  }

  @Test
  void a_brace_that_opens_or_closes_no_placeholder_is_refused() {
    for (String template : new String[] {"{productName is back", "back}", "{{productName}}", "{"}) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> MessageTemplate.parse(template), template);
      assertTrue(refused.getMessage().contains("not part of a placeholder"), refused.getMessage());
    }
  }
}
