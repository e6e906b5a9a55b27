package io.restock.infra;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * One Redis write made only while a guard key still holds an expected value, checked and written
 * in one script so that nothing comes between the two: the fence of a round's owner (its lease
 * must still hold its token) and a compare-and-delete.
 */
public final class GuardedWrite {
  /** KEYS: guard, target. ARGV: expected value, TTL in ms for the target (0: none), command, args. */
  private static final String SCRIPT = """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
      redis.call(ARGV[3], KEYS[2], unpack(ARGV, 4))
      if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
      return 1
      """;

  /** The key that must hold {@code value} for the write to be made. */
  public record Guard(String key, String value) {}

  private GuardedWrite() {}

  /** True when the guard held and the write was made. */
  public static boolean run(UnifiedJedis redis, Guard guard, Write write) {
    return Long.valueOf(1).equals(redis.eval(SCRIPT, keys(guard, write), args(guard, write)));
  }

  /** Queues the write on a pipeline; its answer is not read. */
  public static void queue(AbstractPipeline pipeline, Guard guard, Write write) {
    pipeline.eval(SCRIPT, keys(guard, write), args(guard, write));
  }

  /** A command on one key, with the TTL the key gets after it (0 for none). */
  public record Write(String command, String key, long ttlMillis, List<String> args) {
    public static Write of(String command, String key, String... args) {
      return new Write(command, key, 0, List.of(args));
    }

    public Write expiringAfter(long millis) {
      return new Write(command, key, millis, args);
    }
  }

  private static List<String> keys(Guard guard, Write write) {
    return List.of(guard.key(), write.key());
  }

  private static List<String> args(Guard guard, Write write) {
    List<String> args = new ArrayList<>();
    args.add(guard.value());
    args.add(Long.toString(write.ttlMillis()));
    args.add(write.command());
    args.addAll(write.args());
    return args;
  }
}
