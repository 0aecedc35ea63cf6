package org.homecoming.producer.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a national ID into the pseudonymous {@code personRef}: lowercase hex of HMAC-SHA256(key, ID). The
 * key and its version come from configuration held outside Kafka and PostgreSQL; without the key a
 * personRef cannot be traced back to an ID, and with a new key version the same ID maps elsewhere.
 */
public final class Pseudonymizer {

    private static final String ALGORITHM = "HmacSHA256";
    /** Shortest key accepted: HMAC-SHA256 keys below 32 bytes weaken the pseudonym. */
    public static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;
    private final int keyVersion;
    private final ThreadLocal<Mac> macs;

    public Pseudonymizer(byte[] key, int keyVersion) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The person key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.keyVersion = keyVersion;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** The personRef of a (valid, canonical) national ID. */
    public String personRef(String nationalId) {
        Mac mac = macs.get();
        return HexFormat.of().formatHex(mac.doFinal(nationalId.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Version of the key in use, written beside every personRef. */
    public int keyVersion() {
        return keyVersion;
    }

    @Override
    public String toString() {
        return "Pseudonymizer[keyVersion=" + keyVersion + "]";
    }
}
