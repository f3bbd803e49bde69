/*
 * Mesh identities of pods this library names but does not make: a Gateway implementation's data
 * plane whose ServiceAccount the implementation chooses by a documented rule (Istio: `<gateway>-<class>`).
 * The value that names the pods declares it here; the mesh renderers read it to authorize those pods
 * like a workload of this library. Kept in core, so that ingress and mesh do not import each other.
 */

/** The mesh identity of pods this library does not make. @internal */
export interface PeerMeshIdentity {
  /** The mesh whose identities they carry (`ServiceMeshKind` value). */
  readonly mesh: string;
  /** Its control plane namespace, which issues the identity. */
  readonly controlPlaneNamespace: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** What they are, for messages (`the data plane of an Istio gateway`). */
  readonly description: string;
}

const IDENTITIES = new WeakMap<object, PeerMeshIdentity>();

/** Declares the mesh identity of the pods `peer` names. @internal */
export function _declarePeerMeshIdentity<T extends object>(peer: T, identity: PeerMeshIdentity): T {
  IDENTITIES.set(peer, identity);
  return peer;
}

/** The mesh identity declared for `peer`, if any. @internal */
export function _peerMeshIdentity(peer: unknown): PeerMeshIdentity | undefined {
  return typeof peer === 'object' && peer !== null ? IDENTITIES.get(peer) : undefined;
}
