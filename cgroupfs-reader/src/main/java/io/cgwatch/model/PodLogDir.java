package io.cgwatch.model;

/**
 * One Kubernetes pod as the kubelet names its log directory, {@code /var/log/pods/<namespace>_<name>_<uid>}: the
 * only place on a node that maps a pod UID (which is all a cgroup path carries) to its namespace and name without
 * asking the API server. Only names that pass the reader's checks (DNS names, a UUID) become one.
 */
public record PodLogDir(String namespace, String name, String uid) {}
