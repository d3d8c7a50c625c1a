package io.spoor.pipeline.memory;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Live heap = heap used right after the most recent garbage collection. "Heap used now" would include
 * garbage that the next young collection frees, and refusing on it would turn away load the heap can hold;
 * after-GC usage is what actually survives. Between collections, the limiter adds the bytes it has admitted.
 */
public final class GcHeapProbe implements HeapProbe, AutoCloseable {
    private final AtomicLong usedAfterGc = new AtomicLong();
    private final List<Runnable> unsubscribes = new ArrayList<>();

    public GcHeapProbe() {
        usedAfterGc.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                used += u.getUsed();
            }
            // Non-heap pools (metaspace, code cache) are in that map too; subtract them back out.
            used -= nonHeapUsed();
            usedAfterGc.set(Math.max(0, used));
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                unsubscribes.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }
    }

    private static long nonHeapUsed() {
        return ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed();
    }

    @Override
    public long liveHeapBytes() {
        return usedAfterGc.get();
    }

    @Override
    public void close() {
        unsubscribes.forEach(Runnable::run);
    }
}
