package gov.yuancheng.supervision.mongowire;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's own memory backend, which reads every document of a collection for each query: what the
 * store's indexes and query planner must answer alike.
 */
class ScanningBackend extends MemoryBackend {

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (Hello.isHello(command)) {
            return Hello.fromIsMaster(super.handleCommand(channel, database, "isMaster", query));
        }
        return super.handleCommand(channel, database, command, query);
    }
}
