package gov.yuancheng.supervision.mongowire;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.OpCode;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes replies ({@code OP_MSG}) as the server's own encoder does, except that a stored document the reply carries is
 * copied from the encoding the store remembers for it ({@link StoreDatabase.BsonDocuments}) rather than encoded again:
 * a query's answer carries the stored documents themselves, and encoding them was a ninth of the store's time under
 * load. Every other value is written by the server's encoder.
 */
final class ReplyEncoder extends MessageToByteEncoder<MongoMessage> {

    /** Puts this encoder in the place of the server's in the channel's pipeline, once. */
    static void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(MongoWireMessageEncoder.class) != null) {
            pipeline.replace(MongoWireMessageEncoder.class, "reply-encoder", new ReplyEncoder());
        }
    }

    @Override
    protected void encode(ChannelHandlerContext context, MongoMessage message, ByteBuf out) {
        int start = out.writerIndex();
        out.writeIntLE(0); // the length, set below
        out.writeIntLE(message.getHeader().getRequestID());
        out.writeIntLE(message.getHeader().getResponseTo());
        out.writeIntLE(OpCode.OP_MSG.getId());
        out.writeIntLE(message.getFlags());
        out.writeByte(0); // one section: the body
        try {
            document(message.getDocument(), out);
        }
        catch (RuntimeException e) {
            context.channel().close();
            throw e;
        }
        out.setIntLE(start, out.writerIndex() - start);
    }

    /**
     * How deep in a reply stored documents are looked for: a query's answer holds them in {@code cursor.firstBatch}
     * (or {@code nextBatch}), {@code findAndModify}'s in {@code value}. Looking each nested document up cost more than
     * the copies saved.
     */
    private static final int STORED_DEPTH = 3;

    static void document(Map<String, ?> document, ByteBuf out) {
        document(document, out, 0);
    }

    private static void document(Map<String, ?> document, ByteBuf out, int depth) {
        int start = out.writerIndex();
        out.writeIntLE(0);
        for (Map.Entry<String, ?> entry : document.entrySet()) {
            value(entry.getKey(), entry.getValue(), out, depth + 1);
        }
        out.writeByte(0);
        out.setIntLE(start, out.writerIndex() - start);
    }

    private static void value(String name, Object value, ByteBuf out, int depth) {
        if (depth > STORED_DEPTH || !(value instanceof Map || value instanceof Collection)) {
            byte type = BsonEncoder.determineType(value);
            out.writeByte(type);
            name(name, out);
            BsonEncoder.encodeValue(type, value, out);
        }
        else if (value instanceof Map<?, ?> map) {
            out.writeByte(BsonConstants.TYPE_EMBEDDED_DOCUMENT);
            name(name, out);
            byte[] remembered = map instanceof Document stored ? StoreDatabase.BsonDocuments.remembered(stored) : null;
            if (remembered != null) {
                out.writeBytes(remembered);
            }
            else {
                @SuppressWarnings("unchecked")
                Map<String, ?> embedded = (Map<String, ?>) map;
                document(embedded, out, depth);
            }
        }
        else {
            out.writeByte(BsonConstants.TYPE_ARRAY);
            name(name, out);
            int start = out.writerIndex();
            out.writeIntLE(0);
            int index = 0;
            for (Object element : (Collection<?>) value) {
                value(String.valueOf(index++), element, out, depth + 1);
            }
            out.writeByte(0);
            out.setIntLE(start, out.writerIndex() - start);
        }
    }

    private static void name(String name, ByteBuf out) {
        out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }
}
