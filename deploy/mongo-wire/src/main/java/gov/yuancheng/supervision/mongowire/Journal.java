package gov.yuancheng.supervision.mongowire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A journal of the store: write commands in the order they were applied, each written before its reply is sent. A
 * journal has a generation (in its file's name and its header): a checkpoint starts the next generation's journal
 * while it commits the file store with that generation recorded in it, so every journal of an earlier generation than
 * the file store records is in the file store. Each entry carries its length and a checksum: an entry cut short by a
 * killed process (whose command was never answered) ends the journal.
 */
final class Journal implements AutoCloseable {

    private static final int MAGIC = 0x534a4e4c; // "SJNL"
    private static final int HEADER = Integer.BYTES + Long.BYTES;
    private static final int ENTRY_HEADER = 2 * Integer.BYTES;

    private final Path path;
    private final FileChannel file;
    private final long generation;
    private long size;

    private Journal(Path path, long generation) throws IOException {
        this.path = path;
        this.generation = generation;
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        write(ByteBuffer.allocate(HEADER).putInt(MAGIC).putLong(generation).flip(), 0);
        size = HEADER;
    }

    /** A new, empty journal of the given generation in the given file (emptied if it exists). */
    static Journal start(Path path, long generation) throws IOException {
        return new Journal(path, generation);
    }

    /**
     * The entries of the journal in the file when it is of the given generation (none when it is missing, of
     * another generation or not a journal), up to the first that is incomplete or damaged.
     */
    static List<byte[]> entries(Path path, long generation) throws IOException {
        if (!Files.exists(path)) {
            return List.of();
        }
        ByteBuffer journal = ByteBuffer.wrap(Files.readAllBytes(path));
        if (journal.remaining() < HEADER || journal.getInt() != MAGIC || journal.getLong() != generation) {
            return List.of();
        }
        List<byte[]> entries = new ArrayList<>();
        while (journal.remaining() >= ENTRY_HEADER) {
            int length = journal.getInt();
            int checksum = journal.getInt();
            if (length < 0 || length > journal.remaining()) {
                break;
            }
            byte[] entry = new byte[length];
            journal.get(entry);
            if (checksum(entry) != checksum) {
                break;
            }
            entries.add(entry);
        }
        return entries;
    }

    /** Adds an entry at the end, written to the file (the operating system's) before this returns. */
    void append(byte[] entry) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_HEADER + entry.length).putInt(entry.length)
                .putInt(checksum(entry)).put(entry).flip();
        write(buffer, size);
        size += ENTRY_HEADER + entry.length;
    }

    boolean isEmpty() {
        return size == HEADER;
    }

    long generation() {
        return generation;
    }

    Path path() {
        return path;
    }

    private void write(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += file.write(buffer, position);
        }
    }

    private static int checksum(byte[] entry) {
        CRC32C crc = new CRC32C();
        crc.update(entry);
        return (int) crc.getValue();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
