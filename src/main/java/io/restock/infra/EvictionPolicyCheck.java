package io.restock.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Looks at start whether Redis may evict keys. Leases, sent logs, cursors, the stock copies and
 * the job stream must stay until the service removes them: with any maxmemory-policy but
 * noeviction, Redis drops some of them under memory pressure, and a round could be sent twice
 * (a lost lease or sent log) or stall until the recovery sweep finds it (a lost job). It warns
 * rather than refuses to start: on a managed Redis the operator may not be able to change the
 * policy at once, and nothing is lost until memory runs short.
 */
public final class EvictionPolicyCheck {
  private static final Logger log = LoggerFactory.getLogger(EvictionPolicyCheck.class);
  private static final String POLICY = "maxmemory-policy";

  private EvictionPolicyCheck() {}

  /** One WARN line if the policy is not noeviction or cannot be read; nothing otherwise. */
  public static void warnUnlessNoEviction(UnifiedJedis redis) {
    String policy;
    try {
      policy = redis.configGet(POLICY).get(POLICY);
    } catch (RuntimeException e) {
      // CONFIG may be disabled or renamed (managed services do that), or Redis not up yet.
      log.warn("Could not read Redis's {} ({}); it must be noeviction, or Redis may drop leases,"
          + " sent logs and jobs under memory pressure", POLICY, e.getMessage());
      return;
    }
    if (!"noeviction".equals(policy)) {
      log.warn("Redis runs with {} {}, not noeviction: under memory pressure it may evict a round's"
          + " lease, sent log or job, so a message could be sent twice or a round stall; set {}"
          + " noeviction", POLICY, policy == null ? "(not reported)" : policy, POLICY);
    }
  }
}
