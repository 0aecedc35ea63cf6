package org.homecoming.streams.view;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.state.HostInfo;
import org.homecoming.streams.topology.Bucket;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Forwards a query for buckets to the instance that owns them ({@code GET /internal/v1/totals}), and
 * gives up after the forward timeout.
 */
public class TotalsForwarder {

    /** Path of the internal endpoint answering from the local store only. */
    public static final String INTERNAL_PATH = "/internal/v1/totals";

    private static final ParameterizedTypeReference<List<StoredTotals>> LIST = new ParameterizedTypeReference<>() {
    };

    private final RestClient client;
    private final Duration timeout;

    public TotalsForwarder(Duration timeout) {
        this.timeout = timeout;
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(timeout).build());
        factory.setReadTimeout(timeout);
        this.client = RestClient.builder().requestFactory(factory).build();
    }

    /** The stored totals of buckets the given instance owns. */
    public List<StoredTotals> fetch(HostInfo owner, List<Bucket> buckets) {
        UriComponentsBuilder uri = UriComponentsBuilder.newInstance().scheme("http").host(owner.host())
                .port(owner.port()).path(INTERNAL_PATH);
        for (Bucket bucket : buckets) {
            uri.queryParam("bucket", bucket.text());
        }
        URI target = uri.encode().build().toUri();
        try {
            List<StoredTotals> answer = client.get().uri(target).retrieve().body(LIST);
            return answer == null ? List.of() : answer;
        } catch (RestClientException e) {
            throw new ViewUnavailableException("The instance owning these totals (" + owner.host() + ":" + owner.port()
                    + ") did not answer within " + timeout.toMillis() + " ms: " + e.getMessage(), e);
        }
    }
}
