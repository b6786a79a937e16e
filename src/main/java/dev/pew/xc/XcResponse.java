package dev.pew.xc;

/**
 * What one call to {@code send_password_email} came back with: an HTTP status, or a transport
 * failure (timeout, connection error) when no status arrived.
 *
 * @param status the HTTP status, or {@code -1} for a transport failure
 * @param retryAfter the raw {@code Retry-After} header, or null
 * @param failure for a transport failure: its kind; null when a status arrived
 * @param detail a short description for logs and result events; never holds the request's body,
 *     an address or a credential
 * @param latencyNanos from the start of the call until the answer or the failure
 */
public record XcResponse(int status, String retryAfter, Failure failure, String detail, long latencyNanos) {

  /** Why no status arrived. */
  public enum Failure {
    /** No answer within {@code REQUEST_TIMEOUT_MS}. */
    TIMEOUT,
    /** The connection could not be made or broke (refused, reset, TLS handshake, DNS). */
    CONNECTION
  }

  public static XcResponse status(int status, String retryAfter, long latencyNanos) {
    return new XcResponse(status, retryAfter, null, "HTTP " + status, latencyNanos);
  }

  public static XcResponse failure(Failure failure, String detail, long latencyNanos) {
    return new XcResponse(-1, null, failure, detail, latencyNanos);
  }

  public boolean hasStatus() {
    return failure == null;
  }

  /** The status as a metrics label: the number, or {@code timeout} / {@code connection_error}. */
  public String label() {
    if (failure == null) {
      return status == 200 ? "200" : Integer.toString(status);
    }
    return failure == Failure.TIMEOUT ? "timeout" : "connection_error";
  }
}
