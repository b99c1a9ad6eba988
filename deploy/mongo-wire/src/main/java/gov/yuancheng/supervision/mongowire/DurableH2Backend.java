package gov.yuancheng.supervision.mongowire;

import java.nio.file.Path;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend with automatic commits turned off: every command that changed something is committed
 * to the file before its reply is sent, so an acknowledged write survives a killed process. (The stock
 * backend commits about once a second, and a {@code kill -9} loses that second.)
 *
 * <p>Group commit: a command whose changes a commit made meanwhile by another connection already wrote (the
 * store's version moved past the one its changes went into) does not commit again. Under concurrent writers one
 * commit carries the changes of all the commands that finished while the previous one was being written.
 *
 * <p>No update runs while a commit writes: the backend updates a stored document by changing the very object that
 * the map holds, and a commit encoding that object at the same moment failed with a
 * {@link java.util.ConcurrentModificationException}, after which the file store closes itself. Updates share a
 * read lock; a commit takes the write lock. Other commands (reads, inserts, removals) change no stored object and
 * run beside a commit.
 */
public class DurableH2Backend extends H2Backend {

    /**
     * Entries per page (H2's default is 48). A commit writes every page a change touched, whole: a hundred inserts
     * with random ids touch about a hundred leaves of the data map and of each unique index, and their parents.
     * Smaller pages write fewer untouched neighbours; measured with inserts of 100 random-id documents at a time into
     * a collection of 100,000-300,000: 16 took 35-40 % less time than 48, and 8 more than 16 (deeper trees).
     */
    static final int KEYS_PER_PAGE = 16;

    private final ReadWriteLock commits = new ReentrantReadWriteLock();

    public DurableH2Backend(Path file) {
        super(new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().cacheSize(cacheMiB())
                .keysPerPage(KEYS_PER_PAGE).open());
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
        Document reply;
        boolean inPlace = command.equalsIgnoreCase("update") || command.equalsIgnoreCase("findAndModify");
        if (inPlace) {
            commits.readLock().lock();
        }
        try {
            reply = Hello.isHello(command)
                    ? Hello.fromIsMaster(super.handleCommand(channel, database, "isMaster", query))
                    : super.handleCommand(channel, database, command, query);
        }
        finally {
            if (inPlace) {
                commits.readLock().unlock();
            }
        }
        commitIfChanged();
        return reply;
    }

    private void commitIfChanged() {
        MVStore store = getMvStore();
        // Read after the command: its changes are in this version or an earlier one.
        long version = store.getCurrentVersion();
        commits.writeLock().lock();
        try {
            if (store.getCurrentVersion() == version && store.hasUnsavedChanges()) {
                store.commit();
            }
        }
        finally {
            commits.writeLock().unlock();
        }
    }
}
