package dev.pew.ledger;

/** What the ledger reports; implemented by the worker's metrics. Implementations are thread-safe. */
public interface LedgerMetrics {

  /** A partition's sends were restored, in {@code nanos}. */
  void ledgerRestored(long nanos, long entries);

  /** A send was recorded: Kafka acknowledged its entry {@code nanos} after it was handed over. */
  void ledgerRecorded(long nanos);

  /** A record in the ledger topic that is no ledger entry: {@code foreign} or {@code malformed}. */
  void ledgerRecordSkipped(String reason);
}
