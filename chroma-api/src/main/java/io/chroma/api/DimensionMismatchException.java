package io.chroma.api;

/** An embedding's dimension differs from the collection's (set by its first write). */
public class DimensionMismatchException extends InvalidArgumentException {
    private final int expected;
    private final int actual;

    public DimensionMismatchException(int expected, int actual) {
        super("InvalidDimension",
                "Collection expecting embedding with dimension of " + expected + ", got " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public int expected() { return expected; }

    public int actual() { return actual; }
}
