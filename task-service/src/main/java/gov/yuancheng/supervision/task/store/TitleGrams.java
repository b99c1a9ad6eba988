package gov.yuancheng.supervision.task.store;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pairs of adjacent characters of a title, stored with each task (field {@code titleGrams}) and indexed, so that a
 * search for text inside titles reads only the tasks whose titles hold every pair of the text instead of every task:
 * Chinese has no spaces to cut words at, and MongoDB's text index does not cut Chinese into words either. A title holds
 * a text only if it holds all its pairs; the title itself is still matched against the text.
 */
final class TitleGrams {

    static final String FIELD = "titleGrams";

    private TitleGrams() {
    }

    /** The distinct pairs of adjacent characters (code points) of the text, in order of first appearance. */
    static List<String> of(String text) {
        if (text == null) {
            return List.of();
        }
        int[] points = text.codePoints().toArray();
        Set<String> grams = new LinkedHashSet<>();
        for (int i = 0; i + 1 < points.length; i++) {
            grams.add(new String(points, i, 2));
        }
        return List.copyOf(grams);
    }
}
