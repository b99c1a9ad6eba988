package gov.yuancheng.supervision.testing;

import java.net.InetSocketAddress;

import de.bwaldvogel.mongo.MongoServer;
import gov.yuancheng.supervision.mongowire.MongoWireServer;

/** A Mongo-wire server on a free loopback port, spoken to over the wire by the official driver. */
public final class MongoWireTestServer {

    private static MongoServer server;
    private static InetSocketAddress address;

    private MongoWireTestServer() {
    }

    /** One server per test JVM, shared by the Spring contexts that the test run caches. */
    public static synchronized String uri(String database) {
        if (server == null) {
            server = MongoWireServer.inMemory("127.0.0.1", 0);
            address = server.getLocalAddress();
            // No shutdown hook: it would stop the store while Spring is still closing the cached contexts, whose
            // scheduled jobs then wait for the driver's timeouts. The server dies with the test JVM.
        }
        return "mongodb://127.0.0.1:" + address.getPort() + "/" + database;
    }
}
