using System.Globalization;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Rendering;

/// <summary>Tests that change the process's culture: run alone, so that no other test runs under it.</summary>
[CollectionDefinition("culture", DisableParallelization = true)]
public sealed class CultureCollection;

/// <summary>The same input gives the same bytes on every machine, whatever its locale (LANG): bundles, patches, the plan,
/// inject's output and every diagnostic's text.</summary>
[Collection("culture")]
public class CultureTests
{
    // Numbers and words a culture could write its own way: a float, leading zeros, hexadecimal, an exponent, YAML 1.1's
    // booleans, a negative number, and an upper-case I (Turkish lower-cases it to a dotless ı).
    private const string Odd = Mesh.Header + """
        namespaces:
          - name: shop
            services:
              - name: web
                image: IMAGE:1
                replicas: 01.5
                labels: {tier: 0x10, size: 1e3, on: yes, IDX: "I"}
                ports: [{name: http, containerPort: 8080, servicePort: -1}]
        """;

    [Theory]
    [InlineData("tr-TR")] // i and I: dotted and dotless
    [InlineData("de-DE")] // a decimal comma, a dot between thousands
    [InlineData("ar-SA")] // another calendar, Arabic digits in its data
    [InlineData("fa-IR")] // a Persian calendar and digits, a right-to-left mark in its negative sign
    public void Every_output_is_the_same_in_any_culture(string name)
    {
        using var dir = new TempDir();
        var odd = dir.Write("odd.yaml", Odd);
        string Example(string path) => Path.Combine(Repo.Root, "examples", path);
        string[][] runs =
        [
            ["render", "--stdout", Example("qotm/mesh.yaml")],
            ["render", "--stdout", Example("emojivoto/mesh.yaml")],
            ["render", "--stdout", Example("emojivoto-base/mesh.yaml")],
            ["render", "--stdout", Example("multicluster/east.yaml"), Example("multicluster/west.yaml")],
            ["explain", Example("multicluster/east.yaml")],
            ["inject", "-o", "json", Example("emojivoto-base/manifests")],
            ["inject", "--proxy-cpu-request", "0.5", "--opaque-ports", "25,4000-4100", Example("emojivoto-base/manifests")],
            ["validate", odd],
            ["validate", "--format", "json", odd],
        ];
        var invariant = runs.Select(args => InProcess.Cli(args)).ToList();
        Assert.Contains("L2G0014", invariant[^2].Err); // the odd mesh is read (with the dialects' warnings), not refused whole

        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture);
        try
        {
            var culture = CultureInfo.GetCultureInfo(name);
            // This thread and every thread the run starts (rendering and verifying run on the thread pool).
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = culture;
            Assert.Equal(name, CultureInfo.CurrentCulture.Name);
            for (var i = 0; i < runs.Length; i++)
            {
                Assert.Equal(invariant[i], InProcess.Cli(runs[i]));
            }
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture) = before;
        }
    }
}
