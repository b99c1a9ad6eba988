package gov.yuancheng.supervision.mongowire;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Answers the {@code hello} handshake command (MongoDB 4.4+, used by current drivers' health checks)
 * with the server's legacy {@code isMaster} reply, which mongo-java-server already knows.
 */
final class Hello {

    private Hello() {
    }

    static boolean isHello(String command) {
        return "hello".equalsIgnoreCase(command);
    }

    static Document fromIsMaster(Document isMaster) {
        Document reply = new Document(isMaster);
        reply.put("isWritablePrimary", Boolean.TRUE);
        reply.remove("ismaster");
        return reply;
    }
}
