package org.phrasebook;

import java.util.List;
import org.phrasebook.db.DatabaseUnavailableException;
import org.phrasebook.http.CarrierThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Phrasebook from the environment, and stops it gracefully on SIGTERM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(CommandLine.answer(List.of(args), System.out, System.err));
            return;
        }
        CarrierThreads.widen();
        Logger log = LoggerFactory.getLogger(Main.class);
        Application app;
        try {
            app = Application.start(Config.fromEnvironment(System.getenv()));
        } catch (ConfigException | DatabaseUnavailableException e) {
            // One clear line, no stack trace: these are the operator's to fix.
            log.error("Cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            log.error("Cannot start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping");
            app.close();
            log.info("Stopped");
        }, "shutdown"));
    }
}
