package org.homecoming.producer.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

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
import org.homecoming.producer.identity.NationalId;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.Policy;

/**
 * A replay of Shanxi's 2020 at a scale: 1.0 is the year as reported (China Daily, 2021-03-15): 807,000
 * returnees, 188,400 of them employed at or near home, 91,200 who started a business, 38,000 trained.
 *
 * <p>How the figures are spread (stated assumptions, also in the README):
 * <ul>
 *   <li>People per city in proportion to the city's resident population in the 7th national census (2020),
 *       {@link #CENSUS_2020}; exact counts by the largest-remainder method. Within a city every town and
 *       township has weight 2 and every subdistrict or other township-level unit weight 1 (returnees go
 *       home to rural places more than to urban subdistricts).</li>
 *   <li>Return dates over 2020 with a Spring Festival peak: day weight {@code 1 + 12 exp(-((d - 17) / 9)^2 / 2)}
 *       (d = days after 1 January; the peak is 18 January, a week before the festival on 25 January).
 *       Employment, business start and training follow the return by days to months, within 2020.</li>
 *   <li>Every count is {@code round(seed figure x scale)}, half up. The employed and the business
 *       starters are disjoint groups of returnees; the trained are drawn from all returnees.</li>
 *   <li>Guaranteed loans: 30% of business starters have none; the rest log-normal around 80,000 yuan,
 *       whole thousands, between 10,000 yuan and the 300,000-yuan ceiling (which about 4% reach). In Qinshui
 *       county 40% of businesses are rural inns and 35% agricultural parks.</li>
 * </ul>
 *
 * <p>Noise the pipeline must absorb without changing a total (docs/counting-rules.md): resent events
 * (same eventId), retractions of a returnee registration each followed by a corrected registration of the
 * same person in another township of the same county, and invalid records that {@code EventRules} rejects
 * (unknown township, a county code, a loan over the ceiling, a date before 2015). So the expected totals
 * are the seed figures at any noise rate. Everything is drawn from the seed: the same options give the
 * same records in the same order.
 */
public final class ProvinceYearSimulation {

    /** Returnees of Shanxi in 2020. */
    public static final long SEED_RETURNEES = 807_000;
    /** Employed at or near home. */
    public static final long SEED_EMPLOYED = 188_400;
    /** Returned to start a business. */
    public static final long SEED_BUSINESSES = 91_200;
    /** Skilled farmers trained. */
    public static final long SEED_TRAINED = 38_000;

    /** Resident population of each city in the 7th national census (2020): the weight of its share. */
    public static final Map<String, Long> CENSUS_2020 = censusWeights();

    /** Qinshui county, whose inns and agricultural parks the replay includes. */
    public static final String QINSHUI = "140521";

    private static final LocalDate FIRST_DAY = LocalDate.of(2020, 1, 1);
    private static final int DAYS = 366;
    private static final LocalDate FIRST_BIRTH = LocalDate.of(1960, 1, 1);
    /** (birth day, sequence) pairs available to IDs: 15,000 birth days from 1960 x sequences 1-999. */
    private static final long ID_SPACE = 15_000L * 999;
    private static final long ID_MULTIPLIER = 1_000_003L;
    private static final int RETURN = 0;
    private static final int EMPLOY = 1;
    private static final int BUSINESS = 2;
    private static final int TRAIN = 3;
    private static final int MAX_DELAY = 200;
    /** Reasons of the invalid records, in turn: the first four break EventRules, the last only the person's history. */
    private static final List<String> INVALID_REASONS = List.of("UNKNOWN_TOWNSHIP", "NOT_A_TOWNSHIP", "LOAN_OVER_CEILING",
            "DATE_TOO_EARLY", "UNKNOWN_RETRACTION_TARGET");
    /** The reason of the invalid records the intake gateway lets through: the counting application rejects them. */
    public static final String COUNTING_ONLY_REASON = "UNKNOWN_RETRACTION_TARGET";
    private static final String[] WORK_PROVINCES = {"11", "12", "13", "31", "32", "33", "35", "37", "41", "44", "61", "62"};

    /**
     * What to simulate.
     *
     * @param scale       1.0 = the seed figures
     * @param seed        seed of every random choice
     * @param duplicates  share of events resent (same eventId), e.g. 0.02
     * @param retractions share of returnee registrations retracted and registered again, corrected
     * @param invalid     share of extra invalid records, rejected by the rules
     */
    public record Options(double scale, long seed, double duplicates, double retractions, double invalid) {
        public Options {
            if (!(scale > 0 && scale <= 10)) {
                throw new IllegalArgumentException("scale must be above 0 and at most 10");
            }
            for (double rate : new double[] {duplicates, retractions, invalid}) {
                if (!(rate >= 0 && rate <= 0.5)) {
                    throw new IllegalArgumentException("noise rates must be between 0 and 0.5");
                }
            }
        }

        /** The seed year, at a scale, with the default noise: 2% duplicates, 0.5% retractions, 0.1% invalid. */
        public static Options withDefaultNoise(double scale, long seed) {
            return new Options(scale, seed, 0.02, 0.005, 0.001);
        }
    }

    /**
     * Totals of one region, as the counting rules compute them.
     *
     * @param returnees          people counted as returnees
     * @param employedNearHome   people employed at or near home
     * @param businessesStarted  people who started a business
     * @param guaranteedLoansFen sum of guaranteed loans, fen
     * @param jobsCreated        sum of jobs created
     * @param trained            people trained
     */
    public record Totals(long returnees, long employedNearHome, long businessesStarted, long guaranteedLoansFen,
                         long jobsCreated, long trained) {
        Totals plus(Totals o) {
            return new Totals(returnees + o.returnees, employedNearHome + o.employedNearHome,
                    businessesStarted + o.businessesStarted, guaranteedLoansFen + o.guaranteedLoansFen,
                    jobsCreated + o.jobsCreated, trained + o.trained);
        }
    }

    /**
     * What the pipeline must end with, and what will be sent.
     *
     * @param province     all-time totals of Shanxi
     * @param byCity       all-time totals per city code
     * @param events       records sent in all, noise included
     * @param baseEvents   the year's own events
     * @param duplicates   resent events
     * @param retractions  retractions (each with one corrected registration)
     * @param invalid      invalid records
     * @param invalidByReason invalid records by the reason code they are refused or rejected with
     */
    public record Expected(Totals province, Map<String, Totals> byCity, long events, long baseEvents, long duplicates,
                           long retractions, long invalid, Map<String, Long> invalidByReason) {

        /** Invalid records the intake gateway refuses (400): those breaking a rule of the record alone. */
        public long refusedByGateway() {
            return invalid - rejectedByCounting();
        }

        /** Invalid records that pass the gateway and that the counting application rejects. */
        public long rejectedByCounting() {
            return invalidByReason.getOrDefault(COUNTING_ONLY_REASON, 0L);
        }
    }

    /** Why a record is in the stream. */
    public enum Kind {
        /** One of the year's events. */
        ORIGINAL,
        /** A resend of an earlier record, same eventId. */
        DUPLICATE,
        /** Takes back a returnee registration. */
        RETRACTION,
        /** The corrected registration after a retraction. */
        CORRECTION,
        /** A record the rules reject. */
        INVALID
    }

    /**
     * One record to send: the raw ID (for the gateway, which pseudonymises it) and the event as it would be
     * produced (with a personRef made by the simulator's pseudonymizer, for direct sends to Kafka).
     *
     * @param nationalId the raw 18-character ID; never logged
     * @param event      the event
     * @param kind       why it is in the stream
     */
    public record SimulatedRecord(String nationalId, RegistrationEvent event, Kind kind) {
        @Override
        public String toString() {
            return "SimulatedRecord[" + kind + " " + event.getEventId() + "]";
        }
    }

    private final Options options;
    private final Regions regions;
    private final List<Region> townships;
    private final int people;
    private final int[] townshipOf;
    private final short[] returnDay;
    private final byte[] group;
    private final BitSet trained;
    private final int[] order;
    private final long idOffset;
    private final Expected expected;

    private ProvinceYearSimulation(Options options, Regions regions) {
        this.options = options;
        this.regions = regions;
        this.townships = regions.atLevel(RegionLevel.TOWNSHIP);
        this.people = Math.toIntExact(scaled(SEED_RETURNEES));
        int employed = Math.toIntExact(scaled(SEED_EMPLOYED));
        int businesses = Math.toIntExact(scaled(SEED_BUSINESSES));
        int trainedCount = Math.toIntExact(scaled(SEED_TRAINED));
        SplittableRandom random = new SplittableRandom(options.seed());
        this.idOffset = random.nextLong(ID_SPACE);
        this.townshipOf = placePeople(random);
        this.returnDay = new short[people];
        double[] dayWeights = new double[DAYS];
        for (int d = 0; d < DAYS; d++) {
            double z = (d - 17) / 9.0;
            dayWeights[d] = 1 + 12 * Math.exp(-z * z / 2);
        }
        double[] dayCumulative = cumulative(dayWeights);
        for (int p = 0; p < people; p++) {
            returnDay[p] = (short) pick(dayCumulative, random.nextDouble());
        }
        // group 1 = employed near home, 2 = started a business; disjoint, drawn by one permutation.
        this.group = new byte[people];
        int[] permutation = permutation(people, random);
        for (int i = 0; i < employed + businesses; i++) {
            group[permutation[i]] = (byte) (i < employed ? 1 : 2);
        }
        this.trained = new BitSet(people);
        permutation = permutation(people, random);
        for (int i = 0; i < trainedCount; i++) {
            trained.set(permutation[i]);
        }
        this.order = emissionOrder(random);
        this.expected = computeExpected();
    }

    /** Plans a simulation: cheap; records are made only by {@link #generate}. */
    public static ProvinceYearSimulation plan(Options options, Regions regions) {
        return new ProvinceYearSimulation(options, regions);
    }

    /** The options. */
    public Options options() {
        return options;
    }

    /** The exact totals the pipeline must end with, known before anything is sent. */
    public Expected expected() {
        return expected;
    }

    private long scaled(long seedFigure) {
        return Math.round(seedFigure * options.scale());
    }

    private static Map<String, Long> censusWeights() {
        Map<String, Long> census = new LinkedHashMap<>();
        census.put("140100", 5_304_061L); // Taiyuan
        census.put("140200", 3_105_591L); // Datong
        census.put("140300", 1_318_505L); // Yangquan
        census.put("140400", 3_180_884L); // Changzhi
        census.put("140500", 2_194_545L); // Jincheng
        census.put("140600", 1_593_444L); // Shuozhou
        census.put("140700", 3_379_498L); // Jinzhong
        census.put("140800", 4_774_508L); // Yuncheng
        census.put("140900", 2_689_668L); // Xinzhou
        census.put("141000", 3_976_481L); // Linfen
        census.put("141100", 3_398_431L); // Lüliang
        return Collections.unmodifiableMap(census);
    }

    /** People per city by largest remainder; within a city, a township per person by weight. */
    private int[] placePeople(SplittableRandom random) {
        List<String> cities = new ArrayList<>(CENSUS_2020.keySet());
        long population = CENSUS_2020.values().stream().mapToLong(Long::longValue).sum();
        long[] perCity = new long[cities.size()];
        double[] remainder = new double[cities.size()];
        long assigned = 0;
        for (int c = 0; c < cities.size(); c++) {
            double share = (double) people * CENSUS_2020.get(cities.get(c)) / population;
            perCity[c] = (long) Math.floor(share);
            remainder[c] = share - perCity[c];
            assigned += perCity[c];
        }
        while (assigned < people) {
            int best = 0;
            for (int c = 1; c < cities.size(); c++) {
                if (remainder[c] > remainder[best]) {
                    best = c;
                }
            }
            perCity[best]++;
            remainder[best] = -1;
            assigned++;
        }
        int[] placed = new int[people];
        int p = 0;
        for (int c = 0; c < cities.size(); c++) {
            List<Integer> inCity = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            for (int t = 0; t < townships.size(); t++) {
                Region township = townships.get(t);
                if (regions.cityOf(township.code()).code().equals(cities.get(c))) {
                    inCity.add(t);
                    String type = township.divisionType();
                    weights.add(type.startsWith("town") ? 2.0 : 1.0);
                }
            }
            double[] cumulative = cumulative(weights.stream().mapToDouble(Double::doubleValue).toArray());
            for (long i = 0; i < perCity[c]; i++) {
                placed[p++] = inCity.get(pick(cumulative, random.nextDouble()));
            }
        }
        // Shuffle so that person numbers (and so IDs and sending order within a day) do not follow cities.
        for (int i = people - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = placed[i];
            placed[i] = placed[j];
            placed[j] = swap;
        }
        return placed;
    }

    private static double[] cumulative(double[] weights) {
        double[] cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < weights.length; i++) {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    private static int pick(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] permutation = new int[n];
        for (int i = 0; i < n; i++) {
            permutation[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        return permutation;
    }

    private int dayOf(int person, int kind) {
        int day = returnDay[person];
        SplittableRandom r = eventRandom(person, kind);
        int after = switch (kind) {
            case EMPLOY -> 7 + r.nextInt(84);
            case BUSINESS -> 14 + r.nextInt(137);
            case TRAIN -> r.nextInt(200);
            default -> 0;
        };
        // A follow-up that would fall after the year is drawn again within what is left of it, not piled on 31 December.
        return day + after < DAYS ? day + after : day + Math.floorMod(after, DAYS - day);
    }

    /** The year's events, encoded person * 4 + kind, by day and shuffled within a day. */
    private int[] emissionOrder(SplittableRandom random) {
        int[] perDay = new int[DAYS + 1];
        int total = 0;
        for (int p = 0; p < people; p++) {
            for (int kind : kinds(p)) {
                perDay[dayOf(p, kind) + 1]++;
                total++;
            }
        }
        for (int d = 1; d <= DAYS; d++) {
            perDay[d] += perDay[d - 1];
        }
        int[] encoded = new int[total];
        int[] next = perDay.clone();
        for (int p = 0; p < people; p++) {
            for (int kind : kinds(p)) {
                encoded[next[dayOf(p, kind)]++] = p * 4 + kind;
            }
        }
        for (int d = 0; d < DAYS; d++) {
            for (int i = perDay[d + 1] - 1; i > perDay[d]; i--) {
                int j = perDay[d] + random.nextInt(i - perDay[d] + 1);
                int swap = encoded[i];
                encoded[i] = encoded[j];
                encoded[j] = swap;
            }
        }
        return encoded;
    }

    private int[] kinds(int person) {
        boolean train = trained.get(person);
        return switch (group[person]) {
            case 1 -> train ? new int[] {RETURN, EMPLOY, TRAIN} : new int[] {RETURN, EMPLOY};
            case 2 -> train ? new int[] {RETURN, BUSINESS, TRAIN} : new int[] {RETURN, BUSINESS};
            default -> train ? new int[] {RETURN, TRAIN} : new int[] {RETURN};
        };
    }

    private Expected computeExpected() {
        Map<String, Totals> byCity = new LinkedHashMap<>();
        for (String city : CENSUS_2020.keySet()) {
            byCity.put(city, new Totals(0, 0, 0, 0, 0, 0));
        }
        for (int p = 0; p < people; p++) {
            String city = regions.cityOf(townships.get(townshipOf[p]).code()).code();
            long loan = 0;
            long jobs = 0;
            if (group[p] == 2) {
                BusinessStarted business = business(p);
                loan = business.getGuaranteedLoanFen();
                jobs = business.getJobsCreated();
            }
            byCity.merge(city, new Totals(1, group[p] == 1 ? 1 : 0, group[p] == 2 ? 1 : 0, loan, jobs,
                    trained.get(p) ? 1 : 0), Totals::plus);
        }
        Totals province = byCity.values().stream().reduce(new Totals(0, 0, 0, 0, 0, 0), Totals::plus);
        long base = order.length;
        long duplicates = Math.round(base * options.duplicates());
        long retractions = Math.round(people * options.retractions());
        long invalid = Math.round(base * options.invalid());
        Map<String, Long> invalidByReason = new LinkedHashMap<>();
        for (long k = 0; k < invalid; k++) {
            invalidByReason.merge(INVALID_REASONS.get((int) ((people + k) % INVALID_REASONS.size())), 1L, Long::sum);
        }
        return new Expected(province, Collections.unmodifiableMap(byCity), base + duplicates + 2 * retractions + invalid,
                base, duplicates, retractions, invalid, Collections.unmodifiableMap(invalidByReason));
    }

    /** A random source for one event of one person, independent of sending order. */
    private SplittableRandom eventRandom(int person, int kind) {
        return new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + person * 8L + kind);
    }

    private BusinessStarted business(int person) {
        SplittableRandom r = eventRandom(person, BUSINESS);
        r.nextInt(); // the day's draw
        boolean qinshui = regions.countyOf(townships.get(townshipOf[person]).code()).code().equals(QINSHUI);
        BusinessType type = businessType(r.nextDouble(), qinshui);
        long loanYuan = 0;
        if (r.nextDouble() >= 0.30) {
            double lognormal = 80_000 * Math.exp(0.65 * gaussian(r));
            loanYuan = Math.max(10_000, Math.min(300_000, Math.round(lognormal / 1000) * 1000));
        }
        long capitalYuan = loanYuan + 5_000 + Math.round(r.nextDouble() * 200) * 1000;
        int jobs = (int) Math.min(60, Math.floor(-Math.log(1 - r.nextDouble()) * 3.0));
        return new BusinessStarted(type, capitalYuan * 100, loanYuan * 100, jobs);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static BusinessType businessType(double u, boolean qinshui) {
        if (qinshui) {
            return u < 0.40 ? BusinessType.RURAL_INN : u < 0.75 ? BusinessType.AGRICULTURAL_PARK
                    : u < 0.90 ? BusinessType.LIVESTOCK : BusinessType.FOOD_PROCESSING;
        }
        BusinessType[] types = {BusinessType.CROP_FARMING, BusinessType.LIVESTOCK, BusinessType.AGRICULTURAL_PARK,
            BusinessType.RURAL_INN, BusinessType.FOOD_PROCESSING, BusinessType.E_COMMERCE, BusinessType.RETAIL_SERVICES,
            BusinessType.MANUFACTURING, BusinessType.OTHER};
        double[] cumulative = cumulative(new double[] {18, 14, 8, 6, 10, 12, 20, 7, 5});
        return types[pick(cumulative, u)];
    }

    /** The valid, distinct ID of a person number (below {@link #ID_SPACE}). */
    String nationalId(int person, String townshipCode) {
        long slot = Math.floorMod(person * ID_MULTIPLIER + idOffset, ID_SPACE);
        return NationalId.of(regions.countyOf(townshipCode).code(), FIRST_BIRTH.plusDays(slot / 999),
                (int) (slot % 999) + 1);
    }

    private static UUID uuid(SplittableRandom random) {
        long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    private static Instant recordedAt(LocalDate day, SplittableRandom r, long laterSeconds) {
        return day.atTime(LocalTime.of(8, 0)).plusSeconds(r.nextInt(10 * 3600) + laterSeconds).atZone(Policy.ZONE)
                .toInstant();
    }

    /** The year's event of a person, as the terminal would record it. */
    private SimulatedRecord original(int person, int kind, Pseudonymizer pseudonymizer) {
        String township = townships.get(townshipOf[person]).code();
        String nationalId = nationalId(person, township);
        SplittableRandom r = eventRandom(person, kind);
        LocalDate day = FIRST_DAY.plusDays(dayOf(person, kind));
        Object payload = switch (kind) {
            case RETURN -> new ReturneeRegistered(r.nextDouble() < 0.8 ? WORK_PROVINCES[r.nextInt(WORK_PROVINCES.length)]
                    : null, ReturnReason.values()[r.nextInt(ReturnReason.values().length)]);
            case EMPLOY -> new EmploymentNearHomeRecorded(EmploymentType.values()[r.nextInt(EmploymentType.values().length)],
                    WorkDistance.values()[r.nextInt(WorkDistance.values().length)]);
            case BUSINESS -> business(person);
            default -> new TrainingCompleted(r.nextDouble() < 0.6 ? TrainingProgramme.SKILLED_FARMER
                    : TrainingProgramme.values()[r.nextInt(TrainingProgramme.values().length)], 16 + 8 * r.nextInt(14));
        };
        r = eventRandom(person, kind + 4);
        RegistrationEvent event = new RegistrationEvent(uuid(r), pseudonymizer.personRef(nationalId),
                pseudonymizer.keyVersion(), township, terminalOf(township), day, recordedAt(day, r, 0), payload);
        return new SimulatedRecord(nationalId, event, Kind.ORIGINAL);
    }

    private static String terminalOf(String township) {
        return "T-" + township + "-01";
    }

    /** Another township of the same county (the same one when the county has only one). */
    private String correctedTownship(String township, SplittableRandom r) {
        List<Region> siblings = regions.children(regions.countyOf(township).code());
        if (siblings.size() == 1) {
            return township;
        }
        String other = township;
        while (other.equals(township)) {
            other = siblings.get(r.nextInt(siblings.size())).code();
        }
        return other;
    }

    private record Pending(long due, long sequence, SimulatedRecord record) {
    }

    /**
     * Makes every record in sending order and hands each to the sink. Invalid records use people of their
     * own (numbers from the people count up), so they touch nobody's totals even if they were accepted.
     */
    public void generate(Pseudonymizer pseudonymizer, Consumer<SimulatedRecord> sink) {
        SplittableRandom random = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        BitSet duplicated = choose(order.length, expected.duplicates(), random);
        BitSet invalidAfter = choose(order.length, expected.invalid(), random);
        BitSet retracted = choose(people, expected.retractions(), random);
        PriorityQueue<Pending> pending = new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due)
                : Long.compare(a.sequence, b.sequence));
        long sequence = 0;
        int invalidPeople = 0;
        for (int i = 0; i < order.length; i++) {
            while (!pending.isEmpty() && pending.peek().due() <= i) {
                sink.accept(pending.poll().record());
            }
            int person = order[i] / 4;
            int kind = order[i] % 4;
            SimulatedRecord record = original(person, kind, pseudonymizer);
            sink.accept(record);
            if (duplicated.get(i)) {
                pending.add(new Pending(i + 1 + random.nextInt(MAX_DELAY), sequence++,
                        new SimulatedRecord(record.nationalId(), record.event(), Kind.DUPLICATE)));
            }
            if (kind == RETURN && retracted.get(person)) {
                long due = i + 1 + random.nextInt(MAX_DELAY);
                for (SimulatedRecord follow : retractionAndCorrection(record, random)) {
                    pending.add(new Pending(due, sequence++, follow));
                }
            }
            if (invalidAfter.get(i)) {
                sink.accept(invalid(people + invalidPeople++, random, pseudonymizer));
            }
        }
        while (!pending.isEmpty()) {
            sink.accept(pending.poll().record());
        }
    }

    /** Generates everything into a list (for tests and small scales). */
    public List<SimulatedRecord> records(Pseudonymizer pseudonymizer) {
        List<SimulatedRecord> records = new ArrayList<>(Math.toIntExact(expected.events()));
        generate(pseudonymizer, records::add);
        return records;
    }

    private List<SimulatedRecord> retractionAndCorrection(SimulatedRecord target, SplittableRandom random) {
        RegistrationEvent original = target.event();
        LocalDate day = original.getOccurredOn();
        // Built field by field: Avro's deep copy (newBuilder(other)) resolves classes it does not trust here.
        RegistrationEvent retraction = new RegistrationEvent(uuid(random), original.getPersonRef(),
                original.getPersonRefKeyVersion(), original.getTownshipCode(), original.getTerminalId(), day,
                original.getRecordedAt().plusSeconds(1800),
                new RegistrationRetracted(original.getEventId(), RetractionReason.WRONG_TOWNSHIP));
        String township = correctedTownship(original.getTownshipCode(), random);
        RegistrationEvent correction = new RegistrationEvent(uuid(random), original.getPersonRef(),
                original.getPersonRefKeyVersion(), township, terminalOf(township), day,
                original.getRecordedAt().plusSeconds(3600), original.getPayload());
        return List.of(new SimulatedRecord(target.nationalId(), retraction, Kind.RETRACTION),
                new SimulatedRecord(target.nationalId(), correction, Kind.CORRECTION));
    }

    /** A record of a new person that is refused or rejected; the kinds of {@link #INVALID_REASONS} in turn. */
    private SimulatedRecord invalid(int person, SplittableRandom random, Pseudonymizer pseudonymizer) {
        Region township = townships.get(random.nextInt(townships.size()));
        String nationalId = nationalId(person, township.code());
        LocalDate day = FIRST_DAY.plusDays(random.nextInt(DAYS));
        RegistrationEvent.Builder event = RegistrationEvent.newBuilder()
                .setEventId(uuid(random))
                .setPersonRef(pseudonymizer.personRef(nationalId))
                .setPersonRefKeyVersion(pseudonymizer.keyVersion())
                .setTownshipCode(township.code())
                .setTerminalId(terminalOf(township.code()))
                .setOccurredOn(day)
                .setRecordedAt(recordedAt(day, random, 0))
                .setPayload(new ReturneeRegistered(null, ReturnReason.OTHER));
        switch (person % INVALID_REASONS.size()) {
            case 0 -> event.setTownshipCode(regions.countyOf(township.code()).code().substring(0, 4) + "99999");
            case 1 -> event.setTownshipCode(regions.countyOf(township.code()).code());
            case 2 -> event.setPayload(new BusinessStarted(BusinessType.OTHER, 40_000_000L,
                    Policy.LOAN_CEILING_FEN + 100_000L * (1 + random.nextInt(50)), 1));
            case 3 -> event.setOccurredOn(LocalDate.of(2014, 12, 1 + random.nextInt(31)))
                    .setRecordedAt(recordedAt(day, random, 0));
            // a clerk takes back a record this person never had: well-formed, so only their history refutes it
            default -> event.setPayload(new RegistrationRetracted(uuid(random), RetractionReason.DATA_ENTRY_ERROR));
        }
        return new SimulatedRecord(nationalId, event.build(), Kind.INVALID);
    }

    /** Exactly {@code count} of {@code n} positions. */
    private static BitSet choose(int n, long count, SplittableRandom random) {
        BitSet chosen = new BitSet(n);
        if (count * 2 > n) {
            chosen.set(0, n);
            for (long removed = 0; removed < n - count; ) {
                int i = random.nextInt(n);
                if (chosen.get(i)) {
                    chosen.clear(i);
                    removed++;
                }
            }
            return chosen;
        }
        for (long added = 0; added < count; ) {
            int i = random.nextInt(n);
            if (!chosen.get(i)) {
                chosen.set(i);
                added++;
            }
        }
        return chosen;
    }
}
