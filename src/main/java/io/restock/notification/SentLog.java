package io.restock.notification;

import io.restock.infra.SendAheadConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.Pool;

/**
 * Messages of a round that MySQL may not have recorded yet: a Redis hash per round, user id to
 * {@code left} (sent by the sending thread right before the request's last byte) or
 * {@code answered} (written within a fraction of a millisecond of the provider's 2xx), each entry
 * dropped once MySQL has the user's history row. A run that takes over a round after a crash
 * reads it first: a message that left is never sent again, whether or not its answer was seen.
 */
public final class SentLog {
  private static final Logger log = LoggerFactory.getLogger(SentLog.class);
  static final String LEFT = "left";
  static final String ANSWERED = "answered";

  /** What a run that died had sent and MySQL had not recorded. */
  record Unrecorded(List<Long> answered, List<Long> unanswered) {
    boolean isEmpty() {
      return answered.isEmpty() && unanswered.isEmpty();
    }

    List<Long> users() {
      return Stream.concat(answered.stream(), unanswered.stream()).toList();
    }

    Unrecorded without(Set<Long> users) {
      return new Unrecorded(answered.stream().filter(u -> !users.contains(u)).toList(),
          unanswered.stream().filter(u -> !users.contains(u)).toList());
    }
  }

  private final UnifiedJedis redis;
  private final Pool<SendAheadConnection> sendAhead;
  /**
   * Entries Redis failed to confirm, and how many of those a later confirmed entry got over:
   * while they differ, entries are confirmed before their messages leave.
   */
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong failuresGotOver = new AtomicLong();

  public SentLog(UnifiedJedis redis, Pool<SendAheadConnection> sendAhead) {
    this.redis = redis;
    this.sendAhead = sendAhead;
  }

  static String key(long productId, int round) {
    return "restock:sent-log:" + productId + ":" + round;
  }

  /**
   * Logs the message as left and lets it go: the log entry goes on the wire first, then
   * {@code release} writes the request's last byte, then Redis's reply is read. Killed at any
   * point, this process leaves the message logged or undelivered, never delivered and unlogged;
   * both (logged, undelivered) only if killed between two writes microseconds apart (longer if
   * the thread is descheduled between them). After Redis failed to confirm an entry, each message
   * waits for its entry's reply before it leaves, until one is confirmed.
   *
   * @throws NotSent when the entry could not be logged; {@code release} has not run
   */
  void leaving(Notification n, Runnable release) {
    long failuresSeen = failures.get();
    boolean replyFirst = failuresSeen != failuresGotOver.get();
    SendAheadConnection connection;
    try {
      connection = sendAhead.getResource();
    } catch (RuntimeException e) {
      throw notSent(e);
    }
    if (!n.leaseHeld().getAsBoolean()) {
      // Checked as late as it can be: its run has not renewed the lease for a while (a long
      // pause), and another instance may be sending the round from a log that will not see this.
      sendAhead.returnResource(connection);
      throw new NotSent("the round's lease may have passed to another instance", null);
    }
    boolean givenBack = false;
    try {
      try {
        connection.send(new CommandArguments(Protocol.Command.HSET)
            .key(key(n.productId(), n.restockRound())).add(Long.toString(n.userId())).add(LEFT));
        if (replyFirst) {
          connection.reply();
        }
      } catch (RuntimeException e) {
        givenBack = true;
        giveBack(connection, e);
        if (replyFirst) {
          withdraw(n); // the entry may be in, and the message is not leaving now
        }
        throw notSent(e);
      }
      if (replyFirst) {
        failuresGotOver.accumulateAndGet(failuresSeen, Math::max);
        givenBack = true;
        sendAhead.returnResource(connection);
        release.run();
        return;
      }
      try {
        release.run();
      } catch (RuntimeException e) {
        givenBack = true;
        settleReply(connection, n);
        throw e;
      }
      // The message is out: from here on nothing may throw, or it would be retried.
      givenBack = true;
      settleReply(connection, n);
    } finally {
      if (!givenBack) {
        // Only an Error gets here: the connection's state is unknown, so it is dropped.
        giveBack(connection, new IllegalStateException("interrupted by an error"));
      }
    }
  }

  private void settleReply(SendAheadConnection connection, Notification n) {
    try {
      connection.reply();
      sendAhead.returnResource(connection);
    } catch (RuntimeException e) {
      // Its answer is still logged when it comes; only a crash before that would send it again.
      failures.incrementAndGet();
      log.warn("Round {}/{}: user {} left without a log entry: {}", n.productId(),
          n.restockRound(), n.userId(), e.getMessage());
      giveBack(connection, e);
    }
  }

  /** Returns a connection whose command failed: kept if Redis answered, else dropped. */
  private void giveBack(SendAheadConnection connection, RuntimeException failure) {
    try {
      if (failure instanceof JedisDataException) {
        sendAhead.returnResource(connection);
        return;
      }
      sendAhead.returnBrokenResource(connection);
      // Redis went away: the idle connections are dead too, and a write to a dead socket
      // "succeeds", so drop them before they let another message out unlogged.
      sendAhead.clear();
    } catch (RuntimeException closing) {
      log.debug("Could not close a broken Redis connection: {}", closing.getMessage());
    }
  }

  private static NotSent notSent(RuntimeException e) {
    return new NotSent("Redis did not take the message's log entry: " + e.getMessage(), e);
  }

  /**
   * The message did not leave, or the provider did not take it: its entry goes, so a retry or a
   * later resend is not mistaken for a message already sent. If Redis misses this, the run clears
   * its whole log when it ends; until then a crash would count the message as sent.
   */
  void withdraw(Notification n) {
    try {
      redis.hdel(key(n.productId(), n.restockRound()), Long.toString(n.userId()));
    } catch (RuntimeException e) {
      log.warn("Could not withdraw user {} from the sent log: {}", n.userId(), e.getMessage());
    }
  }

  void answered(AbstractPipeline pipeline, long productId, int round, Collection<Long> userIds) {
    Map<String, String> fields = new HashMap<>();
    userIds.forEach(id -> fields.put(Long.toString(id), ANSWERED));
    pipeline.hset(key(productId, round), fields);
  }

  void recorded(AbstractPipeline pipeline, long productId, int round, Collection<Long> userIds) {
    pipeline.hdel(key(productId, round), userIds.stream().map(String::valueOf).toArray(String[]::new));
  }

  void forget(long productId, int round) {
    redis.del(key(productId, round));
  }

  Unrecorded unrecorded(long productId, int round) {
    List<Long> answered = new ArrayList<>();
    List<Long> unanswered = new ArrayList<>();
    redis.hgetAll(key(productId, round)).forEach((user, state) ->
        (ANSWERED.equals(state) ? answered : unanswered).add(Long.valueOf(user)));
    return new Unrecorded(answered, unanswered);
  }
}
