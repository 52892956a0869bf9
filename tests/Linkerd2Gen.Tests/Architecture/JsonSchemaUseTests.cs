using NetArchTest.Rules;

namespace Linkerd2Gen.Tests.Architecture;

/// <summary>
/// The NativeAOT binary does not run JsonSchema.Net's module initializer before Main (JsonSchemaStartup.Substitutions.xml):
/// MeshSchema runs it, first of its static state, before it builds a schema. That holds only while no other type of the
/// library (but those nested in MeshSchema, which reach the library through its schemas) touches JsonSchema.Net, which
/// would find it unset in the binary (and set in every test, which runs JIT).
/// </summary>
public class JsonSchemaUseTests
{
    [Fact]
    public void MeshSchema_is_the_one_type_that_uses_JsonSchema_Net()
    {
        // The types that fail "should not depend on it" are the ones that do.
        var users = (Types.InAssembly(typeof(Linkerd2Gen.Pipeline.Compiler).Assembly).ShouldNot().HaveDependencyOnAny("Json.Schema").GetResult().FailingTypes ?? [])
            .Select(t => t.FullName!).ToList();
        Assert.Contains("Linkerd2Gen.Validate.MeshSchema", users); // the check sees a use where there is one
        Assert.DoesNotContain(users, t => t != "Linkerd2Gen.Validate.MeshSchema" && !t.StartsWith("Linkerd2Gen.Validate.MeshSchema/", StringComparison.Ordinal));
    }
}
