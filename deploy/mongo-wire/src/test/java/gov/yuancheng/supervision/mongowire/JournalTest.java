package gov.yuancheng.supervision.mongowire;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class JournalTest {

    @TempDir
    Path dir;

    @Test
    void givesItsEntriesInOrderUpToOneCutShort() throws Exception {
        Path file = dir.resolve("store.journal");
        try (Journal journal = Journal.start(file, 3)) {
            assertThat(journal.isEmpty()).isTrue();
            journal.append(bytes("first"));
            journal.append(bytes("second"));
            assertThat(journal.isEmpty()).isFalse();
        }
        // a process killed while writing the third: its length and checksum, half of it
        byte[] whole = Files.readAllBytes(file);
        try (Journal journal = Journal.start(dir.resolve("other"), 3)) {
            journal.append(bytes("third entry"));
        }
        byte[] third = Files.readAllBytes(dir.resolve("other"));
        Files.write(file, java.util.Arrays.copyOfRange(third, 12, third.length - 4), StandardOpenOption.APPEND);

        assertThat(Journal.entries(file, 3)).map(JournalTest::text).containsExactly("first", "second");
        assertThat(Journal.entries(file, 2)).as("another generation's").isEmpty();
        assertThat(Journal.entries(dir.resolve("missing"), 3)).isEmpty();

        whole[whole.length - 1] ^= 1; // a damaged byte in the second
        Files.write(file, whole);
        assertThat(Journal.entries(file, 3)).map(JournalTest::text).containsExactly("first");
    }

    @Test
    void aJournalStartedAgainIsEmpty() throws Exception {
        Path file = dir.resolve("store.journal");
        try (Journal journal = Journal.start(file, 1)) {
            journal.append(bytes("before"));
        }
        try (Journal journal = Journal.start(file, 2)) {
            journal.append(bytes("after"));
            assertThat(journal.generation()).isEqualTo(2);
        }
        assertThat(Journal.entries(file, 1)).isEmpty();
        assertThat(Journal.entries(file, 2)).map(JournalTest::text).isEqualTo(List.of("after"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
