package io.cairn.jepsen.nemesis;

/** A fault in force, and how to end it. */
public interface Fault {
    /** What was done, for the history and the report. */
    String description();

    /** Ends the fault (restart, resume, flush rules...). */
    void heal() throws Exception;

    /** How a fault ends, saying what the healing found (a repair made, a snapshot installed...). */
    @FunctionalInterface
    interface ReportingHeal {
        String heal() throws Exception;
    }

    /** A fault whose description, once healed, goes on with what the heal reported. */
    static Fault healedWithReport(String injected, ReportingHeal heal) {
        return new Fault() {
            private volatile String outcome;

            @Override
            public String description() {
                return outcome == null ? injected : injected + "; " + outcome;
            }

            @Override
            public void heal() throws Exception {
                outcome = heal.heal();
            }
        };
    }
}
