package gov.yuancheng.supervision.notify.preference;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

@Component
public class Preferences {

    private final MongoTemplate mongo;

    public Preferences(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    public Preference of(String username) {
        Preference stored = mongo.findById(username, Preference.class);
        return stored == null ? Preference.defaults(username) : stored;
    }

    public Preference save(Preference preference) {
        return mongo.save(preference);
    }
}
