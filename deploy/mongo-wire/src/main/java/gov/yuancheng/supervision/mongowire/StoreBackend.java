package gov.yuancheng.supervision.mongowire;

import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * The store's backend: mongo-java-server's H2 backend with the store's own {@link StoreDatabase}, in a file or (for
 * tests) in memory, answering the {@code hello} handshake of current drivers.
 *
 * <p>Automatic commits are turned off: every command that changed something is committed to the file before its
 * reply is sent, so an acknowledged write survives a killed process. (The stock backend commits about once a second,
 * and a {@code kill -9} loses that second.) Group commit: a command whose changes a commit made meanwhile by another
 * connection already wrote (the store's version moved past the one its changes went into) does not commit again.
 * Under concurrent writers one commit carries the changes of all the commands that finished while the previous one
 * was being written. Commands run beside a commit: none changes a stored document in place ({@link StoreCollection}).
 */
public class StoreBackend extends H2Backend {

    /**
     * Entries per page (H2's default is 48). A commit writes every page a change touched, whole: a hundred inserts
     * with random ids touch about a hundred leaves of the data map and of each unique index, and their parents.
     * Smaller pages write fewer untouched neighbours; measured with inserts of 100 random-id documents at a time into
     * a collection of 100,000-300,000: 16 took 35-40 % less time than 48, and 8 more than 16 (deeper trees).
     */
    static final int KEYS_PER_PAGE = 16;

    private final Lock commits = new ReentrantLock();

    /** A store kept in the file, which is created when missing. */
    public static StoreBackend inFile(Path file) {
        return new StoreBackend(new MVStore.Builder().fileName(file.toString()));
    }

    /** A store kept in memory only, as the file store keeps its data but for the file. */
    public static StoreBackend inMemory() {
        return new StoreBackend(new MVStore.Builder());
    }

    private StoreBackend(MVStore.Builder store) {
        super(store.autoCommitDisabled().cacheSize(cacheMiB()).keysPerPage(KEYS_PER_PAGE).open());
    }

    /**
     * The page cache holds pages already read and decoded. A query without an {@code _id} scans its collection;
     * when the collection outgrows the cache, every scan decodes it from the file again (at 100,000 tasks and the
     * store's own default of 16 MiB, a search took longer than the services wait): a third of the heap, which
     * {@code MONGO_WIRE_HEAP} sets.
     */
    private static int cacheMiB() {
        return (int) Math.max(16, Runtime.getRuntime().maxMemory() / 3 / (1024 * 1024));
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String name) {
        return new StoreDatabase(name, getMvStore(), getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document reply = Hello.isHello(command)
                ? Hello.fromIsMaster(super.handleCommand(channel, database, "isMaster", query))
                : super.handleCommand(channel, database, command, query);
        commitIfChanged();
        return reply;
    }

    private void commitIfChanged() {
        MVStore store = getMvStore();
        // Read after the command: its changes are in this version or an earlier one.
        long version = store.getCurrentVersion();
        commits.lock();
        try {
            if (store.getCurrentVersion() == version && store.hasUnsavedChanges()) {
                store.commit();
            }
        }
        finally {
            commits.unlock();
        }
    }
}
