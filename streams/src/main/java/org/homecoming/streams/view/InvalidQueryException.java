package org.homecoming.streams.view;

/** A query parameter that cannot be answered: answered with 400 problem details. */
public class InvalidQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The parameter at fault. */
    public String parameter() {
        return parameter;
    }
}
