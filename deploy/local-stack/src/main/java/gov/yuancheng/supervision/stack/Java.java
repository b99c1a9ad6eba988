package gov.yuancheng.supervision.stack;

import java.nio.file.Path;

final class Java {

    private Java() {
    }

    /** The java that runs the launcher runs every child too. */
    static String binary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
