package gov.yuancheng.supervision.mongowire;

import java.nio.file.Path;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend with automatic commits turned off: every command that changed something is committed
 * to the file before its reply is sent, so an acknowledged write survives a killed process. (The stock
 * backend commits about once a second, and a {@code kill -9} loses that second.)
 */
public class DurableH2Backend extends H2Backend {

    private final MVStore store;

    public DurableH2Backend(Path file) {
        this(new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open());
    }

    private DurableH2Backend(MVStore store) {
        super(store);
        this.store = store;
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
        if (store.hasUnsavedChanges()) {
            store.commit();
        }
    }
}
