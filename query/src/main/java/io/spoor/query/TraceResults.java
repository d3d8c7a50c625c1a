package io.spoor.query;

import io.spoor.model.TraceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whole traces for an answer, read one at a time while the answer is written (so that a request holds one trace,
 * not all of them), and cut once their spans would pass the budget ({@link QueryLimits#maxTraceSpans()}). Iterated
 * once; {@link #warnings()} is complete once the iteration is done (an API writes it after the traces).
 */
public final class TraceResults implements Iterable<AssembledTrace> {
    /** One trace to read: its id and, when a search summary told it, its span count (-1 when unknown). */
    record Entry(TraceId id, int expectedSpans) {
    }

    private final List<Entry> entries;
    private final Function<TraceId, Optional<AssembledTrace>> read;
    private final long spanBudget;
    private final List<String> warnings = new ArrayList<>();
    private boolean iterated;

    TraceResults(List<Entry> entries, Function<TraceId, Optional<AssembledTrace>> read, long spanBudget) {
        this.entries = List.copyOf(entries);
        this.read = read;
        this.spanBudget = spanBudget;
    }

    /** How many traces were found (or asked for by id); the answer may hold fewer ({@link #warnings()}). */
    public int candidates() {
        return entries.size();
    }

    /** Why the answer holds less than was found; complete after iteration. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public Iterator<AssembledTrace> iterator() {
        if (iterated) {
            throw new IllegalStateException("trace results are read once");
        }
        iterated = true;
        return new Iterator<>() {
            private int index;
            private long spans;
            private AssembledTrace next;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    if (index == entries.size()) {
                        done = true;
                        break;
                    }
                    Entry e = entries.get(index);
                    // the first trace is always shown (truncated if it must be); later ones only while they fit
                    if (spans > 0 && e.expectedSpans() >= 0 && spans + e.expectedSpans() > spanBudget) {
                        cut(index);
                        break;
                    }
                    Optional<AssembledTrace> t = read.apply(e.id());
                    if (t.isPresent()) {
                        int n = t.get().trace().spans().size();
                        if (spans > 0 && spans + n > spanBudget) {
                            cut(index);
                            break;
                        }
                        spans += n;
                        next = t.get();
                    }
                    index++;
                }
                return next != null;
            }

            private void cut(int at) {
                done = true;
                warnings.add("answer cut at " + spans + " spans (spoor.query.max_trace_spans is " + spanBudget
                        + "): " + (entries.size() - at) + " of " + entries.size()
                        + " traces left out; narrow the search or ask for fewer traces");
            }

            @Override
            public AssembledTrace next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                AssembledTrace t = next;
                next = null;
                return t;
            }
        };
    }
}
