package io.spoor.storage.lucene;

import java.io.IOException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a {@link Block} to an index writer so that one span the index cannot take never costs the others: when
 * Lucene refuses the block's full document (a term it cannot hold, or anything else it refuses per document while
 * staying open), the block goes in as an <em>unindexed</em> document ({@link BlockDocument#fillUnindexed}) — its
 * spans are still stored, read by trace id and found by searches, which verify such blocks span by span.
 *
 * <p>What fails the writer itself (an I/O error such as a full disk, a writer closed by such an error) is thrown as
 * a {@link WriterFailure}: then nothing about the block is known to be in the index, and the caller must not move
 * past it. Used by one thread at a time (the indexer, or the opening thread before the indexer starts).
 */
final class BlockIndexer {
    private static final Logger log = LoggerFactory.getLogger(BlockIndexer.class);

    /** How a block went in. */
    enum Outcome { INDEXED, UNINDEXED }

    /** The writer failed (or was already closed): the block may or may not be in it. */
    static final class WriterFailure extends Exception {
        WriterFailure(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    private final BlockDocument document = new BlockDocument();

    /**
     * Adds the block; throws {@link WriterFailure} when the writer failed, or the runtime exception of the fallback
     * document when even that was refused by a writer that is still open (the caller skips the block loudly).
     */
    Outcome add(IndexWriter writer, Block block, long endPosition) throws WriterFailure {
        try {
            writer.addDocument(document.fill(block));
            return Outcome.INDEXED;
        } catch (IOException | AlreadyClosedException | Error e) {
            throw new WriterFailure(why(writer, e));
        } catch (RuntimeException refused) {
            if (broken(writer)) {
                throw new WriterFailure(why(writer, refused));
            }
            log.error("the index refused the block of {} spans ending at log position {} ({}); storing it unindexed: "
                    + "it is read by trace id and found by searches that verify it span by span",
                    block.spanCount(), endPosition, refused.toString());
        }
        try {
            writer.addDocument(document.fillUnindexed(block));
            return Outcome.UNINDEXED;
        } catch (IOException | AlreadyClosedException | Error e) {
            throw new WriterFailure(why(writer, e));
        } catch (RuntimeException refusedAgain) {
            if (broken(writer)) {
                throw new WriterFailure(why(writer, refusedAgain));
            }
            throw refusedAgain;
        }
    }

    /** What made the writer fail: its tragic exception (a full disk) rather than the "already closed" that follows. */
    static Throwable why(IndexWriter writer, Throwable e) {
        Throwable tragic = writer.getTragicException();
        return tragic != null ? tragic : e;
    }

    /** True when the writer can no longer be used: it must be rolled back and opened again. */
    static boolean broken(IndexWriter writer) {
        return writer.getTragicException() != null || !writer.isOpen();
    }
}
