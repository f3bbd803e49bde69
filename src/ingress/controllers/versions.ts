/**
 * Controller versions: which release a profile renders for, and from which release on a
 * controller reads each key the profile writes.
 *
 * A profile renders for the version the user runs (`IngressController.nginxInc({ version: '5.3' })`),
 * by default the newest release. A key newer than that version is replaced by the key the older
 * version reads where there is one (ingress-nginx before 1.9.1 reads `whitelist-source-range`,
 * not `allowlist-source-range`), and otherwise refused with the version it needs: an option is
 * never written in a form the controller would ignore.
 *
 * @internal
 */
import { raise, Where } from '../../core/errors';

/** From which release a controller reads one key the profile writes. @internal */
export interface KeySince {
  /** The first release that reads the key (`major.minor` or `major.minor.patch`). */
  readonly since: string;
  /** The key releases before `since` read for the same setting, if any. */
  readonly older?: string;
  /** Where this is defined upstream (repository, file, tag), for the docs and tests. */
  readonly source: string;
}

/** The versions a profile knows. @internal */
export interface VersionTable {
  /** The newest release, the default. */
  readonly newest: string;
  /** The oldest release the profile renders for. */
  readonly oldest: string;
  /** Why older releases are not supported. */
  readonly oldestReason: string;
  /** Keys (annotation keys, or `kind:<Kind>` for objects) that need a release newer than `oldest`. */
  readonly keys: { [key: string]: KeySince };
}

/** `1.9` -> [1, 9, 0]. @internal */
export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Whether release `a` is older than release `b`. @internal */
export function olderThan(a: string, b: string): boolean {
  const x = parseVersion(a)!;
  const y = parseVersion(b)!;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i];
  return false;
}

/**
 * The version a profile renders for: `version`, checked, or the table's newest release. A bad
 * version is refused from `where` (a construct, or a call such as `IngressController.traefik`),
 * naming `field` (`version`, `IngressNginxConfig.version`).
 * @internal
 */
export function resolveVersion(where: Where, field: string, displayName: string, version: string | undefined, table: VersionTable): string {
  if (version === undefined) return table.newest;
  if (typeof version !== 'string' || !parseVersion(version)) {
    raise(where, `${field} "${version}" is not a release number; give major.minor or major.minor.patch, e.g. '${table.newest}'.`);
  }
  if (olderThan(version, table.oldest)) {
    raise(where, `${field} "${version}" is older than ${table.oldest}, the oldest ${displayName} release this profile renders for (${table.oldestReason}); upgrade the controller.`);
  }
  return version.replace(/^v/, '');
}

/**
 * The key `version` reads for `key`: the key itself, the older key, or undefined when `version`
 * has no key for the setting (then `since` says which release does).
 * @internal
 */
export function keyForVersion(table: VersionTable | undefined, version: string | undefined, key: string): { key?: string; since?: string } {
  const entry = table?.keys[key];
  if (!entry || version === undefined || !olderThan(version, entry.since)) return { key };
  return { key: entry.older, since: entry.since };
}
