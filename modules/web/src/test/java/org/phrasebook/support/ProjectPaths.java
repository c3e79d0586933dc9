package org.phrasebook.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the project from wherever Maven runs the tests. */
public final class ProjectPaths {

    private ProjectPaths() {
    }

    /** The repository root: the nearest directory upwards that holds {@code modules/web}. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("modules/web"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the project root above " + Path.of("").toAbsolutePath());
    }
}
