package org.homecoming.producer.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.homecoming.producer.ProducerProperties;
import org.homecoming.schemas.region.Regions;

/**
 * The terminals allowed to post, found by the SHA-256 of their bearer token: tokens are configured as
 * hashes, so the configuration never holds a usable token.
 */
public final class Terminals {

    private static final String BEARER = "Bearer ";

    private final Map<String, Terminal> byTokenHash = new HashMap<>();
    private final Regions regions;

    public Terminals(List<ProducerProperties.Terminal> configured, Regions regions) {
        this.regions = regions;
        for (ProducerProperties.Terminal terminal : configured) {
            for (String code : terminal.townships()) {
                if (regions.find(code).isEmpty()) {
                    throw new IllegalArgumentException("Terminal " + terminal.id() + " serves unknown region " + code);
                }
            }
            if (byTokenHash.put(terminal.tokenSha256(), new Terminal(terminal.id(), Set.copyOf(terminal.townships()))) != null) {
                throw new IllegalArgumentException("Two terminals share one token hash: " + terminal.id());
            }
        }
    }

    /** An authenticated terminal and the region codes it serves. */
    public record Terminal(String id, Set<String> regionCodes) {
    }

    /** Number of configured terminals. */
    public int size() {
        return byTokenHash.size();
    }

    /** The terminal whose token is in this {@code Authorization} header, if any. */
    public Optional<Terminal> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).trim();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byTokenHash.get(sha256Hex(token)));
    }

    /** True when the terminal serves this township (itself, or a region above it). */
    public boolean serves(Terminal terminal, String townshipCode) {
        if (!regions.isTownship(townshipCode)) {
            return false;
        }
        for (String code : regions.lineage(townshipCode)) {
            if (terminal.regionCodes().contains(code)) {
                return true;
            }
        }
        return false;
    }

    /** Lowercase hex SHA-256 of a token, the form in which tokens are configured. */
    public static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
