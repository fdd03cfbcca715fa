package io.agentwire.dialect.spi;

/**
 * Implemented by the settings of a dialect that reads a user's projects from a JWT claim, so that
 * {@code agentwire token --projects p1,p2} puts them under the claim that dialect reads.
 */
public interface ProjectsClaim {
    /** The name of the JWT claim that lists a user's projects. */
    String projectsClaim();
}
