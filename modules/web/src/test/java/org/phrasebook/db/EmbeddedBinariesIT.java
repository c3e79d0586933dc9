package org.phrasebook.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.support.Http;
import org.phrasebook.support.JarProcess;

/**
 * The jar's first start on a machine where the embedded PostgreSQL was never unpacked, with
 * the JVM settings the README gives ({@code @jvm.options -Xmx64m}): the library alone needed
 * more heap than that to unpack, died of an {@code OutOfMemoryError}, and left a directory
 * that failed every later start. Each test gets a working directory of its own for the
 * binaries ({@code ot.epg.working-dir}), as a fresh machine's empty temp directory.
 */
class EmbeddedBinariesIT {

    @TempDir
    Path workDir;

    @Test
    void theFirstStartUnpacksTheBinariesWithinTheDocumentedHeap() throws Exception {
        Path binaries = workDir.resolve("binaries");

        startAndAddAPhrase(binaries);

        assertThat(PostgresBinaries.directory(binaries).resolve(".exists")).exists();
        try (var entries = Files.list(binaries)) {
            assertThat(entries).as("only the finished copy is left").containsExactly(PostgresBinaries.directory(binaries));
        }
    }

    @Test
    void aCopyLeftIncompleteByAStartThatDiedIsReplaced() throws Exception {
        Path binaries = workDir.resolve("binaries");
        Path incomplete = PostgresBinaries.directory(binaries);
        // What the library left when the heap ran out: some files and links, no marker.
        Files.createDirectories(incomplete.resolve("lib"));
        Files.createSymbolicLink(incomplete.resolve("lib/libicui18n.so.60"), Path.of("libicui18n.so.60.2"));
        Files.writeString(incomplete.resolve("lib/libicui18n.so.60.2"), "cut short");

        startAndAddAPhrase(binaries);

        assertThat(incomplete.resolve(".exists")).exists();
        assertThat(incomplete.resolve("bin/postgres")).isExecutable();
        assertThat(Files.size(incomplete.resolve("lib/libicui18n.so.60.2"))).isGreaterThan(1_000_000);
    }

    /** Starts the jar with the README's settings, adds a phrase and reads it back, then stops it. */
    private void startAndAddAPhrase(Path binaries) throws Exception {
        List<String> readmeSettings = List.of("@" + JarProcess.JAR.resolveSibling("jvm.options"), "-Xmx64m",
                "-Dot.epg.working-dir=" + binaries);
        try (JarProcess jar = JarProcess.start(workDir, "out.log",
                Map.of("PHRASEBOOK_DATA_DIR", workDir.resolve("data").toString()), readmeSettings)) {
            Http http = jar.awaitReady(Duration.ofSeconds(90));
            assertThat(http.get("/Hola").statusCode()).isEqualTo(303);
            assertThat(http.get("/api/phrases").body()).contains("\"Hola\"");
            assertThat(jar.output()).contains("Unpacked the embedded PostgreSQL's binaries into "
                    + PostgresBinaries.directory(binaries)).doesNotContain("OutOfMemoryError");
        }
    }
}
