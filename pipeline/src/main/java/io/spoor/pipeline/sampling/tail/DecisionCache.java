package io.spoor.pipeline.sampling.tail;

import io.spoor.model.TraceId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last {@code capacity} decided traces (oldest forgotten first), so that a span arriving after its
 * trace was decided follows that decision. About 80 bytes of heap per id.
 */
final class DecisionCache {
    private final Map<TraceId, Boolean> ids;

    DecisionCache(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TraceId, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    void add(TraceId id) {
        ids.put(id, Boolean.TRUE);
    }

    boolean contains(TraceId id) {
        return ids.containsKey(id);
    }

    int size() {
        return ids.size();
    }
}
