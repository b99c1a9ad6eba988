package gov.yuancheng.supervision.notify.inbox;

import java.util.ArrayList;
import java.util.List;

import gov.yuancheng.supervision.notify.store.Inserts;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/** The in-app inboxes of users and units. */
@Repository
public class Inbox {

    private final MongoTemplate mongo;

    public Inbox(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @EventListener(ApplicationReadyEvent.class)
    void createIndexes() {
        var indexes = mongo.indexOps(Notice.class);
        indexes.createIndex(new Index().on("recipientUnit", Sort.Direction.ASC).on("createdAt", Sort.Direction.DESC)
                .named("unit_created"));
        indexes.createIndex(new Index().on("recipientUser", Sort.Direction.ASC).on("createdAt", Sort.Direction.DESC)
                .sparse().named("user_created"));
    }

    /** Delivers the notices, each unless a notice with its id is already there; returns how many were new. */
    public int deliver(List<Notice> notices) {
        return Inserts.newOnly(mongo, Notice.class, notices);
    }

    public Page<Notice> list(Recipient recipient, Pageable pageable) {
        Query query = new Query(addressedTo(recipient));
        long total = mongo.count(query, Notice.class);
        return new PageImpl<>(mongo.find(query.with(pageable).with(Sort.by(Sort.Direction.DESC, "createdAt")),
                Notice.class), pageable, total);
    }

    public long unread(Recipient recipient) {
        return mongo.count(new Query(new Criteria().andOperator(addressedTo(recipient),
                Criteria.where("readBy").ne(recipient.username()))), Notice.class);
    }

    /** Marks a notice read for this user; false when the notice is not theirs to see. */
    public boolean markRead(String id, Recipient recipient) {
        Query query = new Query(new Criteria().andOperator(Criteria.where("_id").is(id), addressedTo(recipient)));
        return mongo.updateFirst(query, new Update().addToSet("readBy", recipient.username()), Notice.class)
                .getMatchedCount() == 1;
    }

    private static Criteria addressedTo(Recipient recipient) {
        List<Criteria> any = new ArrayList<>();
        any.add(Criteria.where("recipientUser").is(recipient.username()));
        if (recipient.unit() != null) {
            any.add(Criteria.where("recipientUnit").is(recipient.unit()));
        }
        return new Criteria().orOperator(any);
    }
}
