package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.PolicySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tail-sampling policy types Spoor has (the Collector's, plus {@code adaptive_latency}), and the reading of a
 * list of policies with them: {@code {name, type, <type>: {…}}} each, names unique within the list.
 */
public record TailPolicies(List<PolicyFactory> factories) {

    public TailPolicies {
        factories = List.copyOf(factories);
    }

    /** The one place a policy type is registered. */
    public static TailPolicies builtIn() {
        return new TailPolicies(List.of(new AlwaysSampleFactory(), new StatusCodeFactory(), new LatencyFactory(),
                new ProbabilisticFactory(), new RateLimitingFactory(), new StringAttributeFactory(),
                new NumericAttributeFactory(), new BooleanAttributeFactory(), new SpanCountFactory(),
                new AndFactory(), new CompositeFactory(), new AdaptiveLatencyFactory()));
    }

    public List<String> types() {
        return factories.stream().map(PolicyFactory::type).toList();
    }

    /** Reads the list of policies under {@code parent.key}. */
    public List<PolicySpec> read(Section parent, String key) {
        List<PolicySpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode item : parent.list(key)) {
            PolicySpec p = policy(item);
            if (!names.add(p.name())) {
                throw new ConfigException(item.where() + ": policy name '" + p.name() + "' is used twice");
            }
            out.add(p);
        }
        return out;
    }

    private PolicySpec policy(ConfigNode node) {
        ConfigNode.MapNode map = Section.asMap(node, node.path());
        Section head = Section.anyKeys(map, map.path()); // its keys are checked against the type below
        String name = head.string("name").orElseThrow(() -> new ConfigException(node.where()
                + ": a policy needs a name"));
        List<String> types = types();
        String type = head.oneOf("type", types).orElseThrow(() -> new ConfigException(node.where()
                + ": policy '" + name + "' needs a type, one of " + types));
        for (Map.Entry<String, ConfigNode> e : map.entries().entrySet()) {
            String k = e.getKey();
            if (!k.equals("name") && !k.equals("type") && !k.equals(type)) {
                throw new ConfigException("unknown configuration key " + e.getValue().where()
                        + " (a policy of type " + type + " has: name, type, " + type + ")");
            }
        }
        PolicyFactory factory = factories.stream().filter(f -> f.type().equals(type)).findFirst().orElseThrow();
        return new PolicySpec(name, type, factory.parse(head, this));
    }
}
