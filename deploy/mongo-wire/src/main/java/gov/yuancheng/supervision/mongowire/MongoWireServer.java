package gov.yuancheng.supervision.mongowire;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;

/**
 * A MongoDB-wire server for the local stack: {@code MongoWireServer <port> <data-dir>} keeps its data in
 * {@code <data-dir>/store.mv}; bound to loopback only. Services reach it with the official driver,
 * exactly as they reach a real MongoDB replica set in production.
 */
public final class MongoWireServer {

    private MongoWireServer() {
    }

    public static MongoServer inMemory(String host, int port) {
        MongoServer server = new MongoServer(StoreBackend.inMemory());
        server.bind(host, port);
        return server;
    }

    public static MongoServer durable(Path dataDir, String host, int port) throws Exception {
        Files.createDirectories(dataDir);
        MongoServer server = new MongoServer(StoreBackend.inFile(dataDir.resolve("store.mv")));
        server.bind(host, port);
        return server;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MongoWireServer <port> <data-dir>");
            System.exit(2);
        }
        MongoServer server = durable(Path.of(args[1]), "127.0.0.1", Integer.parseInt(args[0]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }));
        InetSocketAddress address = server.getLocalAddress();
        System.out.println("Mongo-wire store listening on " + address.getHostString() + ":" + address.getPort());
        stopped.await();
    }
}
