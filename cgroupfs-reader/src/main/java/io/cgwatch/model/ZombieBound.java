package io.cgwatch.model;

/**
 * How far the zombies named in one v1 hierarchy can be trusted. v1 counts dying cgroups only for the whole
 * hierarchy ({@code /proc/cgroups}), never per parent, so which removed cgroups are the dying ones is inferred:
 * the named zombies are a bounded set of candidates, not a finding.
 *
 * @param listed removed cgroups named as zombies: seen alive holding a charge, not taken as freed since
 * @param atMost how many of those the kernel's count leaves room for: {@code min(listed, kernelDying)}
 * @param kernelDying the hierarchy-wide dying count of this scan
 * @param unknownOrigin the rest of {@code kernelDying}: dying before cgwatch watched, or created and removed
 *     between two scans
 * @param removedEmpty removed cgroups that held no charge when last seen (usage 0): the kernel frees those at
 *     once, so they are never named, whatever the count says
 */
public record ZombieBound(String hierarchy, long listed, long atMost, long kernelDying, long unknownOrigin,
    long removedEmpty) {}
