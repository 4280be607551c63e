package io.cairn.jepsen.checker;

import io.cairn.jepsen.history.Operation;
import java.util.Map;

/**
 * R2: a register per key with unique values, checked by value and by modifiedIndex.
 * <ul>
 *   <li>read: output {"value","index"}, or JSON null when absent;</li>
 *   <li>write: input value, output {"index"};</li>
 *   <li>cas-idx: input {"prevIndex","value"}, output {"result","index"};</li>
 *   <li>create: input value, output {"result": ok | exists, "index"};</li>
 *   <li>delete: output {"result": ok | not-found};</li>
 *   <li>cad (compare-and-delete): input {"prevIndex"}, output {"result"}.</li>
 * </ul>
 * An uncertain write's index is taken from {@code observedIndexes} (value to index, built from
 * every observation in the history; values are unique), or left unknown.
 */
public final class VersionedRegisterModel implements Model<RegisterState> {
    private final Map<String, Long> observedIndexes;

    public VersionedRegisterModel(Map<String, Long> observedIndexes) {
        this.observedIndexes = observedIndexes;
    }

    @Override
    public RegisterState init() {
        return RegisterState.ABSENT;
    }

    @Override
    public boolean isReadOnly(Operation op) {
        return op.f().equals("read");
    }

    @Override
    public RegisterState step(RegisterState state, Operation op) {
        return op.isInfo() ? uncertain(state, op) : observed(state, op);
    }

    private RegisterState written(String value) {
        return new RegisterState(value, observedIndexes.getOrDefault(value, RegisterState.UNKNOWN_INDEX));
    }

    private RegisterState uncertain(RegisterState state, Operation op) {
        long prevIndex = op.input().path("prevIndex").asLong(RegisterState.UNKNOWN_INDEX);
        return switch (op.f()) {
            case "write" -> written(op.input().asText());
            case "cas-idx" -> state.indexIs(prevIndex) ? written(op.input().path("value").asText()) : state;
            case "create" -> state.present() ? state : written(op.input().asText());
            case "delete" -> RegisterState.ABSENT;
            case "cad" -> state.indexIs(prevIndex) ? RegisterState.ABSENT : state;
            default -> throw new IllegalArgumentException("the versioned register has no " + op.f());
        };
    }

    private RegisterState observed(RegisterState state, Operation op) {
        String result = Results.result(op.output());
        long index = Results.index(op.output());
        long prevIndex = op.input().path("prevIndex").asLong(RegisterState.UNKNOWN_INDEX);
        switch (op.f()) {
            case "read" -> {
                if (op.output().isNull()) {
                    return state.present() ? null : state;
                }
                String value = op.output().path("value").asText();
                boolean indexFits = state.index() == RegisterState.UNKNOWN_INDEX || state.index() == index;
                return value.equals(state.value()) && indexFits ? new RegisterState(value, index) : null;
            }
            case "write" -> {
                return rises(state, index) ? new RegisterState(op.input().asText(), index) : null;
            }
            case "cas-idx" -> {
                return switch (result) {
                    case Results.OK -> state.indexIs(prevIndex) && index > prevIndex
                            ? new RegisterState(op.input().path("value").asText(), index) : null;
                    case Results.COMPARE_FAILED -> state.present() && !state.indexIs(prevIndex) ? state : null;
                    case Results.NOT_FOUND -> state.present() ? null : state;
                    default -> throw new IllegalArgumentException("unknown cas-idx result in " + op);
                };
            }
            case "create" -> {
                return switch (result) {
                    case Results.OK -> state.present() ? null : new RegisterState(op.input().asText(), index);
                    case Results.EXISTS -> state.present() ? state : null;
                    default -> throw new IllegalArgumentException("unknown create result in " + op);
                };
            }
            case "delete" -> {
                return switch (result) {
                    case Results.OK -> state.present() ? RegisterState.ABSENT : null;
                    case Results.NOT_FOUND -> state.present() ? null : state;
                    default -> throw new IllegalArgumentException("unknown delete result in " + op);
                };
            }
            case "cad" -> {
                return switch (result) {
                    case Results.OK -> state.indexIs(prevIndex) ? RegisterState.ABSENT : null;
                    case Results.COMPARE_FAILED -> state.present() && !state.indexIs(prevIndex) ? state : null;
                    case Results.NOT_FOUND -> state.present() ? null : state;
                    default -> throw new IllegalArgumentException("unknown cad result in " + op);
                };
            }
            default -> throw new IllegalArgumentException("the versioned register has no " + op.f());
        }
    }

    private static boolean rises(RegisterState state, long index) {
        return !state.present() || state.index() == RegisterState.UNKNOWN_INDEX || state.index() < index;
    }
}
