package io.restock.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text a person reads in a message (NOTIFIER_MESSAGE_TEMPLATE), with placeholders filled in
 * from the notification. Checked once, at start: a placeholder it does not know, or a brace that
 * opens none, is refused, so a typo never reaches a customer as "{prodcutName}".
 */
public final class MessageTemplate {
  public static final String DEFAULT = "{productName} is back in stock";
  private static final String SETTING = "NOTIFIER_MESSAGE_TEMPLATE";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
  private static final Map<String, Function<Notification, String>> FIELDS = Map.of(
      "productName", Notification::productName,
      "productId", n -> Long.toString(n.productId()),
      "userId", n -> Long.toString(n.userId()),
      "restockRound", n -> Integer.toString(n.restockRound()));

  /** Literal text and placeholders, in order. */
  private final List<Function<Notification, String>> parts;

  private MessageTemplate(List<Function<Notification, String>> parts) {
    this.parts = parts;
  }

  public static MessageTemplate parse(String template) {
    List<Function<Notification, String>> parts = new ArrayList<>();
    Matcher placeholder = PLACEHOLDER.matcher(template);
    int literalStart = 0;
    while (placeholder.find()) {
      parts.add(literal(template.substring(literalStart, placeholder.start())));
      Function<Notification, String> field = FIELDS.get(placeholder.group(1));
      if (field == null) {
        throw new IllegalArgumentException(SETTING + " has an unknown placeholder "
            + placeholder.group() + "; it knows {productName}, {productId}, {userId} and {restockRound}");
      }
      parts.add(field);
      literalStart = placeholder.end();
    }
    parts.add(literal(template.substring(literalStart)));
    return new MessageTemplate(List.copyOf(parts));
  }

  private static Function<Notification, String> literal(String text) {
    if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
      throw new IllegalArgumentException(SETTING + " has a { or } that is not part of a placeholder"
          + " such as {productName}: braces are kept for placeholders");
    }
    return n -> text;
  }

  /**
   * The message for {@code n}. One pass over the template: a product name that itself holds
   * "{userId}" stays as it is.
   */
  public String render(Notification n) {
    StringBuilder message = new StringBuilder();
    for (Function<Notification, String> part : parts) {
      message.append(part.apply(n));
    }
    return message.toString();
  }
}
