package dev.pew.testing;

import dev.pew.testing.TestLease;
import dev.pew.intake.Lease;
import java.util.concurrent.atomic.AtomicInteger;

/** A lease a test ends when it wants (active until {@link #end()}), counting its finished items. Thread-safe. */
public final class TestLease implements Lease {

  private volatile boolean active = true;
  private final AtomicInteger done = new AtomicInteger();

  /** A lease that stays active. */
  public static TestLease permanent() {
    return new TestLease();
  }

  public void end() {
    active = false;
  }

  @Override
  public boolean active() {
    return active;
  }

  @Override
  public void itemDone() {
    done.incrementAndGet();
  }

  /** How many items told this lease they are done. */
  public int itemsDone() {
    return done.get();
  }
}
