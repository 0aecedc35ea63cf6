package org.homecoming.streams.counting;

import java.time.LocalDate;

/**
 * Where and when a person's contribution counts: a township and a business date.
 *
 * @param townshipCode township code
 * @param date         business date
 */
public record Place(String townshipCode, LocalDate date) {
}
