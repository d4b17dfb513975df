package io.chroma.api.internal;

/**
 * A string that counts the character reads a regex engine makes and stops it past a budget
 * ({@link Exhausted}); {@code WhereDocument} uses it to bound backtracking.
 */
public final class BoundedText implements CharSequence {
    private final String text;
    private long left;

    public BoundedText(String text, long budget) {
        this.text = text;
        this.left = budget;
    }

    @Override
    public char charAt(int index) {
        if (--left < 0) {
            throw new Exhausted();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }

    /** No stack trace: it is thrown on purpose, possibly once per document. */
    public static final class Exhausted extends RuntimeException {
        Exhausted() {
            super(null, null, false, false);
        }
    }
}
