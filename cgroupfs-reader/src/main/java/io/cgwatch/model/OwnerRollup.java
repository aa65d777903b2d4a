package io.cgwatch.model;

/**
 * What one owner leaves behind (every figure is a sum over the cgroups this owner's paths resolve to).
 *
 * @param owner the owner; for a pod, the container fields are those of one of its cgroups and mean nothing
 *     rolled up (see {@link Owner.Key})
 * @param dying dying cgroups attributed to the owner: on v2 each live parent's own share of
 *     {@code nr_dying_descendants} (its count minus its live children's), the named zombies given to the owner of
 *     their former path and the rest to the parent's owner; on v1 the lifecycle's zombie candidates only
 * @param zombies removed cgroups cgwatch saw alive that are still dying (the lifecycle view; 0 for one scan)
 * @param orphanedFileBytes page cache no live child accounts for, summed over the owner's parents (upper bound)
 * @param chargesAtDeath the zombies' charges when they were removed
 */
public record OwnerRollup(Owner owner, long dying, long zombies, long orphanedFileBytes, Charges chargesAtDeath) {}
