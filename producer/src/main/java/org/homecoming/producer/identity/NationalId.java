package org.homecoming.producer.identity;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The 18-character resident identity number of GB 11643-1999: 6 digits of area code, 8 of birth date
 * (yyyyMMdd), 3 of sequence (odd for men), and an ISO 7064 MOD 11-2 check character (0-9 or X).
 * Instances never appear in {@code toString()}, logs or exceptions.
 */
public final class NationalId {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private NationalId() {
    }

    /** What is wrong with a candidate ID, for a field-level error message that does not echo it. */
    public enum Problem {
        MISSING("is required"),
        WRONG_LENGTH("must be 18 characters"),
        NOT_DIGITS("must be 17 digits followed by a digit or X"),
        BAD_BIRTH_DATE("has an impossible birth date"),
        BAD_CHECK_DIGIT("has a wrong check digit");

        private final String message;

        Problem(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /** The check character for the first 17 digits. */
    public static char checkCharacter(CharSequence first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /**
     * Validates an ID as of a given day.
     *
     * @return the problem, or {@code null} when the ID is valid
     */
    public static Problem validate(String id, LocalDate today) {
        if (id == null || id.isEmpty()) {
            return Problem.MISSING;
        }
        if (id.length() != 18) {
            return Problem.WRONG_LENGTH;
        }
        for (int i = 0; i < 17; i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                return Problem.NOT_DIGITS;
            }
        }
        char last = Character.toUpperCase(id.charAt(17));
        if (!(last >= '0' && last <= '9') && last != 'X') {
            return Problem.NOT_DIGITS;
        }
        LocalDate birth;
        try {
            birth = LocalDate.of(Integer.parseInt(id.substring(6, 10)), Integer.parseInt(id.substring(10, 12)),
                    Integer.parseInt(id.substring(12, 14)));
        } catch (DateTimeException e) {
            return Problem.BAD_BIRTH_DATE;
        }
        if (birth.isBefore(EARLIEST_BIRTH) || birth.isAfter(today)) {
            return Problem.BAD_BIRTH_DATE;
        }
        if (checkCharacter(id) != last) {
            return Problem.BAD_CHECK_DIGIT;
        }
        return null;
    }

    /** The ID in canonical form: upper-case check character. */
    public static String canonical(String id) {
        return id.toUpperCase(java.util.Locale.ROOT);
    }

    /** Builds a valid ID from its parts (for simulators and tests). */
    public static String of(String areaCode, LocalDate birthDate, int sequence) {
        if (areaCode.length() != 6 || sequence < 0 || sequence > 999) {
            throw new IllegalArgumentException("area code must have 6 digits and sequence be 0-999");
        }
        String first17 = areaCode + String.format("%04d%02d%02d%03d", birthDate.getYear(), birthDate.getMonthValue(),
                birthDate.getDayOfMonth(), sequence);
        return first17 + checkCharacter(first17);
    }
}
