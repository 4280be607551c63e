package io.cairn.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * etcd's {@code --config-file}: a YAML mapping whose keys are the flag names
 * ({@code name: n1}, {@code initial-cluster: ...}, {@code enable-v2: true}). As in etcd, when a
 * file is given the other flags and environment variables are ignored.
 */
final class YamlConfigFile {
    private YamlConfigFile() {}

    static Map<EtcdFlag, String> read(Path file, Consumer<String> warnings) throws ConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw ConfigException.invalid("cannot read --config-file " + file + ": " + e.getMessage());
        }
        Map<EtcdFlag, String> values = new EnumMap<>(EtcdFlag.class);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return values;
        }
        if (!root.isObject()) {
            throw ConfigException.invalid("--config-file " + file + " must hold a YAML mapping of etcd flag names to values");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            EtcdFlag flag = byName(field.getKey());
            if (flag == null || flag == EtcdFlag.CONFIG_FILE) {
                warnings.accept("--config-file " + file + ": ignoring unknown key \"" + field.getKey() + "\"");
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw ConfigException.invalid("--config-file " + file + ": \"" + field.getKey() + "\" must be a single value");
            }
            values.put(flag, value.asText());
        }
        return values;
    }

    private static EtcdFlag byName(String key) {
        for (EtcdFlag flag : EtcdFlag.values()) {
            if (flag.flagName().equals(key)) {
                return flag;
            }
        }
        return null;
    }
}
