package org.homecoming.local.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The passwords of a secured embedded stack, one file per account under a folder only its owner can read.
 * A password given in the environment ({@code HOMECOMING_SECRET_<ACCOUNT>}, the account upper-cased with every
 * other character as {@code _}) wins over the file, so an operator can pin one without editing files; a file
 * that does not exist yet is generated on first use and kept, so a restarted stack finds the credentials its
 * broker and database were created with.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Map<String, String> environment;

    private Secrets(Path dir, Map<String, String> environment) {
        this.dir = dir;
        this.environment = environment;
    }

    /** The secrets folder {@code dir}, created with mode 0700 when missing, reading overrides from the process environment. */
    public static Secrets in(Path dir) throws IOException {
        return in(dir, System.getenv());
    }

    static Secrets in(Path dir, Map<String, String> environment) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute.getParent());
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return new Secrets(absolute, environment);
    }

    public Path dir() {
        return dir;
    }

    /** Where the file of {@code account} is, whether or not it exists yet. */
    public Path file(String account) {
        if (!account.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("Not an account name: " + account);
        }
        return dir.resolve(account);
    }

    /** The password of {@code account}: the environment's, else the file's, else a new one written to the file. */
    public String password(String account) throws IOException {
        Optional<String> fromEnvironment = Optional.ofNullable(environment.get(variable(account))).filter(s -> !s.isBlank());
        if (fromEnvironment.isPresent()) {
            return fromEnvironment.get();
        }
        Path file = file(account);
        if (!Files.exists(file)) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            // URL-safe without padding: no character needs quoting in a JAAS line, a JDBC URL or pg_hba.
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))), generated, StandardCharsets.UTF_8,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // another process of the same stack wrote it first: its password is the one to use
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    /** The environment variable that overrides the file of {@code account}. */
    public static String variable(String account) {
        return "HOMECOMING_SECRET_" + account.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
