package gov.yuancheng.supervision.mongowire;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies written with the stored documents' remembered encodings are the server's own replies, byte for byte. */
class ReplyEncoderTest {

    @Test
    void aReplyIsWrittenAsTheServerWritesIt() {
        Document reply = reply(new Document("_id", new ObjectId()).append("title", "督办事项").append("count", 3)
                .append("big", 1L << 40).append("share", 0.5).append("done", true).append("none", null)
                .append("at", Instant.parse("2026-12-07T10:00:00.123Z")).append("id", UUID.randomUUID())
                .append("file", new BinData(new byte[] {1, 2, 3})).append("tags", Set.of("a"))
                .append("nested", new Document("list", List.of(1, List.of("x"), new Document("k", "v")))));

        assertThat(written(new ReplyEncoder(), reply)).isEqualTo(written(new MongoWireMessageEncoder(), reply));
    }

    @Test
    void aStoredDocumentIsCopiedFromItsRememberedEncoding() {
        Document stored = new Document("_id", 1).append("title", "原标题");
        new StoreDatabase.BsonDocuments().getMemory(stored); // as the store does when it keeps the document
        Document reply = reply(stored);
        byte[] expected = written(new MongoWireMessageEncoder(), reply);
        stored.put("title", "never stored"); // a stored document is never changed; this shows which bytes are sent

        byte[] sent = written(new ReplyEncoder(), reply);

        assertThat(sent).isEqualTo(expected);
        assertThat(StoreDatabase.BsonDocuments.remembered(new Document(stored))).isNull();
    }

    private static Document reply(Document found) {
        return new Document("cursor", new Document("firstBatch", List.of(found, new Document("_id", 2)))
                .append("id", 0L).append("ns", "db.items")).append("ok", 1.0);
    }

    private static byte[] written(Object encoder, Document reply) {
        EmbeddedChannel channel = new EmbeddedChannel((io.netty.channel.ChannelHandler) encoder);
        try {
            channel.writeOutbound(new MongoMessage(channel, new MessageHeader(7, 5), reply));
            ByteBuf out = channel.readOutbound();
            try {
                byte[] bytes = ByteBufUtil.getBytes(out);
                // and it reads back as the reply: the message's body starts after its 21 bytes of header
                assertThat(BsonDecoder.decodeBson(io.netty.buffer.Unpooled.wrappedBuffer(bytes, 21,
                        bytes.length - 21)).get("ok")).isEqualTo(1.0);
                return bytes;
            }
            finally {
                out.release();
            }
        }
        finally {
            channel.finishAndReleaseAll();
        }
    }
}
