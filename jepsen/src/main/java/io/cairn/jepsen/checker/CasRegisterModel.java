package io.cairn.jepsen.checker;

import io.cairn.jepsen.history.Operation;
import java.util.Objects;

/**
 * R1: a register per key with read, write and compare-and-swap on the value (values 0-4, so
 * indexes are not tracked here; the index checker covers them).
 * <ul>
 *   <li>read: output is the value, or JSON null when absent;</li>
 *   <li>write: input is the value;</li>
 *   <li>cas: input {"from","to"}, output {"result": ok | compare-failed | not-found}.</li>
 * </ul>
 */
public final class CasRegisterModel implements Model<RegisterState> {

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
        switch (op.f()) {
            case "read" -> {
                String seen = op.output().isNull() ? null : op.output().asText();
                return Objects.equals(seen, state.value()) ? state : null;
            }
            case "write" -> {
                return new RegisterState(op.input().asText(), 0);
            }
            case "cas" -> {
                String from = op.input().path("from").asText();
                String to = op.input().path("to").asText();
                boolean holds = from.equals(state.value());
                if (op.isInfo()) {
                    return holds ? new RegisterState(to, 0) : state;
                }
                return switch (Results.result(op.output())) {
                    case Results.OK -> holds ? new RegisterState(to, 0) : null;
                    case Results.COMPARE_FAILED -> state.present() && !holds ? state : null;
                    case Results.NOT_FOUND -> state.present() ? null : state;
                    default -> throw new IllegalArgumentException("unknown cas result in " + op);
                };
            }
            default -> throw new IllegalArgumentException("the cas register has no " + op.f());
        }
    }
}
