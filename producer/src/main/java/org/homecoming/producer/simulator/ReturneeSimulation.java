package org.homecoming.producer.simulator;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.producer.identity.NationalId;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;

/**
 * N returnee registrations of N distinct people, spread evenly over Shanxi's townships and over the days
 * of 2020; the same seed gives the same events. The expected count per township is known before anything
 * is sent.
 *
 * @param events             the events, in sending order
 * @param expectedByTownship returnees per township code
 */
public record ReturneeSimulation(List<RegistrationEvent> events, Map<String, Long> expectedByTownship) {

    /** Business time zone of every date. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalDate FIRST_DAY = LocalDate.of(2020, 1, 1);
    private static final LocalDate FIRST_BIRTH = LocalDate.of(1960, 1, 1);

    /** Generates the simulation. */
    public static ReturneeSimulation generate(int count, long seed, Regions regions, Pseudonymizer pseudonymizer) {
        List<Region> townships = regions.atLevel(RegionLevel.TOWNSHIP);
        SplittableRandom random = new SplittableRandom(seed);
        List<RegistrationEvent> events = new ArrayList<>(count);
        Map<String, Long> expected = new TreeMap<>();
        ReturnReason[] reasons = ReturnReason.values();
        for (int i = 0; i < count; i++) {
            Region township = townships.get(random.nextInt(townships.size()));
            LocalDate day = FIRST_DAY.plusDays(random.nextInt(366));
            String nationalId = syntheticId(regions.countyOf(township.code()).code(), i);
            events.add(RegistrationEvent.newBuilder()
                    .setEventId(randomUuid(random))
                    .setPersonRef(pseudonymizer.personRef(nationalId))
                    .setPersonRefKeyVersion(pseudonymizer.keyVersion())
                    .setTownshipCode(township.code())
                    .setTerminalId("T-" + township.code() + "-01")
                    .setOccurredOn(day)
                    .setRecordedAt(day.atTime(LocalTime.of(8, 0)).plusSeconds(random.nextInt(10 * 3600))
                            .atZone(ZONE).toInstant())
                    .setPayload(new ReturneeRegistered(null, reasons[random.nextInt(reasons.length)]))
                    .build());
            expected.merge(township.code(), 1L, Long::sum);
        }
        return new ReturneeSimulation(Collections.unmodifiableList(events), Collections.unmodifiableMap(expected));
    }

    /** A valid national ID, distinct for every index below 15,000,000. */
    static String syntheticId(String areaCode, int index) {
        return NationalId.of(areaCode, FIRST_BIRTH.plusDays(index / 999 % 15_000), index % 999 + 1);
    }

    /** A version-4 UUID drawn from the seeded generator, so event ids repeat with the seed. */
    static UUID randomUuid(SplittableRandom random) {
        long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    /** Returnees in the whole province. */
    public long expectedTotal() {
        return events.size();
    }
}
