package org.homecoming.local.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
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
 * Events of the latency phase: background returnee registrations of new people in every township but
 * the probe township, and probes, each a new person registering in the probe township, so the probe
 * township's all-time returnee count grows by exactly one per probe. People are new to the system (their
 * own bench key). Like live intake at the Spring Festival peak, every event happens today (Shanghai) and is
 * recorded now, so its day, month and year buckets are the ones the live counters show; the 2020
 * workload shares only the all-time buckets with them.
 */
public final class SteadyLoad {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalDate FIRST_BIRTH = LocalDate.of(1960, 1, 1);

    private final Regions regions;
    private final Region probeTownship;
    private final List<Region> background;
    private final Pseudonymizer backgroundPeople = new Pseudonymizer(key("background"), 1);
    private final Pseudonymizer probePeople = new Pseudonymizer(key("probe"), 1);
    private final SplittableRandom random;
    private final Clock clock;
    private final ReturnReason[] reasons = ReturnReason.values();
    private int backgroundIndex;
    private int probeIndex;

    public SteadyLoad(Regions regions, String probeTownship, long seed) {
        this(regions, probeTownship, seed, Clock.systemUTC());
    }

    /** Events dated by the given clock. */
    public SteadyLoad(Regions regions, String probeTownship, long seed, Clock clock) {
        this.clock = clock;
        this.regions = regions;
        this.probeTownship = regions.find(probeTownship).filter(r -> regions.isTownship(r.code()))
                .orElseThrow(() -> new IllegalArgumentException("Not a township: " + probeTownship));
        this.background = regions.atLevel(RegionLevel.TOWNSHIP).stream()
                .filter(r -> !r.code().equals(probeTownship)).toList();
        this.random = new SplittableRandom(seed);
    }

    /** The township of the probes: the first of the reference data. */
    public static String defaultProbeTownship(Regions regions) {
        return regions.atLevel(RegionLevel.TOWNSHIP).get(0).code();
    }

    /** The next background event. */
    public RegistrationEvent background() {
        Region township = background.get(random.nextInt(background.size()));
        return event(township, backgroundPeople, backgroundIndex++);
    }

    /** The next probe. */
    public RegistrationEvent probe() {
        return event(probeTownship, probePeople, probeIndex++);
    }

    private RegistrationEvent event(Region township, Pseudonymizer people, int index) {
        Instant now = clock.instant();
        String nationalId = NationalId.of(regions.countyOf(township.code()).code(),
                FIRST_BIRTH.plusDays(index / 999 % 15_000), index % 999 + 1);
        long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return RegistrationEvent.newBuilder()
                .setEventId(new UUID(most, least))
                .setPersonRef(people.personRef(nationalId))
                .setPersonRefKeyVersion(people.keyVersion())
                .setTownshipCode(township.code())
                .setTerminalId("T-" + township.code() + "-bench")
                .setOccurredOn(LocalDate.ofInstant(now, ZONE))
                .setRecordedAt(now)
                .setPayload(new ReturneeRegistered(null, reasons[random.nextInt(reasons.length)]))
                .build();
    }

    private static byte[] key(String purpose) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("homecoming-bench-" + purpose).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
