package org.homecoming.local.audit;

/** The audit cannot run: a broker, registry or database it cannot use, or no counting group to audit. */
public final class AuditException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AuditException(String message) {
        super(message);
    }

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
