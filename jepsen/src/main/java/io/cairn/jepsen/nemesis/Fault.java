package io.cairn.jepsen.nemesis;

/** A fault in force, and how to end it. */
public interface Fault {
    /** What was done, for the history and the report. */
    String description();

    /** Ends the fault (restart, resume, flush rules...). */
    void heal() throws Exception;
}
