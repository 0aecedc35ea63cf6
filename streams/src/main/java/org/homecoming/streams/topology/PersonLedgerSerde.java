package org.homecoming.streams.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.streams.counting.EntryKind;
import org.homecoming.streams.counting.LedgerEntry;
import org.homecoming.streams.counting.PersonLedger;

/**
 * Compact binary form of a person ledger in {@link Names#PERSON_LEDGER_STORE} and its changelog (about
 * 60 bytes per event plus the township code). Internal state, so no schema registry: the leading format
 * version lets a later layout read this one.
 */
public final class PersonLedgerSerde implements Serde<PersonLedger> {

    private static final byte FORMAT = 1;

    @Override
    public Serializer<PersonLedger> serializer() {
        return (topic, ledger) -> ledger == null ? null : write(ledger);
    }

    @Override
    public Deserializer<PersonLedger> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(PersonLedger ledger) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 + ledger.entries().size() * 72);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT);
            out.writeInt(ledger.entries().size());
            for (LedgerEntry entry : ledger.entries()) {
                out.writeLong(entry.eventId().getMostSignificantBits());
                out.writeLong(entry.eventId().getLeastSignificantBits());
                out.writeByte(entry.kind().ordinal());
                out.writeUTF(entry.townshipCode());
                out.writeLong(entry.occurredOn().toEpochDay());
                out.writeLong(entry.recordedAtMillis());
                out.writeLong(entry.loanFen());
                out.writeLong(entry.jobs());
                out.writeBoolean(entry.targetEventId() != null);
                if (entry.targetEventId() != null) {
                    out.writeLong(entry.targetEventId().getMostSignificantBits());
                    out.writeLong(entry.targetEventId().getLeastSignificantBits());
                }
                out.writeBoolean(entry.retracted());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    static PersonLedger read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new SerializationException("Unknown person ledger format " + format);
            }
            int size = in.readInt();
            List<LedgerEntry> entries = new ArrayList<>(size);
            EntryKind[] kinds = EntryKind.values();
            for (int i = 0; i < size; i++) {
                UUID eventId = new UUID(in.readLong(), in.readLong());
                EntryKind kind = kinds[in.readByte()];
                String township = in.readUTF();
                LocalDate occurredOn = LocalDate.ofEpochDay(in.readLong());
                long recordedAt = in.readLong();
                long loan = in.readLong();
                long jobs = in.readLong();
                UUID target = in.readBoolean() ? new UUID(in.readLong(), in.readLong()) : null;
                boolean retracted = in.readBoolean();
                entries.add(new LedgerEntry(eventId, kind, township, occurredOn, recordedAt, loan, jobs, target, retracted));
            }
            return new PersonLedger(entries);
        } catch (IOException e) {
            throw new SerializationException("Corrupt person ledger", e);
        }
    }
}
