package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.function.Supplier;

/**
 * A tail-sampling policy type ({@code status_code}, {@code latency}, …): reads its own settings, written under a key
 * named after the type ({@code {name: errors, type: status_code, status_code: {…}}}), into a maker of fresh policy
 * instances. Registered in {@link TailPolicies#builtIn()}.
 */
public interface PolicyFactory {

    String type();

    /**
     * Reads the settings of one policy of this type. {@code policy} is the policy's mapping ({@code name},
     * {@code type} and the settings under the type's key: read them with {@code policy.section(type(), keys…)});
     * {@code nested} reads sub-policies ({@code and}, {@code composite}).
     */
    Supplier<Policy> parse(Section policy, TailPolicies nested);
}
