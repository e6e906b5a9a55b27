package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.round.SendPosition;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The walk over subscription order, with an in-memory list standing in for the index. */
class SendOrderTest {
  private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 1, 0, 0);
  // Users 1..10; users 4 and 5 share a timestamp, so the subscription id breaks the tie.
  private final List<Subscriber> subscribers = LongStream.rangeClosed(1, 10)
      .mapToObj(i -> new Subscriber(i, i, T0.plusNanos(1_000 * (i == 5 ? 4 : i))))
      .toList();

  private final SendOrder.Pages pages = (after, until, limit) -> subscribers.stream()
      .filter(s -> after == null || s.position().compareTo(after) > 0)
      .filter(s -> until == null || s.position().compareTo(until) <= 0)
      .limit(limit)
      .toList();

  @Test
  void a_first_round_goes_from_the_first_subscriber_to_the_last() {
    assertEquals(users(1, 10), walk(new SendOrder(null, null)));
  }

  @Test
  void a_round_after_a_cut_off_one_starts_after_the_last_user_reached_and_wraps_around() {
    SendPosition reached = subscribers.get(5).position(); // user 6
    List<Long> expected = new ArrayList<>(users(7, 10));
    expected.addAll(users(1, 6));
    assertEquals(expected, walk(new SendOrder(reached, null)));
  }

  @Test
  void resuming_in_the_first_half_finishes_it_then_wraps() {
    SendPosition startAfter = subscribers.get(5).position(); // round began at user 7
    SendPosition cursor = subscribers.get(7).position(); // got to user 8
    List<Long> expected = new ArrayList<>(users(9, 10));
    expected.addAll(users(1, 6));
    assertEquals(expected, walk(new SendOrder(startAfter, cursor)));
  }

  @Test
  void resuming_after_the_wrap_goes_on_only_to_where_the_round_began() {
    SendPosition startAfter = subscribers.get(5).position();
    SendPosition cursor = subscribers.get(1).position(); // wrapped, got to user 2
    assertEquals(users(3, 6), walk(new SendOrder(startAfter, cursor)));
  }

  @Test
  void a_round_resumed_at_its_last_user_has_nothing_left() {
    SendPosition startAfter = subscribers.get(5).position();
    assertEquals(List.of(), walk(new SendOrder(startAfter, startAfter)));
  }

  private List<Long> walk(SendOrder order) {
    List<Long> seen = new ArrayList<>();
    for (List<Subscriber> page = order.next(pages, 3); !page.isEmpty(); page = order.next(pages, 3)) {
      page.forEach(s -> seen.add(s.userId()));
    }
    return seen;
  }

  private static List<Long> users(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
