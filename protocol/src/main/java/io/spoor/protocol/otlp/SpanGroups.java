package io.spoor.protocol.otlp;

import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans grouped the way OTLP nests them: by resource, then by scope, both by value, groups in order of first
 * appearance and spans in their given order within a group.
 */
record SpanGroups(List<ResourceGroup> resources) {
    record ResourceGroup(Resource resource, List<ScopeGroup> scopes, Map<InstrumentationScope, ScopeGroup> byScope) {
    }

    record ScopeGroup(InstrumentationScope scope, List<Span> spans) {
    }

    static SpanGroups of(List<Span> spans) {
        List<ResourceGroup> resources = new ArrayList<>();
        Map<Resource, ResourceGroup> byResource = new HashMap<>();
        // Spans of one export share resource and scope objects, so remembering the last ones found skips
        // hashing whole attribute lists for nearly every span.
        Resource lastResource = null;
        ResourceGroup lastResourceGroup = null;
        InstrumentationScope lastScope = null;
        ScopeGroup lastScopeGroup = null;
        for (Span span : spans) {
            Resource resource = span.resource();
            if (resource != lastResource) {
                ResourceGroup group = byResource.get(resource);
                if (group == null) {
                    group = new ResourceGroup(resource, new ArrayList<>(), new HashMap<>());
                    byResource.put(resource, group);
                    resources.add(group);
                }
                if (group != lastResourceGroup) {
                    lastScope = null;
                }
                lastResource = resource;
                lastResourceGroup = group;
            }
            InstrumentationScope scope = span.scope();
            if (scope != lastScope) {
                ScopeGroup group = lastResourceGroup.byScope().get(scope);
                if (group == null) {
                    group = new ScopeGroup(scope, new ArrayList<>());
                    lastResourceGroup.byScope().put(scope, group);
                    lastResourceGroup.scopes().add(group);
                }
                lastScope = scope;
                lastScopeGroup = group;
            }
            lastScopeGroup.spans().add(span);
        }
        return new SpanGroups(resources);
    }
}
