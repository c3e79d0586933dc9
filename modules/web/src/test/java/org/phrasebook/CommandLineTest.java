package org.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int answer(String... args) {
        return CommandLine.answer(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEverySettingWithItsDefaultFromTheSourceConfigReads() {
        assertThat(answer("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (Setting setting : Setting.values()) {
            assertThat(help).containsPattern("(?m)^  " + setting.name() + " +" + java.util.regex.Pattern.quote(setting.meaning()) + "$")
                    .contains("default: " + (setting.fallback() == null ? "(none)" : setting.fallback()));
        }
        assertThat(err.size()).isZero();
        assertThat(answer("-h")).isZero();
    }

    @Test
    void theDefaultsPrintedAreTheDefaultsUsed() {
        Config config = Config.fromEnvironment(java.util.Map.of());
        assertThat(Setting.PORT.fallback()).isEqualTo(Integer.toString(config.port()));
        assertThat(Setting.HOST.fallback()).isEqualTo(config.host());
        assertThat(Setting.DATABASE_POOL_SIZE.fallback()).isEqualTo(Integer.toString(config.databasePoolSize()));
        assertThat(Setting.PHRASEBOOK_DATA_DIR.fallback()).isEqualTo(config.dataDir().toString());
    }

    @Test
    void versionSaysWhichBuild() {
        assertThat(answer("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("phrasebook ");
    }

    @Test
    void anythingElseIsOneLineOnStandardErrorAndStatusTwo() {
        assertThat(answer("--verbose")).isEqualTo(2);
        assertThat(answer("--help", "extra")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("Unknown argument '--verbose': Phrasebook takes only --help or --version and is configured by environment variables (see --help)",
                        "Unknown argument '--help extra': Phrasebook takes only --help or --version and is configured by environment variables (see --help)");
        assertThat(out.size()).isZero();
    }
}
