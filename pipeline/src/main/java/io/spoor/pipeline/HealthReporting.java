package io.spoor.pipeline;

import java.util.List;

/**
 * A pipeline stage that can fail and recover on its own (a log on a full disk, a next stage that refuses): it says
 * what fails now, for the server's {@code /health}. {@link IngestPipeline#healthProblems()} asks every stage that
 * implements it.
 */
public interface HealthReporting {

    /** What fails now, one line each; empty while the stage works. */
    List<String> healthProblems();
}
