package gov.yuancheng.supervision.verifier;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedNoteTest {

    final TestLog log = new TestLog();

    @Test
    void aCheckpointNoteHasTheTlogCheckpointLinesAndOneEd25519SignatureLine() {
        byte[] root = Hashes.empty();
        String note = log.sign(0, root);

        String[] lines = note.split("\n", -1);
        assertThat(lines[0]).isEqualTo(TestLog.ORIGIN);
        assertThat(lines[1]).isEqualTo("0");
        assertThat(lines[2]).isEqualTo(Base64.getEncoder().encodeToString(root));
        assertThat(lines[3]).isEmpty();
        assertThat(lines[4]).startsWith("\u2014 " + TestLog.ORIGIN + " ");
        assertThat(Base64.getDecoder().decode(lines[4].split(" ")[2])).hasSize(4 + 64);
        assertThat(Checkpoint.verified(note, log.key).size()).isZero();
    }

    @Test
    void theVerifierKeyRoundTripsAndItsIdIsBoundToNameAndKey() {
        NoteKey parsed = NoteKey.parse(log.key.vkey());
        assertThat(parsed).isEqualTo(log.key);
        String otherId = log.key.vkey().replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
        assertThatThrownBy(() -> NoteKey.parse(otherId)).hasMessageContaining("id");
    }

    @Test
    void anAlteredTextOrSignatureOrAnotherKeyIsRefused() {
        String note = log.sign(5, Hashes.empty());
        assertThatThrownBy(() -> Checkpoint.verified(note.replaceFirst("\n5\n", "\n6\n"), log.key))
                .hasMessageContaining("not signed");
        assertThatThrownBy(() -> Checkpoint.verified(note, new TestLog().key)).hasMessageContaining("not signed");
        String[] parts = note.split(" ");
        String signature = parts[parts.length - 1].strip();
        byte[] raw = Base64.getDecoder().decode(signature);
        raw[20] ^= 1;
        String forged = note.replace(signature, Base64.getEncoder().encodeToString(raw));
        assertThatThrownBy(() -> Checkpoint.verified(forged, log.key)).hasMessageContaining("not signed");
    }

    @Test
    void canonicalJsonSortsMembersAndDropsNulls() {
        java.util.Map<String, Object> leaf = new java.util.HashMap<>();
        leaf.put("b", 1);
        leaf.put("a", java.util.Map.of("z", "源城", "y", 2.50));
        leaf.put("c", null);
        assertThat(new String(CanonicalJson.encode(leaf), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":{\"y\":2.5,\"z\":\"源城\"},\"b\":1}");
    }
}
