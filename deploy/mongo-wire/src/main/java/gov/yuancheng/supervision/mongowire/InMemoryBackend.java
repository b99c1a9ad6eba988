package gov.yuancheng.supervision.mongowire;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/** The memory backend for tests, with the {@code hello} command. */
public class InMemoryBackend extends MemoryBackend {

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (Hello.isHello(command)) {
            return Hello.fromIsMaster(super.handleCommand(channel, database, "isMaster", query));
        }
        return super.handleCommand(channel, database, command, query);
    }
}
