package org.phrasebook.http.hostile;

import java.util.Optional;

/**
 * The cross-site rule for {@code POST /phrases} (PRODUCT.md section 4, README): a
 * {@code Sec-Fetch-Site} other than {@code same-origin} or {@code none}, or else an
 * {@code Origin} that is not this server, is a 403.
 */
final class CrossSite {

    private CrossSite() {
    }

    static Optional<Expectation> refusal(RawRequest request) {
        Optional<String> fetchSite = request.header("Sec-Fetch-Site");
        if (fetchSite.isPresent()) {
            return fetchSite.get().equals("same-origin") || fetchSite.get().equals("none") ? Optional.empty()
                    : Optional.of(Expectation.refused("Sec-Fetch-Site: " + fetchSite.get() + " is another site", 403));
        }
        Optional<String> origin = request.header("Origin");
        String own = "http://127.0.0.1:" + HostileHttp.port();
        if (origin.isPresent() && !origin.get().equalsIgnoreCase(own)) {
            return Optional.of(Expectation.refused("Origin " + origin.get() + " is not this server", 403));
        }
        return Optional.empty();
    }
}
