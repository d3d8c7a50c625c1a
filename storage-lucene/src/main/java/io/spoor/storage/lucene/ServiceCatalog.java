package io.spoor.storage.lucene;

import io.spoor.model.SpanKind;
import io.spoor.storage.Operation;
import java.io.IOException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Services and their operations, kept in memory so that the UI's drop-downs cost nothing per call. Filled from the
 * index's {@code cat} terms on open and after retention deleted data, and by the indexer as blocks arrive.
 */
final class ServiceCatalog {
    private static final Comparator<Operation> ORDER =
            Comparator.comparing(Operation::name).thenComparing(Operation::kind);

    private volatile ConcurrentSkipListMap<String, Set<Operation>> byService = new ConcurrentSkipListMap<>();
    /** Entries already known, checked before touching the sorted structures (the common case while indexing). */
    private volatile Set<String> seen = ConcurrentHashMap.newKeySet();

    List<String> services() {
        return List.copyOf(byService.keySet());
    }

    List<Operation> operations(String service) {
        Set<Operation> ops = byService.get(service);
        return ops == null ? List.of() : List.copyOf(ops);
    }

    /** Entries added while a reload runs; merged into the reloaded content so that none is lost. */
    private Set<String> addedDuringReload;

    void addAll(List<String> catalogEntries) {
        for (String entry : catalogEntries) {
            if (!seen.contains(entry)) {
                addSlow(entry);
            }
        }
    }

    private synchronized void addSlow(String entry) {
        add(byService, entry);
        seen.add(entry);
        if (addedDuringReload != null) {
            addedDuringReload.add(entry);
        }
    }

    private static void add(ConcurrentSkipListMap<String, Set<Operation>> target, String entry) {
        int a = entry.indexOf(Block.SEP);
        int b = entry.lastIndexOf(Block.SEP);
        String service = entry.substring(0, a);
        String name = entry.substring(a + 1, b);
        SpanKind kind = SpanKind.fromWire(entry.charAt(b + 1) - '0');
        target.computeIfAbsent(service, k -> new ConcurrentSkipListSet<>(ORDER)).add(new Operation(name, kind));
    }

    /**
     * Replaces the content with the entries that still have a live document (after retention deleted some).
     * Entries added while this runs are kept: they may belong to documents the refreshed reader does not see yet.
     */
    void reload(SearcherManager searchers) throws IOException {
        synchronized (this) {
            addedDuringReload = new HashSet<>();
        }
        try {
            // refresh after collection started: every entry added before is in a document this reader sees
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            ConcurrentSkipListMap<String, Set<Operation>> fresh;
            Set<String> freshSeen = ConcurrentHashMap.newKeySet();
            try {
                fresh = load(searcher.getIndexReader(), freshSeen);
            } finally {
                searchers.release(searcher);
            }
            synchronized (this) {
                for (String entry : addedDuringReload) {
                    add(fresh, entry);
                    freshSeen.add(entry);
                }
                byService = fresh;
                seen = freshSeen;
            }
        } finally {
            synchronized (this) {
                addedDuringReload = null;
            }
        }
    }

    /**
     * Adds the entries that one searcher sees, without refreshing (on open, when the index writer failed and the last
     * commit is all there is to read).
     */
    void addFrom(IndexSearcher searcher) throws IOException {
        Set<String> entries = ConcurrentHashMap.newKeySet();
        load(searcher.getIndexReader(), entries);
        addAll(List.copyOf(entries));
    }

    private static ConcurrentSkipListMap<String, Set<Operation>> load(IndexReader reader, Set<String> freshSeen)
            throws IOException {
        ConcurrentSkipListMap<String, Set<Operation>> fresh = new ConcurrentSkipListMap<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            Terms terms = leaf.reader().terms(BlockDocument.CATALOG);
            if (terms == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            TermsEnum te = terms.iterator();
            PostingsEnum postings = null;
            for (BytesRef term = te.next(); term != null; term = te.next()) {
                String entry = term.utf8ToString();
                if (freshSeen.contains(entry)) {
                    continue;
                }
                postings = te.postings(postings, PostingsEnum.NONE);
                if (hasLiveDoc(postings, live)) {
                    add(fresh, entry);
                    freshSeen.add(entry);
                }
            }
        }
        return fresh;
    }

    private static boolean hasLiveDoc(PostingsEnum postings, Bits live) throws IOException {
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
            if (live == null || live.get(doc)) {
                return true;
            }
        }
        return false;
    }
}
