package io.cairn.compat;

/**
 * Loopback ports of this module (26000-26999 by default, -Dcompat.ports=BASE to move them). Each test class
 * owns a block of 20 so that classes never collide even if a previous process is slow to release a port.
 */
final class CompatPorts {

    private CompatPorts() {}

    static int block(int number) {
        return Integer.getInteger("compat.ports", 26000) + 20 * number;
    }
}
