package gov.yuancheng.supervision.task;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import gov.yuancheng.supervision.task.store.TaskStore;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import static org.assertj.core.api.Assertions.assertThat;

/** A search by text finds it anywhere inside a title, through the index of the titles' character pairs. */
class TitleSearchTest extends ServiceTestBase {

    @Autowired
    MongoTemplate mongo;
    @Autowired
    TaskStore store;

    @Test
    void textIsFoundAnywhereInsideATitleAndOnlyWhereItIsWholeAndInOrder() throws Exception {
        String mark = UUID.randomUUID().toString().substring(0, 8);
        String id = newTask("推进高新区三期建设 " + mark).get("id").asString();
        String park = newTask("低碳工业园三期 " + mark).get("id").asString();

        assertThat(ids("三期建设 " + mark)).containsExactly(id);
        assertThat(ids("新区三期建设")).contains(id);
        assertThat(ids(mark)).hasSize(2);
        assertThat(ids("三期督办 " + mark)).as("every pair, but not in this order").isEmpty();
        assertThat(ids("设 " + mark)).containsExactly(id);
        assertThat(ids("园")).as("one character: no pair, every title read").contains(park).doesNotContain(id);
        assertThat(mongo.findById(id, Document.class, "tasks").getList("titleGrams", String.class))
                .startsWith("推进", "进高").contains(mark.substring(0, 2));
    }

    @Test
    void tasksStoredWithoutTheirTitlesPairsAreGivenThemAndFoundAgain() throws Exception {
        String mark = UUID.randomUUID().toString().substring(0, 8);
        String id = newTask("中山大道商圈 " + mark).get("id").asString();
        long version = read(get("/api/tasks/" + id, OFFICE)).get("version").asLong();
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().unset("titleGrams"), "tasks");
        assertThat(ids("商圈 " + mark)).as("the pairs are what the search reads").isEmpty();

        store.addMissingTitleGrams();

        assertThat(ids("商圈 " + mark)).containsExactly(id);
        assertThat(read(get("/api/tasks/" + id, OFFICE)).get("version").asLong()).as("not a change").isEqualTo(version);
    }

    private List<String> ids(String text) throws Exception {
        var found = read(get("/api/tasks?size=50&q=" + URLEncoder.encode(text, StandardCharsets.UTF_8), OFFICE));
        return found.get("content").valueStream().map(task -> task.get("id").asString()).toList();
    }
}
