package org.homecoming.schemas.rules;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Policy figures the validation rules rely on, in one place for the gateway and the streams application.
 */
public final class Policy {

    /** Business time zone: every date in Homecoming is a local date in Shanxi. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** No event may have happened before this day. */
    public static final LocalDate EARLIEST_DATE = LocalDate.of(2015, 1, 1);
    /** From this day the guaranteed start-up loan ceiling is {@link #LOAN_CEILING_FEN}. */
    public static final LocalDate LOAN_CEILING_RAISED_ON = LocalDate.of(2020, 1, 1);
    /** Ceiling of a guaranteed start-up loan from 2020: 300,000 yuan, in fen. */
    public static final long LOAN_CEILING_FEN = 300_000L * 100;
    /** Ceiling of a guaranteed start-up loan before 2020: 150,000 yuan, in fen. */
    public static final long LOAN_CEILING_BEFORE_2020_FEN = 150_000L * 100;

    private Policy() {
    }

    /** The loan ceiling in force on a business start date. */
    public static long loanCeilingFen(LocalDate startedOn) {
        return startedOn.isBefore(LOAN_CEILING_RAISED_ON) ? LOAN_CEILING_BEFORE_2020_FEN : LOAN_CEILING_FEN;
    }
}
