package org.homecoming.streams.view;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Pushes the province and city totals to open streams when they change. One loop per instance reads
 * the 12 buckets of each period someone watches (wherever they live) at most once per push interval and
 * sends a snapshot only when it differs from the last one sent, so any number of changes in an interval
 * become one push, and thousands of dashboards cost the view one read per interval, not one each.
 */
public class TotalsPushService implements SmartLifecycle {

    /** Name of the event carrying a {@link PushSnapshot}. */
    public static final String EVENT = "totals";

    private static final Logger LOG = LoggerFactory.getLogger(TotalsPushService.class);

    private final TotalsQueryService queries;
    private final TotalsViewProperties properties;
    private final Clock clock;
    private final List<Region> provinceAndCities;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Period, PushSnapshot> lastSent = new HashMap<>();
    private volatile ScheduledExecutorService loop;

    public TotalsPushService(TotalsQueryService queries, TotalsViewProperties properties, Clock clock) {
        this.queries = queries;
        this.properties = properties;
        this.clock = clock;
        Regions regions = queries.regions();
        List<Region> watched = new ArrayList<>();
        watched.add(regions.find(Regions.PROVINCE_CODE).orElseThrow());
        watched.addAll(regions.children(Regions.PROVINCE_CODE));
        this.provinceAndCities = List.copyOf(watched);
    }

    private static final class Subscription {
        private final Period period;
        private final PushSubscriber subscriber;
        private volatile boolean fresh = true;
        private volatile Instant lastWrite;

        private Subscription(Period period, PushSubscriber subscriber, Instant now) {
            this.period = period;
            this.subscriber = subscriber;
            this.lastWrite = now;
        }
    }

    /**
     * Opens a stream of a period; its first push is the current snapshot.
     *
     * @return what ends the subscription (idempotent)
     * @throws ViewUnavailableException when this instance already holds the most streams it may
     */
    public Runnable subscribe(Period period, PushSubscriber subscriber) {
        if (open.incrementAndGet() > properties.maxStreams()) {
            open.decrementAndGet();
            throw new ViewUnavailableException("This instance already serves " + properties.maxStreams()
                    + " push streams; try another instance or later");
        }
        Subscription subscription = new Subscription(period, subscriber, clock.instant());
        subscriptions.add(subscription);
        return () -> {
            if (subscriptions.remove(subscription)) {
                open.decrementAndGet();
            }
        };
    }

    /** Open streams on this instance. */
    public int openStreams() {
        return open.get();
    }

    /** One round: read each watched period, push what changed, heartbeat the idle. Runs on the loop thread. */
    void pushOnce() {
        Map<Period, List<Subscription>> byPeriod = new LinkedHashMap<>();
        for (Subscription subscription : subscriptions) {
            byPeriod.computeIfAbsent(subscription.period, p -> new ArrayList<>()).add(subscription);
        }
        lastSent.keySet().retainAll(byPeriod.keySet());
        Instant now = clock.instant();
        for (Map.Entry<Period, List<Subscription>> watched : byPeriod.entrySet()) {
            PushSnapshot snapshot;
            try {
                snapshot = snapshot(watched.getKey());
            } catch (ViewUnavailableException e) {
                LOG.debug("No push for {} this round: {}", watched.getKey().text(), e.getMessage());
                continue;
            }
            boolean changed = !snapshot.equals(lastSent.put(watched.getKey(), snapshot));
            for (Subscription subscription : watched.getValue()) {
                if (changed || subscription.fresh) {
                    write(subscription, now, s -> s.send(EVENT, snapshot));
                    subscription.fresh = false;
                }
            }
        }
        for (Subscription subscription : subscriptions) {
            if (!subscription.lastWrite.plus(properties.heartbeat()).isAfter(now)) {
                write(subscription, now, PushSubscriber::heartbeat);
            }
        }
    }

    /** The province and city totals of a period. */
    public PushSnapshot snapshot(Period period) {
        List<RegionTotals> totals = queries.totalsOf(provinceAndCities, period);
        return new PushSnapshot(period.text(), totals.get(0), List.copyOf(totals.subList(1, totals.size())));
    }

    private interface Write {
        void to(PushSubscriber subscriber) throws IOException;
    }

    private void write(Subscription subscription, Instant now, Write write) {
        try {
            write.to(subscription.subscriber);
            subscription.lastWrite = now;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Push stream closed: {}", e.getMessage());
            if (subscriptions.remove(subscription)) {
                open.decrementAndGet();
            }
            subscription.subscriber.close();
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "totals-push");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.pushInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                pushOnce();
            } catch (RuntimeException e) {
                LOG.warn("Push round failed", e);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        loop = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = loop;
        if (executor != null) {
            executor.shutdownNow();
            loop = null;
        }
        for (Subscription subscription : subscriptions) {
            subscription.subscriber.close();
        }
        subscriptions.clear();
        open.set(0);
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
