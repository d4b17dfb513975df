package io.chroma.api.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rank expression of the Search API: {@link Knn} leaves combined by arithmetic. Scores are
 * 32-bit floats and <b>lower is better</b>, as in Chroma. The records mirror the wire operators
 * one to one ({@code $val $sum $mul $max $min $sub $div $abs $exp $log $knn}); RRF has no operator
 * and expands to arithmetic ({@link Rrf}).
 */
public sealed interface Rank permits Knn, Rank.Val, Rank.Sum, Rank.Mul, Rank.Max, Rank.Min, Rank.Sub, Rank.Div,
        Rank.Abs, Rank.Exp, Rank.Log {

    record Val(float value) implements Rank {
    }

    record Sum(List<Rank> terms) implements Rank {
        public Sum {
            terms = List.copyOf(terms);
        }
    }

    record Mul(List<Rank> factors) implements Rank {
        public Mul {
            factors = List.copyOf(factors);
        }
    }

    record Max(List<Rank> args) implements Rank {
        public Max {
            args = List.copyOf(args);
        }
    }

    record Min(List<Rank> args) implements Rank {
        public Min {
            args = List.copyOf(args);
        }
    }

    record Sub(Rank left, Rank right) implements Rank {
        public Sub {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Div(Rank left, Rank right) implements Rank {
        public Div {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Abs(Rank arg) implements Rank {
        public Abs {
            Objects.requireNonNull(arg, "arg");
        }
    }

    record Exp(Rank arg) implements Rank {
        public Exp {
            Objects.requireNonNull(arg, "arg");
        }
    }

    record Log(Rank arg) implements Rank {
        public Log {
            Objects.requireNonNull(arg, "arg");
        }
    }

    static Rank val(double v) {
        return new Val((float) v);
    }

    /** {@code this + others}; chained sums flatten into one {@code $sum}, as Chroma's clients do. */
    default Rank add(Rank... others) {
        List<Rank> terms = new ArrayList<>(this instanceof Sum s ? s.terms() : List.of(this));
        terms.addAll(List.of(others));
        return new Sum(terms);
    }

    default Rank add(double c) {
        return add(val(c));
    }

    default Rank multiply(Rank... others) {
        List<Rank> factors = new ArrayList<>(this instanceof Mul m ? m.factors() : List.of(this));
        factors.addAll(List.of(others));
        return new Mul(factors);
    }

    default Rank multiply(double c) {
        return multiply(val(c));
    }

    default Rank subtract(Rank other) {
        return new Sub(this, other);
    }

    default Rank divide(Rank other) {
        return new Div(this, other);
    }

    default Rank negate() {
        return multiply(val(-1));
    }

    default Rank abs() {
        return new Abs(this);
    }

    default Rank exp() {
        return new Exp(this);
    }

    default Rank log() {
        return new Log(this);
    }

    default Rank max(Rank... others) {
        List<Rank> args = new ArrayList<>(this instanceof Max m ? m.args() : List.of(this));
        args.addAll(List.of(others));
        return new Max(args);
    }

    default Rank min(Rank... others) {
        List<Rank> args = new ArrayList<>(this instanceof Min m ? m.args() : List.of(this));
        args.addAll(List.of(others));
        return new Min(args);
    }

    /** Every {@link Knn} leaf, depth first (the order Chroma runs them in). */
    default List<Knn> knnLeaves() {
        List<Knn> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(Rank r, List<Knn> out) {
        switch (r) {
            case Knn k -> out.add(k);
            case Val v -> { }
            case Sum s -> s.terms().forEach(t -> collect(t, out));
            case Mul m -> m.factors().forEach(t -> collect(t, out));
            case Max m -> m.args().forEach(t -> collect(t, out));
            case Min m -> m.args().forEach(t -> collect(t, out));
            case Sub s -> { collect(s.left(), out); collect(s.right(), out); }
            case Div d -> { collect(d.left(), out); collect(d.right(), out); }
            case Abs a -> collect(a.arg(), out);
            case Exp e -> collect(e.arg(), out);
            case Log l -> collect(l.arg(), out);
        }
    }

    /** The wire form, as nested maps and lists. */
    default Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (this) {
            case Knn k -> out.put(k.text() != null ? "$bm25" : "$knn", k.knnJson());
            case Val v -> out.put("$val", v.value());
            case Sum s -> out.put("$sum", s.terms().stream().map(Rank::toJson).toList());
            case Mul m -> out.put("$mul", m.factors().stream().map(Rank::toJson).toList());
            case Max m -> out.put("$max", m.args().stream().map(Rank::toJson).toList());
            case Min m -> out.put("$min", m.args().stream().map(Rank::toJson).toList());
            case Sub s -> out.put("$sub", leftRight(s.left(), s.right()));
            case Div d -> out.put("$div", leftRight(d.left(), d.right()));
            case Abs a -> out.put("$abs", a.arg().toJson());
            case Exp e -> out.put("$exp", e.arg().toJson());
            case Log l -> out.put("$log", l.arg().toJson());
        }
        return out;
    }

    private static Map<String, Object> leftRight(Rank l, Rank r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("left", l.toJson());
        m.put("right", r.toJson());
        return m;
    }
}
