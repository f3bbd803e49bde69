/*
 * Peers that a configuration object of this library names (the cluster DNS pods, an ingress
 * controller's pods, a mesh control plane, a Gateway's data plane, `Peer.pods` with a
 * namespace): choosing that configuration declares the peer's namespace. Kept here, as a flag
 * the app-wide validation (NET019) reads, so that core never imports validation.
 */

const DECLARED_PEERS = new WeakSet<object>();

/**
 * Marks `peer` as declared: NET019 accepts its namespace without a Namespace in the app.
 * @internal
 */
export function _declareExternalPeer<T extends object>(peer: T): T {
  DECLARED_PEERS.add(peer);
  return peer;
}

/** Whether `peer` was marked by `_declareExternalPeer`. @internal */
export function _isDeclaredExternalPeer(peer: unknown): boolean {
  return typeof peer === 'object' && peer !== null && DECLARED_PEERS.has(peer);
}

/**
 * The annotation on a NetworkPolicy that lists, comma-separated, the namespaces its peers name
 * because a configuration of this library named them (controller profiles, Gateway data planes,
 * mesh control planes, cluster DNS, `Peer.pods` with a namespace). Tools that see only the
 * manifests (the cdk8s-cli plugin, `cdk8s-net check`) read it as a declaration, so NET019 never
 * flags the library's own choices.
 * @internal
 */
export const DECLARED_NAMESPACES_ANNOTATION = 'cdk8s-secure-networking/declared-namespaces';
