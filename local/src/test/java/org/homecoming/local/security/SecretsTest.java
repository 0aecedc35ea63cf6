package org.homecoming.local.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path tmp;

    @Test
    void a_missing_password_is_generated_once_into_a_file_only_its_owner_can_read() throws Exception {
        Secrets secrets = Secrets.in(tmp.resolve("secrets"), Map.of());

        String first = secrets.password("sink");

        assertThat(first).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
        assertThat(Secrets.in(tmp.resolve("secrets"), Map.of()).password("sink")).isEqualTo(first);
        assertThat(secrets.password("gateway")).isNotEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.file("sink")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.dir()))).isEqualTo("rwx------");
    }

    @Test
    void the_environment_overrides_the_file_and_writes_nothing() throws Exception {
        Secrets secrets = Secrets.in(tmp.resolve("secrets"), Map.of("HOMECOMING_SECRET_HOMECOMING_BI", "from-env"));

        assertThat(secrets.password("homecoming_bi")).isEqualTo("from-env");
        assertThat(secrets.file("homecoming_bi")).doesNotExist();
    }

    @Test
    void an_account_name_cannot_leave_the_folder() throws Exception {
        Secrets secrets = Secrets.in(tmp.resolve("secrets"), Map.of());

        assertThatThrownBy(() -> secrets.file("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }
}
