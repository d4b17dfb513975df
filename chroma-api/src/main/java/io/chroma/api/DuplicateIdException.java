package io.chroma.api;

import java.util.List;

/** The same id appears more than once in one add or upsert batch. */
public class DuplicateIdException extends InvalidArgumentException {
    private final List<String> duplicates;

    public DuplicateIdException(List<String> duplicates) {
        super("DuplicateIDError", message(duplicates));
        this.duplicates = List.copyOf(duplicates);
    }

    private static String message(List<String> duplicates) {
        if (duplicates.size() >= 10) {
            return "Expected IDs to be unique, found " + duplicates.size() + " duplicated IDs: "
                    + String.join(", ", duplicates.subList(0, 10)) + ", ...";
        }
        return "Expected IDs to be unique, found duplicates of: " + String.join(", ", duplicates);
    }

    public List<String> duplicates() { return duplicates; }
}
