package gov.yuancheng.supervision.task.store;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A save sends the store what changed since the task was read, and leaves the store's own fields alone. */
class ChangedFieldsTest {

    @Test
    void onlyChangedFieldsAreSetAndFieldsTheTaskNoLongerHasAreRemoved() {
        Document before = new Document("_id", "t1").append("title", "标题").append("status", "ACTIVE")
                .append("assignments", List.of(new Document("unit", "dept-fgj").append("state", "ASSIGNED")))
                .append("statusReason", "暂停原因").append("outbox", List.of(new Document("_id", "e1")))
                .append("relayLeaseUntil", "later").append("titleGrams", List.of("标题"));
        Document after = new Document("title", "标题").append("status", "ACTIVE")
                .append("assignments", List.of(new Document("unit", "dept-fgj").append("state", "ACKNOWLEDGED")));

        Document update = TaskStore.changes(before, after).getUpdateObject();

        assertThat(update.get("$set", Document.class)).containsOnlyKeys("assignments");
        assertThat(update.get("$unset", Document.class)).containsOnlyKeys("statusReason");
    }

    @Test
    void aTaskNotReadThroughTheStoreSetsEveryField() {
        Document after = new Document("title", "标题").append("status", "ACTIVE");

        Document update = TaskStore.changes(null, after).getUpdateObject();

        assertThat(update.get("$set", Document.class)).containsOnlyKeys("title", "status");
        assertThat(update).doesNotContainKey("$unset");
    }
}
