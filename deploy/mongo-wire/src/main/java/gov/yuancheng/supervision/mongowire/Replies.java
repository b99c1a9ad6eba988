package gov.yuancheng.supervision.mongowire;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Answers of {@code find} and {@code findAndModify} carry copies of the stored documents, made under the collection's
 * lock. mongo-java-server answers with the stored documents themselves and encodes the reply after the lock is
 * released, while an update changes a stored document in place: a reply encoded while an update added or removed a
 * field failed with a {@link java.util.ConcurrentModificationException}, and the client saw its connection closed.
 * (The rest of a large answer, fetched later by {@code getMore}, is still the stored documents.)
 */
final class Replies {

    private Replies() {
    }

    static Document handle(MongoDatabase database, String command, Document query, Supplier<Document> handler) {
        boolean answersDocuments = command.equalsIgnoreCase("find") || command.equalsIgnoreCase("findAndModify");
        MongoCollection<?> collection = answersDocuments && query.get(command) instanceof String name
                ? database.resolveCollection(name, false) : null;
        if (collection == null) {
            return handler.get();
        }
        synchronized (collection) { // the monitor the collection's queries and updates hold
            Document reply = handler.get();
            if (reply.get("cursor") instanceof Document cursor && cursor.get("firstBatch") instanceof List<?> batch) {
                List<Object> copies = new ArrayList<>(batch.size());
                batch.forEach(document -> copies.add(document instanceof Document d ? d.cloneDeeply() : document));
                cursor.put("firstBatch", copies);
            }
            if (reply.get("value") instanceof Document value) {
                reply.put("value", value.cloneDeeply());
            }
            return reply;
        }
    }
}
