package dev.pew.dispatch;

/**
 * How the dispatcher ended an item: its final verdict ({@link Verdict.Sent} or {@link
 * Verdict.Failed}) and the calls it took, all of them (the result event's {@code attempts}).
 * Immutable.
 */
public record Outcome(Verdict verdict, int attempts) {

  public Outcome {
    if (!(verdict instanceof Verdict.Sent || verdict instanceof Verdict.Failed)) {
      throw new IllegalArgumentException("not a final verdict: " + verdict);
    }
  }

  public boolean sent() {
    return verdict instanceof Verdict.Sent;
  }
}
