package gov.yuancheng.supervision.notify.store;

import java.util.List;

import com.mongodb.bulk.BulkWriteError;

import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.MongoTemplate;

/** Inserts of documents whose ids say what they are, so that one already stored is the same one. */
public final class Inserts {

    private static final int DUPLICATE_KEY = 11000;

    private Inserts() {
    }

    /**
     * Inserts every document whose id is not stored yet, in one unordered bulk write; returns how many were new.
     * Any failure other than an id that is already there is thrown.
     */
    public static int newOnly(MongoTemplate mongo, Class<?> type, List<?> documents) {
        if (documents.isEmpty()) {
            return 0;
        }
        try {
            return mongo.bulkOps(BulkMode.UNORDERED, type).insert(documents)
                    .execute().getInsertedCount();
        }
        catch (BulkOperationException e) {
            for (BulkWriteError error : e.getErrors()) {
                if (error.getCode() != DUPLICATE_KEY) {
                    throw e;
                }
            }
            return e.getResult().getInsertedCount();
        }
    }
}
