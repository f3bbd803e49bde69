/**
 * A small cluster shared by the analysis tests, as YAML:
 *
 * - namespace `shop` (label team=shop): pods `web` (app=web), `api` (app=api;
 *   ports http 8080/TCP, metrics 9090/TCP, dns 53/UDP) and `db` (app=db; port pg 5432/TCP)
 * - namespace `ops` (label team=ops): pods `monitor` (app=monitor) and `backup` (app=backup)
 */
import { NetworkAnalysis } from '../../src/analysis';

export const TOPOLOGY = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: ops
  labels:
    team: ops
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  containers:
    - name: web
      image: web
---
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
  labels:
    app: api
spec:
  containers:
    - name: api
      image: api
      ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        - name: dns
          containerPort: 53
          protocol: UDP
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  namespace: shop
  labels:
    app: db
spec:
  containers:
    - name: db
      image: postgres
      ports:
        - name: pg
          containerPort: 5432
---
apiVersion: v1
kind: Pod
metadata:
  name: monitor
  namespace: ops
  labels:
    app: monitor
spec:
  containers:
    - name: monitor
      image: monitor
---
apiVersion: v1
kind: Pod
metadata:
  name: backup
  namespace: ops
  labels:
    app: backup
spec:
  containers:
    - name: backup
      image: backup
`;

/** The shared topology plus the given policies (YAML documents). */
export function analyse(policies = ''): NetworkAnalysis {
  return NetworkAnalysis.fromYaml(`${TOPOLOGY}\n---\n${policies}`);
}
