import { containersOf, podTemplates } from './pod-spec';
import { asArray, quotedPortMessage, Rule, ruleName, RuleFinding } from './rule';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/**
 * A probe's named port must be a port name of its own container: the kubelet resolves it against
 * the container's `ports[].name` and fails the probe when absent. A numeric port needs no declared
 * container port: the kubelet probes the number as given (kubernetes/kubernetes pkg/probe/util.go,
 * ResolveContainerPort: an int is used as is, a string is looked up with findPortByName, then read
 * as a number), and `ports` is informational (core/v1 Container.ports: "Not specifying a port here
 * DOES NOT prevent that port from being exposed"). A quoted number never gets that far: the API
 * server checks a string port as a port name (pkg/apis/core/validation ValidatePortNumOrName,
 * IsValidPortName: at least one letter) and rejects the pod.
 */
const rule: Rule = {
  id: 'NET014',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Name a container port like the probe\'s port name, or probe one of the names (or a port number) the container has.',
  explanation: 'A probe on a port name the container does not declare fails: the pod restarts or never becomes ready.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t.spec)) {
        const ports = asArray(c.container?.ports);
        const names = ports.map((p) => p?.name).filter((n): n is string => typeof n === 'string');
        for (const probe of PROBES) {
          const spec = c.container?.[probe];
          if (!spec || typeof spec !== 'object') continue;
          for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
            const port = spec[handler]?.port;
            if (port === undefined || port === null) continue;
            const field = `${t.specPath}.${c.path}.${probe}.${handler}.port`;
            if (typeof port === 'string' && /^\d+$/.test(port)) {
              // The API server checks a string port as a port name (ValidatePortNumOrName) and rejects a quoted
              // number; grpc.port is an integer field, where NET006 reports any string.
              if (handler !== 'grpc') out.push({ object: t.owner, field, message: quotedPortMessage(field, port) });
              continue;
            }
            if (typeof port !== 'number' && !names.includes(String(port))) {
              const container = typeof c.container?.name === 'string' ? `container "${c.container.name}"` : c.path;
              out.push({
                object: t.owner,
                field,
                message: `${field} "${port}" is not a port name of ${container} (its named ports: ${names.length ? names.join(', ') : 'none'}); `
                  + 'name the container port or probe one of those names.',
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
