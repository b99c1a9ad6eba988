package gov.yuancheng.supervision.mongowire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's backend: mongo-java-server's H2 backend with the store's own {@link StoreDatabase}, in a file or (for
 * tests) in memory, answering the {@code hello} handshake of current drivers.
 *
 * <p>A file store is durable the way databases usually are, with a journal and checkpoints. Every write command is
 * written to the {@link Journal} after it is applied and before its reply is sent, so an acknowledged write survives a
 * killed process. About once a second a checkpoint commits the file store and starts a new journal; the previous one
 * is deleted once the commit is written. On opening, the commands in the journals the file store does not hold yet
 * are applied again, in their order. Write commands are applied one at a time, and a checkpoint falls between two of
 * them, never inside one; it holds them back only while the commit takes their changed pages, not while it writes
 * them. Reads run beside writes and checkpoints: no write changes a stored document in place ({@link StoreCollection}).
 * After a checkpoint the file store is compacted a little when it holds too many dead pages.
 *
 * <p>This store used to commit the file store after every command instead. Each such commit wrote the command's pages
 * again, with the file store's own bookkeeping for them: about 27 KB per update of a task. Under the task-service
 * benchmark the store took 2.2 ms of CPU per operation that way, and 0.96 ms with the journal. Its file grew four
 * times as fast.
 *
 * <p>Neither the journal nor the file store is forced to the disk: the store survives a killed process, not a power
 * cut. A command applied again from the journal does what it did the first time, except that ids the server makes up
 * itself (an upsert without an {@code _id} in its query) come out different.
 */
public class StoreBackend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(StoreBackend.class);

    /**
     * Entries per page (H2's default is 48). A commit writes every page a change touched, whole: a hundred inserts
     * with random ids touch about a hundred leaves of the data map and of each unique index, and their parents.
     * Smaller pages write fewer untouched neighbours; measured with inserts of 100 random-id documents at a time into
     * a collection of 100,000-300,000: 16 took 35-40 % less time than 48, and 8 more than 16 (deeper trees).
     */
    static final int KEYS_PER_PAGE = 16;

    /** The commands that change what is stored (in lower case), besides an aggregation that writes its result. */
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify", "create", "drop",
            "dropdatabase", "createindexes", "dropindexes", "deleteindexes", "renamecollection", "collmod",
            "bulkwrite");

    /**
     * Compaction after each checkpoint, which H2's own housekeeping would do but does not here (its writer thread never
     * commits by itself): while less than this percentage of the chunks' pages is live, the live pages of the emptiest
     * chunks are written again, up to {@link #COMPACT_BYTES} each time, with the next checkpoint; the chunks they
     * leave are reused. Each chunk keeps a few pages that are never changed again: after 15 minutes of the task-service
     * benchmark the file was 4.1 GB without compaction and 2.7 GB with it (a fifth and three tenths of its pages
     * live), at the same CPU per operation. It still grows under that load, more slowly.
     */
    static final int COMPACT_BELOW_FILL_RATE = 50;
    static final int COMPACT_BYTES = 4 * 1024 * 1024;

    /** The file store's map that records the journal generation it holds every command before. */
    private static final String CHECKPOINTS = "supervision.checkpoints";
    private static final String GENERATION = "journal-generation";

    private final Lock writes = new ReentrantLock();
    /** The journals' files: this, a dot and the generation. */
    private final Path journals;
    private Journal journal;
    private final ScheduledExecutorService checkpoints;

    /** A store kept in the file, which is created when missing, with its journals beside it. */
    public static StoreBackend inFile(Path file) {
        try {
            return new StoreBackend(new MVStore.Builder().fileName(file.toString()),
                    file.resolveSibling(file.getFileName() + ".journal"), Long.getLong("mongowire.checkpoint-ms", 1000));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot open the journal of " + file, e);
        }
    }

    /** A store kept in memory only, as the file store keeps its data but for the file and the journal. */
    public static StoreBackend inMemory() {
        try {
            return new StoreBackend(new MVStore.Builder(), null, 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e); // no file: cannot happen
        }
    }

    /**
     * The file store commits only at checkpoints: not after a second (the stock background commit) and not when its
     * unsaved pages pass a size (which H2 would do even with automatic commits turned off), either of which could
     * commit half a command.
     */
    private StoreBackend(MVStore.Builder store, Path journals, long checkpointMillis) throws IOException {
        super(store.autoCommitDisabled().autoCommitBufferSize(0).cacheSize(cacheMiB()).keysPerPage(KEYS_PER_PAGE)
                .open());
        this.journals = journals;
        if (journals == null) {
            checkpoints = null;
            return;
        }
        MVMap<String, Long> recorded = getMvStore().openMap(CHECKPOINTS);
        long inStore = recorded.getOrDefault(GENERATION, 0L);
        long generation = inStore;
        int replayed = 0;
        for (Map.Entry<Long, Path> written : journalFiles().entrySet()) {
            if (written.getKey() >= inStore) {
                List<byte[]> entries = Journal.entries(written.getValue(), written.getKey());
                replay(entries);
                replayed += entries.size();
                generation = written.getKey() + 1;
            }
        }
        if (generation != inStore) {
            recorded.put(GENERATION, generation);
            getMvStore().commit(); // before the journals are deleted
            log.info("Applied {} commands from the journals again", replayed);
        }
        for (Path stale : journalFiles().values()) {
            Files.delete(stale);
        }
        journal = Journal.start(journalFile(generation), generation);
        // H2's writer thread, which makes a commit write its pages while writes go on, with no commits of its own
        getMvStore().setAutoCommitDelay(Integer.MAX_VALUE);
        checkpoints = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "store-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        checkpoints.scheduleWithFixedDelay(this::checkpoint, checkpointMillis, checkpointMillis,
                TimeUnit.MILLISECONDS);
    }

    /** The journals in the folder by generation. */
    private SortedMap<Long, Path> journalFiles() throws IOException {
        SortedMap<Long, Path> files = new TreeMap<>();
        String prefix = journals.getFileName() + ".";
        try (var listed = Files.list(journals.toAbsolutePath().getParent())) {
            listed.forEach(file -> {
                String name = file.getFileName().toString();
                if (name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d{1,18}")) {
                    files.put(Long.parseLong(name.substring(prefix.length())), file);
                }
            });
        }
        return files;
    }

    private Path journalFile(long generation) {
        return journals.resolveSibling(journals.getFileName() + "." + generation);
    }

    /**
     * The page cache holds pages already read and decoded, measured in what their documents take on the heap: a
     * sixth of the heap, which {@code MONGO_WIRE_HEAP} sets (a 6 GiB heap caches about 170,000 tasks). A query that
     * no index serves reads its whole collection, from the file again when the collection outgrows the cache (at
     * 100,000 tasks and H2's own default of 16 MiB, such a search took longer than the services wait). At a third,
     * the cache, the documents' encodings and the indexes kept half the heap live under the load benchmark, and the
     * collector marked it without pause.
     */
    private static int cacheMiB() {
        return Integer.getInteger("mongowire.cache-mib",
                (int) Math.max(16, Runtime.getRuntime().maxMemory() / 6 / (1024 * 1024)));
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String name) {
        return new StoreDatabase(name, getMvStore(), getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (Hello.isHello(command)) {
            return Hello.fromIsMaster(super.handleCommand(channel, database, "isMaster", query));
        }
        if (journals == null || !isWrite(command, query)) {
            return super.handleCommand(channel, database, command, query);
        }
        writes.lock();
        try {
            try {
                return super.handleCommand(channel, database, command, query);
            }
            finally {
                // whatever it changed, also when it failed half way; with the ids the server gave inserted documents
                journal.append(StoreDatabase.BsonDocuments.encode(
                        new Document("db", database).append("command", command).append("query", query)));
            }
        }
        catch (IOException e) {
            log.error("Cannot write to the journal", e);
            throw new MongoServerException("the store cannot write its journal: " + e);
        }
        finally {
            writes.unlock();
        }
    }

    private static boolean isWrite(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        return WRITES.contains(name) || name.equals("aggregate") && query.get("pipeline") instanceof List<?> stages
                && stages.stream().anyMatch(stage -> stage instanceof Document document
                        && (document.containsKey("$out") || document.containsKey("$merge")));
    }

    /** Applies the journal's commands again, in their order, as they were applied the first time. */
    private void replay(List<byte[]> entries) {
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            for (byte[] entry : entries) {
                Document written = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(entry));
                try {
                    super.handleCommand(channel, (String) written.get("db"), (String) written.get("command"),
                            (Document) written.get("query"));
                }
                catch (RuntimeException e) {
                    // it failed the first time too (its client was told so), after the same changes
                    log.debug("A command from the journal failed again: {}", e.toString());
                }
            }
        }
        finally {
            channel.close();
        }
    }

    /**
     * Commits the file store with the next journal generation recorded in it, and starts that generation's journal;
     * deletes the previous one once the commit is written. Writes wait only while the commit takes what they changed,
     * not while it is written: then they go to the new journal.
     */
    private void checkpoint() {
        Journal previous;
        Journal fresh = null;
        writes.lock();
        try {
            if (journal.isEmpty()) {
                return;
            }
            long next = journal.generation() + 1;
            fresh = Journal.start(journalFile(next), next); // before the file store records it
            getMvStore().<String, Long>openMap(CHECKPOINTS).put(GENERATION, next);
            if (getMvStore().tryCommit() < 0) {
                getMvStore().commit(); // something else held the file store: wait for it
            }
            previous = journal;
            journal = fresh;
        }
        catch (IOException | RuntimeException e) {
            log.error("Checkpoint failed; the journal keeps the writes", e);
            if (fresh != null) {
                delete(fresh);
            }
            return;
        }
        finally {
            writes.unlock();
        }
        getMvStore().getFileStore().executeFileStoreOperation(() -> {
        }); // the commit is written
        delete(previous);
        try {
            getMvStore().compact(COMPACT_BELOW_FILL_RATE, COMPACT_BYTES);
        }
        catch (RuntimeException e) {
            log.warn("Compacting the file store failed; it is tried again after the next checkpoint", e);
        }
    }

    private static void delete(Journal journal) {
        try {
            journal.close();
            Files.delete(journal.path());
        }
        catch (IOException e) {
            log.error("Cannot delete the journal {}", journal.path(), e);
        }
    }

    @Override
    public void close() {
        if (journals == null) {
            super.close();
            return;
        }
        checkpoints.shutdown();
        try {
            checkpoints.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writes.lock();
        try {
            getMvStore().<String, Long>openMap(CHECKPOINTS).put(GENERATION, journal.generation() + 1);
            super.close(); // commits
            journal.close();
            for (Path written : journalFiles().values()) {
                Files.delete(written);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the journals", e);
        }
        finally {
            writes.unlock();
        }
    }
}
