// The peer of the whole-process benchmark: a cdk8s 2.x program (plain JS, core library only) that synthesizes the
// objects linkerd2gen renders for the generated mesh of N services: per namespace a Namespace; per service a
// ServiceAccount, a Deployment (Linkerd's inject annotation), a Service (exported ones labelled for Linkerd's
// multicluster) and an Emissary Mapping. Usage: node cdk8s-mesh.js N OUTDIR
const { App, Chart, ApiObject } = require('cdk8s');

const services = Number(process.argv[2]);
const app = new App({ outdir: process.argv[3], outputFileExtension: '.yaml' }); // one file a chart (a namespace)
for (let n = 0; n < Math.max(1, services / 100); n++) {
  const ns = `ns${n}`;
  const chart = new Chart(app, ns, { namespace: ns, disableResourceNameHashes: true });
  new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, annotations: { 'linkerd.io/inject': 'enabled' } } });
  for (let s = 0; s < Math.min(100, services); s++) {
    const name = `svc${s}`;
    const labels = { app: name };
    new ApiObject(chart, `${name}-sa`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    new ApiObject(chart, `${name}-deployment`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels },
      spec: {
        replicas: 1, selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { 'linkerd.io/inject': 'enabled' } },
          spec: {
            serviceAccountName: name,
            containers: [{ name, image: `ghcr.io/example/svc:${s}`, ports: [{ name: 'http', containerPort: 8080 }] }],
          },
        },
      },
    });
    new ApiObject(chart, `${name}-service`, {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name, labels: s % 4 === 0 ? { 'mirror.linkerd.io/exported': 'true' } : {} },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    new ApiObject(chart, `${name}-mapping`, {
      apiVersion: 'getambassador.io/v3alpha1', kind: 'Mapping', metadata: { name },
      spec: { hostname: '*', prefix: `/${ns}/${name}/`, service: `http://${name}.${ns}.svc.cluster.local:80`, allow_upgrade: ['websocket'] },
    });
  }
}
app.synth();
