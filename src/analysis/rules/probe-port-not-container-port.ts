import { containersOf, podTemplates } from './pod-spec';
import { asArray, Rule, ruleName, RuleFinding } from './rule';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/**
 * A probe's port must be a port of its own container: a named port resolves against the
 * container's `ports[].name` (and fails the probe when absent), and a number that the container
 * does not expose usually means the probe checks the wrong process (kube-linter's
 * liveness-port / readiness-port / startup-port).
 */
const rule: Rule = {
  id: 'NET014',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Probe a port the container declares (by its name or number).',
  explanation: 'A probe on a port the container does not declare fails (named port) or checks something else (number); the pod restarts or never becomes ready.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t.spec)) {
        const ports = asArray(c.container?.ports);
        const names = ports.map((p) => p?.name).filter((n): n is string => typeof n === 'string');
        const numbers = ports.map((p) => p?.containerPort).filter((n): n is number => typeof n === 'number');
        for (const probe of PROBES) {
          const spec = c.container?.[probe];
          if (!spec || typeof spec !== 'object') continue;
          for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
            const port = spec[handler]?.port;
            if (port === undefined || port === null) continue;
            const field = `${t.specPath}.${c.path}.${probe}.${handler}.port`;
            const container = typeof c.container?.name === 'string' ? `container "${c.container.name}"` : c.path;
            const numeric = typeof port === 'number' ? port : /^\d+$/.test(String(port)) ? Number(port) : undefined;
            if (numeric === undefined && !names.includes(String(port))) {
              out.push({
                object: t.owner,
                field,
                message: `${field} "${port}" is not a port name of ${container} (its named ports: ${names.length ? names.join(', ') : 'none'}); `
                  + 'name the container port or probe one of those names.',
              });
            } else if (numeric !== undefined && !numbers.includes(numeric)) {
              out.push({
                object: t.owner,
                field,
                message: `${field} ${numeric} is not a container port of ${container} (its ports: ${numbers.length ? numbers.join(', ') : 'none'}); `
                  + 'probe a port the container declares.',
              });
            }
          }
        }
      }
    }
    return out;
  },
};
export default rule;
