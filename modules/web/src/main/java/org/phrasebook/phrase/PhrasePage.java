package org.phrasebook.phrase;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of phrases, newest first. {@code nextBefore} is the keyset cursor for the
 * following (older) page, empty on the last page.
 */
public record PhrasePage(List<Phrase> items, OptionalLong nextBefore) {
}
