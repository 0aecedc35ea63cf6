package org.homecoming.streams.view;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the query API as RFC 9457 problem details. */
@RestControllerAdvice(assignableTypes = {TotalsController.class, InternalTotalsController.class, StreamController.class,
    DashboardController.class})
public class ProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    /** Unknown region: 404. */
    @ExceptionHandler(UnknownRegionException.class)
    public ResponseEntity<ProblemDetail> unknownRegion(UnknownRegionException e) {
        return problem(HttpStatus.NOT_FOUND, "unknown-region", "Unknown region", e.getMessage());
    }

    /** Malformed period, sort or bucket: 400. */
    @ExceptionHandler(InvalidQueryException.class)
    public ResponseEntity<ProblemDetail> invalidQuery(InvalidQueryException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.BAD_REQUEST, "invalid-" + e.parameter(),
                "Invalid " + e.parameter(), e.getMessage());
        response.getBody().setProperty("parameter", e.parameter());
        return response;
    }

    /** Missing required parameter: 400. */
    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, "missing-parameter", "Missing parameter", e.getMessage());
    }

    /** Restoring, rebalancing, owner not answering, too many streams: 503, try again shortly. */
    @ExceptionHandler(ViewUnavailableException.class)
    public ResponseEntity<ProblemDetail> unavailable(ViewUnavailableException e) {
        LOG.debug("Query not answerable now: {}", e.getMessage());
        ResponseEntity<ProblemDetail> problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "view-unavailable",
                "Totals not available now", e.getMessage());
        return ResponseEntity.status(problem.getStatusCode()).header(HttpHeaders.RETRY_AFTER, "1").body(problem.getBody());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:homecoming:problem:" + type));
        problem.setTitle(title);
        return ResponseEntity.status(status).body(problem);
    }
}
