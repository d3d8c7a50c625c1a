package io.spoor.pipeline.config;

import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Collector's {@code ${env:VAR}} expansion (also {@code ${VAR}} and {@code ${env:VAR:-default}}); {@code $$}
 * is a literal {@code $}. Unlike the Collector, an unset variable without a default is an error rather than an
 * empty string: an empty endpoint or limit would only fail later, further from its cause.
 */
public final class EnvSubstitution implements UnaryOperator<String> {
    private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Function<String, String> lookup;

    public EnvSubstitution(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    @Override
    public String apply(String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = lookup.apply(m.group(1));
                if (value == null) {
                    if (m.group(2) == null) {
                        throw new ConfigException("environment variable " + m.group(1) + " is not set (write ${env:"
                                + m.group(1) + ":-default} to give a default)");
                    }
                    value = m.group(2);
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
