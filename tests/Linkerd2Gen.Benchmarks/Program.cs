using System.Diagnostics;
using System.Text;
using Linkerd2Gen.Inject;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Pipeline;

// Usage: dotnet run -c Release --project tests/Linkerd2Gen.Benchmarks [-- SERVICES]
// Prints the median wall time of the whole render pipeline (load → validate → resolve → render → verify, in
// memory) and of `inject` over a stream of Deployments, at a few sizes. STAGES=1 prints a warm run's time by stage too.
var sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [10, 100, 1000];
Console.WriteLine($"{"services",9} {"render ms",10} {"files",6} {"inject ms",10} {"docs",6}");
foreach (var services in sizes)
{
    var mesh = Mesh(services);
    var render = Median(() => Compiler.Compile(["mesh.yaml"], texts: new Dictionary<string, string> { ["mesh.yaml"] = mesh }), out var result);
    if (result.HasErrors) throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    var stream = Deployments(services);
    var inject = Median(() => Injector.Inject(stream, InjectOptions.Default), out _);
    Console.WriteLine($"{services,9} {render,10:F1} {result.Bundles.Single().Files.Count,6} {inject,10:F1} {services,6}");
    if (Environment.GetEnvironmentVariable("STAGES") is not null)
    {
        var timings = new StageTimings(); // one more warm run, by stage
        Compiler.Compile(["mesh.yaml"], texts: new Dictionary<string, string> { ["mesh.yaml"] = mesh }, timings: timings);
        timings.WriteTo(Console.Out);
    }
}

static double Median<T>(Func<T> run, out T last)
{
    last = run(); // warm-up
    var times = new List<double>();
    for (var i = 0; i < 7; i++)
    {
        var watch = Stopwatch.StartNew();
        last = run();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return times[times.Count / 2];
}

static string Mesh(int services)
{
    var text = new StringBuilder("apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: bench\nnamespaces:\n");
    for (var n = 0; n < Math.Max(1, services / 100); n++)
    {
        text.Append($"  - name: ns{n}\n    inject: enabled\n    services:\n");
        for (var s = 0; s < Math.Min(100, services); s++)
        {
            text.Append($"      - name: svc{s}\n        image: ghcr.io/example/svc:{s}\n        ports: [{{name: http, containerPort: 8080, servicePort: 80}}]\n");
            text.Append($"        env: {{POD_IP: {{fieldRef: status.podIP}}, MODE: \"yes\"}}\n        readiness: {{path: /ready, periodSeconds: 5}}\n");
            text.Append($"        resources: {{limits: {{cpu: \"0.5\", memory: 128Mi}}}}\n        routes: [{{prefix: /ns{n}/svc{s}/}}]\n");
        }
    }
    return text.ToString();
}

static string Deployments(int count)
{
    var text = new StringBuilder();
    for (var i = 0; i < count; i++)
    {
        text.Append($"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web{i}\n  namespace: emojivoto\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web{i}\n  template:\n    metadata:\n      labels:\n        app: web{i}\n    spec:\n      containers:\n      - image: buoyantio/emojivoto-web:v10\n        name: web\n        ports:\n        - containerPort: 80\n          name: http\n        resources:\n          limits:\n            cpu: 0.1\n---\n");
    }
    return text.ToString();
}
