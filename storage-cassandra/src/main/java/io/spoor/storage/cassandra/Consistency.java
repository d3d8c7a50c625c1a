package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.util.Arrays;
import java.util.Locale;

/** Parses a consistency level by its CQL name, with an error that lists the valid ones. */
final class Consistency {
    private Consistency() {
    }

    static ConsistencyLevel parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("consistency must be set");
        }
        try {
            DefaultConsistencyLevel level = DefaultConsistencyLevel.valueOf(name.trim().toUpperCase(Locale.ROOT));
            if (level == DefaultConsistencyLevel.SERIAL || level == DefaultConsistencyLevel.LOCAL_SERIAL) {
                throw new IllegalArgumentException("consistency " + name + " is for lightweight transactions only");
            }
            return level;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("lightweight")) {
                throw e;
            }
            throw new IllegalArgumentException("unknown consistency level '" + name + "'; one of "
                    + Arrays.toString(DefaultConsistencyLevel.values()));
        }
    }
}
