namespace Linkerd2Gen.Cli;

/// <summary>The file `init` writes: the smallest useful mesh, with the contract's defaults spelt out as comments.</summary>
public static class Starter
{
    public static string Text(string cluster) => $$"""
        # yaml-language-server: $schema=mesh.schema.json
        # Write that schema beside this file with `linkerd2gen schema > mesh.schema.json` for completion and checks
        # in your editor; render with `linkerd2gen render <this file>`.
        apiVersion: linkerd2gen.io/v1alpha1
        kind: Mesh
        metadata:
          name: {{cluster}}
        linkerd:
          version: "2.18"
        gateway:
          flavor: emissary            # or edge-stack
        namespaces:
          - name: demo
            inject: enabled
            services:
              - name: web
                image: ghcr.io/example/web:1.0
                ports:
                  - {name: http, containerPort: 8080, servicePort: 80}
                routes:
                  - prefix: /web/

        """;
}
