package org.pv3dfarm.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.pv3dfarm.api.ApiConfig;
import org.pv3dfarm.worker.RenderWorkerMain;
import org.pv3dfarm.worker.WorkerConfig;

/**
 * The environment variables each application really reads, taken from the applications themselves: the worker's
 * {@link WorkerConfig.Setting}s and its logging configuration's {@code PV3D_LOG_LEVEL}; the API's
 * {@link ApiConfig} mapping (every property, named as SmallRye Config names it: kebab case under {@code pv3d.})
 * and the keys of its {@code application.properties}, as environment variables (upper case, {@code .} and
 * {@code -} as {@code _}, Quarkus' rule).
 */
final class AppSettings {

    private AppSettings() {
    }

    /** Whether the render worker reads this variable. */
    static boolean workerReads(String variable) {
        for (WorkerConfig.Setting setting : WorkerConfig.Setting.values()) {
            if (setting.environmentVariable().equals(variable)) {
                return true;
            }
        }
        return variable.equals("PV3D_LOG_LEVEL") && workerLoggingReads("PV3D_LOG_LEVEL");
    }

    private static boolean workerLoggingReads(String variable) {
        try (InputStream in = RenderWorkerMain.class.getClassLoader()
                .getResourceAsStream(RenderWorkerMain.LOGBACK_CONFIG)) {
            return in != null && new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("${" + variable);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the job API reads this variable (its configuration mapping, or a key of its properties). */
    static boolean apiReads(String variable, Path applicationProperties) {
        for (Pattern pattern : apiVariables()) {
            if (pattern.matcher(variable).matches()) {
                return true;
            }
        }
        return propertyKeys(applicationProperties).stream().map(AppSettings::environmentVariable)
                .anyMatch(variable::equals);
    }

    /** Quarkus' environment variable for a property: upper case, every other character as {@code _}. */
    static String environmentVariable(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The keys of a properties file, without profile-specific ({@code %test.}) ones. */
    static List<String> propertyKeys(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).sorted().toList();
    }

    /** The API mapping's variables; a map's key is any name ({@code PV3D_MODELS_..._Z_DIM}). */
    static List<Pattern> apiVariables() {
        List<Pattern> patterns = new ArrayList<>();
        collect(ApiConfig.class, "pv3d", patterns);
        return patterns;
    }

    private static void collect(Class<?> mapping, String prefix, List<Pattern> patterns) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String property = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            Type generic = method.getGenericReturnType();
            if (type.isInterface() && type.getEnclosingClass() == ApiConfig.class) {
                collect(type, property, patterns);
            } else if (type == Map.class && generic instanceof ParameterizedType map
                    && map.getActualTypeArguments()[1] instanceof Class<?> value && value.isInterface()
                    && value.getEnclosingClass() == ApiConfig.class) {
                collectMapValues(value, property, patterns);
            } else {
                patterns.add(Pattern.compile(Pattern.quote(environmentVariable(property))));
            }
        }
    }

    private static void collectMapValues(Class<?> value, String property, List<Pattern> patterns) {
        for (Method method : value.getDeclaredMethods()) {
            if (!method.isDefault() && !Modifier.isStatic(method.getModifiers())) {
                patterns.add(Pattern.compile(Pattern.quote(environmentVariable(property) + "_") + "[A-Z0-9_]+"
                        + Pattern.quote("_" + environmentVariable(kebab(method.getName())))));
            }
        }
    }

    /** SmallRye Config's property name of a mapping method: {@code bootstrapServers} → {@code bootstrap-servers}. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
