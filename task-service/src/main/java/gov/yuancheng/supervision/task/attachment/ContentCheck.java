package gov.yuancheng.supervision.task.attachment;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decides what an uploaded file is from its bytes, not from the name or the header the client sent,
 * and refuses what evidence never is: programs, scripts, and the EICAR anti-virus test file.
 */
final class ContentCheck {

    private static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"
            .getBytes(StandardCharsets.US_ASCII);

    private ContentCheck() {
    }

    /** The content type of an allowed file, or an exception saying why it is refused. */
    static String contentType(String filename, byte[] head) {
        if (contains(head, EICAR)) {
            throw new RefusedFileException("The file carries a virus signature and was refused.");
        }
        if (startsWith(head, 'M', 'Z') || startsWith(head, 0x7F, 'E', 'L', 'F') || startsWith(head, '#', '!')
                || startsWith(head, 0xCA, 0xFE, 0xBA, 0xBE)) {
            throw new RefusedFileException("Programs and scripts are not accepted as evidence.");
        }
        String name = filename == null ? "" : filename.toLowerCase();
        if (startsWith(head, '%', 'P', 'D', 'F')) {
            return "application/pdf";
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(head, 'P', 'K', 3, 4)) {
            if (name.endsWith(".docx")) {
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            }
            if (name.endsWith(".xlsx")) {
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            }
            throw new RefusedFileException("Of compressed files only .docx and .xlsx documents are accepted.");
        }
        if ((name.endsWith(".txt") || name.endsWith(".csv")) && isText(head)) {
            return name.endsWith(".csv") ? "text/csv" : "text/plain";
        }
        throw new RefusedFileException("Accepted evidence: PDF, JPEG, PNG, Word (.docx), Excel (.xlsx) and plain text.");
    }

    private static boolean isText(byte[] head) {
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(head, 0, trimmedLength(head)));
            return true;
        }
        catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The head may end inside a multi-byte character; leave out an incomplete last character. */
    private static int trimmedLength(byte[] head) {
        int end = head.length;
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (head[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0 && (head[end - back - 1] & 0xC0) == 0xC0) {
            return end - back - 1;
        }
        return end;
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static byte[] head(byte[] content, int max) {
        return Arrays.copyOf(content, Math.min(content.length, max));
    }
}
