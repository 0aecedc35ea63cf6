package org.homecoming.streams.view;

/** A region code that is not in the reference data: answered with 404 problem details. */
public class UnknownRegionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownRegionException(String code) {
        super("No region with code '" + code + "' in the Shanxi reference data");
    }
}
