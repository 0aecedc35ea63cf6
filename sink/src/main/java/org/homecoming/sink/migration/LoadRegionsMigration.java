package org.homecoming.sink.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;

/**
 * Migration 3: loads every division of the reference data into {@code region}. Java rather than generated
 * SQL so the rows come from the same parser ({@link Regions}) that the gateway and the streams app validate
 * against: there is no second copy to drift. The checksum is the CRC-32 of the CSV, so a changed reference
 * file fails Flyway's validation instead of silently differing from the database; a change of the data then
 * needs a new migration.
 */
public final class LoadRegionsMigration implements JavaMigration {

    static final String INSERT = """
            INSERT INTO region (code, level, parent_code, name_zh, name_en, division_type, statistical_zone)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """;

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("3");
    }

    @Override
    public String getDescription() {
        return "load regions from shanxi-divisions.csv";
    }

    @Override
    public Integer getChecksum() {
        try (InputStream in = Regions.class.getResourceAsStream(Regions.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Reference data missing from the classpath: " + Regions.RESOURCE);
            }
            CRC32 crc = new CRC32();
            crc.update(in.readAllBytes());
            return (int) crc.getValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        // parents before children, for the self-referencing foreign key
        List<Region> regions = Regions.shanxi().all().stream()
                .sorted(Comparator.comparing(Region::level).thenComparing(Region::code))
                .toList();
        try (PreparedStatement insert = context.getConnection().prepareStatement(INSERT)) {
            for (Region region : regions) {
                insert.setString(1, region.code());
                insert.setString(2, region.level().name());
                insert.setString(3, region.parentCode());
                insert.setString(4, region.nameZh());
                insert.setString(5, region.nameEn());
                insert.setString(6, region.divisionType());
                insert.setBoolean(7, region.statistical());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
