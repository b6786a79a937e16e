package dev.pew.local;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A batch of onboarding records shaped like an upstream signup system's (eventId, cname, email,
 * keyed by the email, with an {@code event-id} header), mixed per {@link SampleKind} and shuffled
 * with a seed so a run can be repeated. Every record's event id is unique, so each result can be
 * matched to its input; tombstones have an id too but expect no result. One valid record in a
 * hundred is delivered again at the end (the same key, value and headers, as a producer retry or an
 * outbox replay would): the worker answers it without a call ({@code duplicateOf}).
 *
 * <p>Immutable after {@link #generate}; thread-safe.
 */
final class SampleEvents {

  private static final String[] FIRST = {"maria", "james", "aiko", "omar", "lena", "raj", "chloe", "tomas",
      "fatima", "noah", "ingrid", "kwame", "sofia", "li", "pablo", "zoe"};
  private static final String[] LAST = {"garcia", "smith", "tanaka", "haddad", "muller", "patel", "martin",
      "novak", "diallo", "jones", "larsen", "mensah", "rossi", "wei", "lopez", "brown"};
  private static final String[] DOMAINS = {"example.com", "example.org", "example.net"};
  private static final String[] CNAMES = {"acme", "globex-eu", "initech", "umbrella-labs", "hooli", "stark-ind",
      "wayne-ent", "soylent"};

  private final List<ProducerRecord<byte[], byte[]>> records;
  private final Map<String, String> expectedOutcomes;
  private final Map<SampleKind, Integer> counts;
  private final long expectedCalls;
  private final java.util.Set<String> redelivered;

  private SampleEvents(List<ProducerRecord<byte[], byte[]>> records, Map<String, String> expectedOutcomes,
      Map<SampleKind, Integer> counts, long expectedCalls, java.util.Set<String> redelivered) {
    this.records = List.copyOf(records);
    this.redelivered = java.util.Set.copyOf(redelivered);
    this.expectedOutcomes = Collections.unmodifiableMap(expectedOutcomes);
    this.counts = Collections.unmodifiableMap(counts);
    this.expectedCalls = expectedCalls;
  }

  /** {@code total} records for {@code topic}, mixed per {@link SampleKind#countIn}, order chosen by {@code seed}. */
  static SampleEvents generate(String topic, int total, long seed) {
    List<SampleKind> kinds = new ArrayList<>(total);
    Map<SampleKind, Integer> counts = new EnumMap<>(SampleKind.class);
    for (SampleKind kind : SampleKind.values()) {
      int n = kind.countIn(total);
      counts.put(kind, n);
      kinds.addAll(Collections.nCopies(n, kind));
    }
    Random random = new Random(seed);
    Collections.shuffle(kinds, random);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(total);
    Map<String, String> expected = new LinkedHashMap<>();
    long calls = 0;
    for (int i = 0; i < total; i++) {
      SampleKind kind = kinds.get(i);
      String eventId = String.format("signup-%06d", i + 1);
      String base = email(i, random);
      String email = kind.magicTag == null ? base : tagged(base, kind.magicTag);
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes(email), value(kind, eventId, email, i, random));
      record.headers().add("event-id", bytes(eventId));
      records.add(record);
      if (kind.expectedOutcome != null) {
        expected.put(eventId, kind.expectedOutcome);
      }
      calls += kind.expectedCalls;
    }
    java.util.Set<String> again = new java.util.LinkedHashSet<>();
    int copies = total / 100;
    for (int i = 0; i < total && again.size() < copies; i++) {
      if (kinds.get(i) == SampleKind.VALID && random.nextInt(50) == 0) {
        ProducerRecord<byte[], byte[]> original = records.get(i);
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, original.key(), original.value());
        original.headers().forEach(h -> copy.headers().add(h.key(), h.value()));
        again.add(String.format("signup-%06d", i + 1));
        records.add(copy);
      }
    }
    return new SampleEvents(records, expected, counts, calls, again);
  }

  private static byte[] value(SampleKind kind, String eventId, String email, int i, Random random) {
    JsonObject json = new JsonObject().put("eventId", eventId);
    // One signup in twenty comes without a tenant name: cname is optional in the contract.
    if (random.nextInt(20) != 0) {
      json.put("cname", CNAMES[i % CNAMES.length]);
    }
    switch (kind) {
      case TOMBSTONE:
        return null;
      case NOT_JSON:
        return bytes("signup " + eventId + " for " + email);
      case MISSING_EMAIL:
        break;
      case BAD_EMAIL:
        json.put("email", email.replace('@', ' '));
        break;
      default:
        json.put("email", email);
    }
    return json.toBuffer().getBytes();
  }

  private static String email(int i, Random random) {
    return FIRST[random.nextInt(FIRST.length)] + "." + LAST[random.nextInt(LAST.length)] + "." + (i + 1)
        + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
  }

  private static String tagged(String email, String tag) {
    int at = email.indexOf('@');
    return email.substring(0, at) + tag + email.substring(at);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  List<ProducerRecord<byte[], byte[]>> records() {
    return records;
  }

  /** Event id to {@code SENT} or the expected error category, for every record that must get a result. */
  Map<String, String> expectedOutcomes() {
    return expectedOutcomes;
  }

  int count(SampleKind kind) {
    return counts.getOrDefault(kind, 0);
  }

  /** Event ids delivered a second time (at the end): each must be answered without a call. */
  java.util.Set<String> redelivered() {
    return redelivered;
  }

  /** API calls the batch needs when the worker follows the contract's retry rules (redeliveries need none). */
  long expectedCalls() {
    return expectedCalls;
  }
}
