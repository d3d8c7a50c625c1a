package io.spoor.storage.lucene;

import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.StoredFieldVisitor;

/** Reads only a block document's encoded spans, skipping every other stored field. */
final class BlockBytesVisitor extends StoredFieldVisitor {
    byte[] bytes;

    @Override
    public Status needsField(FieldInfo fieldInfo) {
        return BlockDocument.BLOCK.equals(fieldInfo.name) ? Status.YES : Status.NO;
    }

    @Override
    public void binaryField(FieldInfo fieldInfo, byte[] value) {
        bytes = value;
    }
}
