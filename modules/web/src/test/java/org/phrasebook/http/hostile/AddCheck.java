package org.phrasebook.http.hostile;

import static org.phrasebook.http.hostile.HostileHttp.failure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phrasebook.support.RawHttp.Answer;

/**
 * Property 2: what is stored is exactly what the oracle allows. An answer that says
 * "added" (303 or 201) must name the one new row, whose text the oracle accepts; any other
 * answer must store nothing and be a status the oracle allows.
 */
public final class AddCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PAGE_LOCATION = Pattern.compile("/\\?added=(\\d+)(&lang=(es|en))?");
    private static final Pattern API_LOCATION = Pattern.compile("/api/phrases/(\\d+)");

    private AddCheck() {
    }

    /**
     * Sends a request that may add, and checks the answer and the table against
     * {@code expected}; {@code marker} is the try's unique marker (or null).
     */
    public static Answer verify(RawRequest request, Expectation expected, String marker) throws Exception {
        HostileHttp.port(); // starts the server (and so migrates the schema) before reading the table
        long before = Stored.highestId();
        Answer answer = HostileHttp.send(request);
        List<Stored.Row> added = Stored.after(before);
        boolean api = request.target().startsWith("/api/");
        int addedStatus = api ? 201 : 303;
        Tries.note(answer.status() + (added.isEmpty() ? "" : " added"));
        String context = answer + "\n" + expected + "\nnew rows: " + added;
        if (answer.status() == addedStatus) {
            if (!expected.mayStore()) {
                throw failure("added although the rules refuse it", request, context);
            }
            Matcher location = (api ? API_LOCATION : PAGE_LOCATION).matcher(answer.header("Location").orElse(""));
            if (!location.matches()) {
                throw failure("an add answered without a proper Location", request, context);
            }
            long id = Long.parseLong(location.group(1));
            if (added.size() != 1 || added.get(0).id() != id) {
                throw failure("the add answer does not match the one new row", request, context);
            }
            if (!expected.mayStore(added.get(0).text())) {
                throw failure("the stored text differs from the rules", request, context);
            }
            if (api) {
                JsonNode phrase = JSON.readTree(answer.body());
                if (phrase.get("id").asLong() != id || !phrase.get("text").asText().equals(added.get(0).text())) {
                    throw failure("the 201 body is not the stored phrase", request, context);
                }
            }
        } else {
            if (!added.isEmpty()) {
                throw failure("stored although the answer was " + answer.status(), request, context);
            }
            if (!expected.allowsRefusal(answer.status())) {
                throw failure((expected.mayStore() ? "refused what the rules accept: " : "a wrong status: ")
                        + answer.status(), request, context);
            }
            checkProblemType(request, answer, expected, context, api);
        }
        if (marker != null) {
            // The marker is unique to this try: only this try's row, if any, may hold it.
            List<Stored.Row> expectedWithMarker = answer.status() == addedStatus && added.get(0).text().contains(marker)
                    ? added : List.of();
            if (!Stored.containing(marker).equals(expectedWithMarker)) {
                throw failure("rows with this try's marker are not the added row", request, context
                        + "\nwith marker: " + Stored.containing(marker));
            }
        }
        return answer;
    }

    /** An API refusal by the app is problem+json with a type the oracle allows. */
    private static void checkProblemType(RawRequest request, Answer answer, Expectation expected, String context,
            boolean api) throws Exception {
        if (!api || !answer.header("Content-Type").orElse("").startsWith("application/problem+json")) {
            return;
        }
        JsonNode problem = JSON.readTree(answer.body());
        String type = problem.path("type").asText();
        if (problem.path("status").asInt() != answer.status() || problem.path("detail").asText().isBlank()) {
            throw failure("a problem+json without status or detail", request, context);
        }
        if (!expected.slugsFor(answer.status()).isEmpty()
                && expected.slugsFor(answer.status()).stream().noneMatch(slug -> type.equals("urn:phrasebook:problem:" + slug))) {
            throw failure("a problem type the rules do not name: " + type, request, context);
        }
    }
}
