package dev.pew.intake.share;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the share group before any consumer joins: a new group must start at the earliest
 * offset and read committed records only (the group's {@code share.auto.offset.reset} and {@code
 * share.isolation.level}, set when not set for the group: what {@code auto.offset.reset=earliest}
 * and {@code read_committed} are in group mode), and the intake needs the group's lock duration,
 * delivery limit and whether renewals are on. Every admin answer is awaited for at most 10 s and
 * given up on when the intake stops. Runs on the intake's main thread, which it blocks.
 */
final class GroupSetup {

  private static final Logger LOG = LoggerFactory.getLogger(GroupSetup.class);
  private static final long ADMIN_WAIT_MS = 10_000;

  private final ShareGroupAdmin admin;
  private final String group;
  private final BooleanSupplier stopping;

  GroupSetup(ShareGroupAdmin admin, String group, BooleanSupplier stopping) {
    this.admin = admin;
    this.group = group;
    this.stopping = stopping;
  }

  /** Sets the group's missing configs and returns its settings; {@code settings} when they cannot be read. */
  ShareSettings prepare(ShareSettings settings) throws InterruptedException {
    Map<String, ShareGroupAdmin.GroupConfig> configs = await(admin.configs(group), "the share group's configs");
    if (configs != null) {
      Map<String, String> missing = new HashMap<>();
      if (!explicit(configs, ShareSettings.AUTO_OFFSET_RESET)) {
        missing.put(ShareSettings.AUTO_OFFSET_RESET, "earliest");
      }
      if (!explicit(configs, ShareSettings.ISOLATION_LEVEL)) {
        missing.put(ShareSettings.ISOLATION_LEVEL, "read_committed");
      }
      if (!missing.isEmpty()) {
        if (await(admin.setConfigs(group, missing).thenApply(v -> Boolean.TRUE), "setting " + missing) != null) {
          LOG.info("share group {}: set {} (not set for the group: a new group would skip the records already waiting, "
              + "and act on aborted transactions)", group, missing);
        } else {
          LOG.warn("share group {}: could not set {}: a new group starts where the broker's defaults say (latest: records "
              + "already waiting are skipped); set them with kafka-configs --entity-type groups", group, missing);
        }
      }
      settings = ShareSettings.of(configs);
      if (!settings.renewEnabled()) {
        LOG.error("share group {}: {}=false: locks cannot be renewed, so a record held longer than {} ms (Retry-After, "
            + "backoff, a hold) is delivered to another member while this one still works on it; set it to true",
            group, ShareSettings.RENEW_ENABLE, settings.lockMs());
      }
    }
    return settings;
  }

  private static boolean explicit(Map<String, ShareGroupAdmin.GroupConfig> configs, String name) {
    ShareGroupAdmin.GroupConfig c = configs.get(name);
    return c != null && c.explicit();
  }

  /** Waits up to 10 s for an admin answer; null (logged) when it failed, timed out or the intake is stopping. */
  <T> T await(CompletionStage<T> stage, String what) throws InterruptedException {
    CompletableFuture<T> f = stage.toCompletableFuture();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ADMIN_WAIT_MS);
    while (!f.isDone() && !stopping.getAsBoolean() && System.nanoTime() < until) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    if (!f.isDone()) {
      if (!stopping.getAsBoolean()) {
        LOG.warn("share intake: no answer from Kafka about {} within {} s", what, ADMIN_WAIT_MS / 1000);
      }
      return null;
    }
    try {
      return f.getNow(null);
    } catch (RuntimeException e) {
      LOG.warn("share intake: could not read {}: {}", what, e.getCause() != null ? e.getCause().toString() : e.toString());
      if (f.isCompletedExceptionally() && !stopping.getAsBoolean()) {
        Thread.sleep(1000);
      }
      return null;
    }
  }
}
