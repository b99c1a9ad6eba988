package gov.yuancheng.supervision.mongowire;

import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/** The memory backend for tests, with the {@code hello} command and answers that carry {@link Replies copies}. */
public class InMemoryBackend extends MemoryBackend {

    @Override
    public MemoryDatabase openOrCreateDatabase(String name) {
        return new MemoryDatabase(name, getCursorRegistry()) {

            @Override
            public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver resolver,
                    Oplog oplog) {
                return Replies.handle(this, command, query,
                        () -> super.handleCommand(channel, command, query, resolver, oplog));
            }
        };
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (Hello.isHello(command)) {
            return Hello.fromIsMaster(super.handleCommand(channel, database, "isMaster", query));
        }
        return super.handleCommand(channel, database, command, query);
    }
}
