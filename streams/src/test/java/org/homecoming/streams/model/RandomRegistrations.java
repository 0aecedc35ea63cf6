package org.homecoming.streams.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.EmploymentType;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.RetractionReason;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.events.TrainingProgramme;
import org.homecoming.events.WorkDistance;
import org.homecoming.schemas.avro.ContractClasses;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.Policy;

/**
 * Random registration traffic for many people, the same for the same seed: returns, moves, employment,
 * business starts (loans up to and over the ceiling), training, resends, retractions (of real, unknown,
 * already retracted and other people's events) and invalid records (bad townships, dates, amounts, keys,
 * poison bytes). Few townships and days, so people collide in buckets and orderings tie.
 */
public final class RandomRegistrations {

    static {
        ContractClasses.trust();
    }

    private static final LocalDate FIRST_DAY = LocalDate.of(2019, 12, 20);
    private static final int DAYS = 25;

    private final SplittableRandom random;
    private final List<String> townships;
    private final List<String> people = new ArrayList<>();
    private final List<List<SentRecord>> sentByPerson = new ArrayList<>();

    private RandomRegistrations(long seed, int peopleCount, Regions regions) {
        this.random = new SplittableRandom(seed);
        List<Region> all = regions.atLevel(RegionLevel.TOWNSHIP);
        // Neighbours share a county; the others sit in other counties and cities.
        this.townships = List.of(all.get(0).code(), all.get(1).code(), all.get(2).code(), all.get(all.size() / 3).code(),
                all.get(all.size() / 2).code(), all.get(all.size() - 1).code());
        for (int i = 0; i < peopleCount; i++) {
            byte[] ref = new byte[32];
            random.nextBytes(ref);
            people.add(HexFormat.of().formatHex(ref));
            sentByPerson.add(new ArrayList<>());
        }
    }

    /** {@code count} records of {@code peopleCount} people, in sending order. */
    public static List<SentRecord> generate(long seed, int peopleCount, int count, Regions regions) {
        RandomRegistrations generator = new RandomRegistrations(seed, peopleCount, regions);
        List<SentRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(generator.next());
        }
        return records;
    }

    private SentRecord next() {
        int who = random.nextInt(people.size());
        String person = people.get(who);
        List<SentRecord> earlier = sentByPerson.get(who);
        int dice = random.nextInt(100);
        SentRecord record;
        if (dice < 12 && !earlier.isEmpty()) {
            record = resend(earlier.get(random.nextInt(earlier.size())));
        } else if (dice < 28) {
            record = retraction(person, earlier);
        } else if (dice < 36) {
            record = invalid(person);
        } else {
            record = valid(person, fact());
        }
        earlier.add(record);
        return record;
    }

    private Object fact() {
        int dice = random.nextInt(100);
        if (dice < 35) {
            return new ReturneeRegistered(random.nextBoolean() ? null : "44", ReturnReason.FAMILY);
        } else if (dice < 55) {
            return new EmploymentNearHomeRecorded(EmploymentType.WAGE_EMPLOYMENT, WorkDistance.IN_COUNTY);
        } else if (dice < 80) {
            return new BusinessStarted(BusinessType.RURAL_INN, (long) random.nextInt(1_000_000),
                    (long) random.nextInt(15_000_001), random.nextInt(6));
        }
        return new TrainingCompleted(TrainingProgramme.SKILLED_FARMER, random.nextInt(200));
    }

    private SentRecord valid(String person, Object payload) {
        LocalDate day = FIRST_DAY.plusDays(random.nextInt(DAYS));
        return SentRecord.of(event(person, day, payload), takenIn(day, random.nextInt(5)));
    }

    private RegistrationEvent event(String person, LocalDate day, Object payload) {
        // Whole hours only, so two events of one person often tie on (occurredOn, recordedAt).
        Instant recordedAt = day.atTime(LocalTime.of(8 + random.nextInt(3), 0)).atZone(Policy.ZONE).toInstant();
        return RegistrationEvent.newBuilder()
                .setEventId(randomUuid())
                .setPersonRef(person)
                .setPersonRefKeyVersion(1)
                .setTownshipCode(townships.get(random.nextInt(townships.size())))
                .setTerminalId("T-" + random.nextInt(4))
                .setOccurredOn(day)
                .setRecordedAt(recordedAt)
                .setPayload(payload)
                .build();
    }

    private Instant takenIn(LocalDate day, int daysLater) {
        return day.plusDays(daysLater).atTime(LocalTime.of(7 + random.nextInt(16), random.nextInt(60)))
                .atZone(Policy.ZONE).toInstant();
    }

    private SentRecord resend(SentRecord original) {
        Instant later = original.timestamp().plusSeconds(random.nextInt(3 * 24 * 3600));
        return new SentRecord(original.key(), original.event(), original.raw(), later);
    }

    private SentRecord retraction(String person, List<SentRecord> earlier) {
        int dice = random.nextInt(100);
        UUID target;
        if (dice < 70 && !earlier.isEmpty()) {
            SentRecord pick = earlier.get(random.nextInt(earlier.size()));
            target = pick.event() == null ? randomUuid() : pick.event().getEventId();
        } else if (dice < 85) {
            target = randomUuid();
        } else {
            List<SentRecord> others = sentByPerson.get(random.nextInt(sentByPerson.size()));
            target = others.isEmpty() || others.get(0).event() == null ? randomUuid() : others.get(0).event().getEventId();
        }
        return valid(person, new RegistrationRetracted(target, RetractionReason.DATA_ENTRY_ERROR));
    }

    private SentRecord invalid(String person) {
        LocalDate day = FIRST_DAY.plusDays(random.nextInt(DAYS));
        Instant takenIn = takenIn(day, random.nextInt(3));
        RegistrationEvent event = event(person, day, fact());
        return switch (random.nextInt(9)) {
            case 0 -> SentRecord.of(RegistrationEvent.newBuilder(event).setTownshipCode("149999999").build(), takenIn);
            case 1 -> SentRecord.of(RegistrationEvent.newBuilder(event).setTownshipCode(townships.get(0).substring(0, 6))
                    .build(), takenIn);
            case 2 -> SentRecord.of(RegistrationEvent.newBuilder(event).setOccurredOn(LocalDate.of(2014, 12, 31)).build(),
                    takenIn);
            case 3 -> SentRecord.of(event, day.minusDays(1 + random.nextInt(2)).atTime(LocalTime.of(23, 59))
                    .atZone(Policy.ZONE).toInstant());
            case 4 -> SentRecord.of(RegistrationEvent.newBuilder(event).setPayload(new BusinessStarted(BusinessType.OTHER,
                    0L, Policy.loanCeilingFen(day) + 1 + random.nextInt(1000), 1)).build(), takenIn);
            case 5 -> SentRecord.of(RegistrationEvent.newBuilder(event).setPayload(new TrainingCompleted(
                    TrainingProgramme.OTHER, -1 - random.nextInt(10))).build(), takenIn);
            case 6 -> SentRecord.of(RegistrationEvent.newBuilder(event).setTerminalId("").build(), takenIn);
            case 7 -> SentRecord.keyed(people.get(random.nextInt(people.size())) + "x", event, takenIn);
            default -> SentRecord.poison(person, poison(), takenIn);
        };
    }

    private byte[] poison() {
        byte[] bytes = new byte[6 + random.nextInt(20)];
        random.nextBytes(bytes);
        if (random.nextBoolean()) {
            bytes[0] = 0x7f;
        } else {
            // The wire format's magic byte with a schema id no registry has given out.
            bytes[0] = 0;
            bytes[1] = 0x7f;
            bytes[2] = (byte) 0xff;
            bytes[3] = (byte) 0xff;
            bytes[4] = (byte) 0xff;
        }
        return bytes;
    }

    private UUID randomUuid() {
        long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
