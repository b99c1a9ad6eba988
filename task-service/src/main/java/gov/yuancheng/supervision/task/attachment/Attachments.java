package gov.yuancheng.supervision.task.attachment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.gridfs.model.GridFSFile;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Task;
import org.bson.Document;
import org.bson.types.ObjectId;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.gridfs.GridFsTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Evidence attached to progress reports, kept in GridFS with the task and the unit it belongs to.
 * A unit reads only its own unit's files; the office, leaders of the task and inspectors read all.
 */
@Component
public class Attachments {

    private final GridFsTemplate gridFs;
    private final long maxBytes;

    public Attachments(GridFsTemplate gridFs, @Value("${supervision.attachments.max-size:10MB}") DataSize maxSize) {
        this.gridFs = gridFs;
        this.maxBytes = maxSize.toBytes();
    }

    public record Stored(String id, String filename, long size, String contentType, String sha256, Instant uploadedAt) {
    }

    public Stored store(Task task, Actor actor, String filename, byte[] content) {
        if (content.length == 0) {
            throw new RefusedFileException("The file is empty.");
        }
        if (content.length > maxBytes) {
            throw new FileTooLargeException("The file is larger than " + DataSize.ofBytes(maxBytes).toMegabytes() + " MB.");
        }
        String name = filename == null || filename.isBlank() ? "附件" : filename.replaceAll("[\\\\/\\p{Cntrl}]", "_");
        if (name.length() > 200) {
            name = name.substring(name.length() - 200);
        }
        String type = ContentCheck.contentType(name, ContentCheck.head(content, 4096));
        Document metadata = new Document("taskId", task.id()).append("unit", actor.unit())
                .append("uploadedBy", actor.username()).append("contentType", type).append("sha256", sha256(content));
        ObjectId id = gridFs.store(new ByteArrayInputStream(content), name, type, metadata);
        return new Stored(id.toHexString(), name, content.length, type, metadata.getString("sha256"), Instant.now());
    }

    /** A file of this task that the actor may read; empty otherwise, so that the answer is 404. */
    public Optional<GridFSFile> find(Task task, String id, Actor actor) {
        if (!ObjectId.isValid(id)) {
            return Optional.empty();
        }
        GridFSFile file = gridFs.findOne(Query.query(Criteria.where("_id").is(new ObjectId(id))));
        if (file == null || file.getMetadata() == null || !task.id().equals(file.getMetadata().getString("taskId"))) {
            return Optional.empty();
        }
        boolean sameUnit = actor.unit() != null && actor.unit().equals(file.getMetadata().getString("unit"));
        boolean readsAll = task.assignmentsVisibleTo(actor).size() == task.assignments().size();
        return readsAll || sameUnit ? Optional.of(file) : Optional.empty();
    }

    public InputStream open(GridFSFile file) throws IOException {
        return gridFs.getResource(file).getInputStream();
    }

    /** Reports may cite only files uploaded to this task by the reporting unit. */
    public void requireOwn(Task task, Actor actor, List<String> ids) {
        for (String id : ids) {
            if (find(task, id, actor).filter(f -> actor.unit() != null
                    && actor.unit().equals(f.getMetadata().getString("unit"))).isEmpty()) {
                throw new IllegalArgumentException("Attachment " + id + " is not one of your unit's files on this task.");
            }
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
